import multiprocessing
import uuid
from pathlib import Path

import duckdb
import psycopg2
import pytest

from hubspot_pipeline.hubspot.models import PropertyDefinition
from hubspot_pipeline.sync.arrow_batches import ArrowBatcher
from hubspot_pipeline.sync.load import Destination, count_rows, distinct_ids, load_tables

# The test server trusts local connections, but dlt's credentials insist on a password;
# the server ignores this one.
POSTGRES_URL = "postgresql://postgres:unused@127.0.0.1:5432/test"

CATALOG = [
    PropertyDefinition("email", "string"),
    PropertyDefinition("amount", "number"),
    PropertyDefinition("hs_is_active", "bool"),
    PropertyDefinition("closedate", "datetime"),
]


def record(object_id: str, updated: str = "2026-07-21T16:02:41.090Z", **properties) -> dict:
    return {
        "id": object_id,
        "createdAt": "2024-01-17T19:55:04.281Z",
        "updatedAt": updated,
        "archived": False,
        "properties": properties,
    }


def records(count: int, amount: str = "10") -> list[dict]:
    return [record(str(i), email=f"u{i}@example.com", amount=amount) for i in range(count)]


def load(destination, tmp_path, pages, catalog=CATALOG, table="contacts", batch_size=5000):
    batcher = ArrowBatcher(catalog, batch_size=batch_size)
    working_dir = tmp_path / f"work-{uuid.uuid4().hex}"
    return load_tables(
        table, batcher.tables(pages), destination, working_dir, lambda: batcher.rejected
    )


def query(path: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(path), read_only=True) as connection:
        return connection.execute(sql).fetchall()


@pytest.fixture
def duck(tmp_path) -> Destination:
    return Destination.duckdb(tmp_path / "crm.duckdb")


def test_load_creates_table_in_hubspot_dataset(duck, tmp_path):
    result = load(duck, tmp_path, [records(120)], batch_size=50)

    assert (result.table, result.rows_loaded, result.rejected_values) == ("contacts", 120, 0)
    assert result.load_id is not None
    assert query(duck.duckdb_path, "SELECT count(*) FROM hubspot.contacts") == [(120,)]
    assert count_rows(duck, "contacts") == 120
    assert distinct_ids(duck, "contacts") == {str(i) for i in range(120)}


def test_working_dir_is_removed_after_success(duck, tmp_path):
    working_dir = tmp_path / "run-1"
    batcher = ArrowBatcher(CATALOG)

    load_tables("contacts", batcher.tables([records(3)]), duck, working_dir)

    assert not working_dir.exists()


def test_reload_of_same_records_merges(duck, tmp_path):
    load(duck, tmp_path, [records(100)])

    result = load(duck, tmp_path, [records(100)])

    assert result.rows_loaded == 100
    assert count_rows(duck, "contacts") == 100


def test_changed_value_updates_row(duck, tmp_path):
    load(duck, tmp_path, [records(3, amount="10")])

    load(duck, tmp_path, [[record("1", email="new@example.com", amount="99.5")]])

    rows = query(duck.duckdb_path, "SELECT id, email, amount FROM hubspot.contacts ORDER BY id")
    assert rows == [
        ("0", "u0@example.com", 10.0),
        ("1", "new@example.com", 99.5),
        ("2", "u2@example.com", 10.0),
    ]


def test_duplicate_id_in_one_stream_keeps_newest(duck, tmp_path):
    pages = [
        [record("1", updated="2026-07-21T10:00:00.000Z", email="new@example.com")],
        [record("1", updated="2026-07-20T10:00:00.000Z", email="old@example.com")],
    ]

    load(duck, tmp_path, pages)

    assert query(duck.duckdb_path, "SELECT id, email FROM hubspot.contacts") == [
        ("1", "new@example.com")
    ]


def test_property_added_to_catalog_adds_column(duck, tmp_path):
    load(duck, tmp_path, [records(2)])
    wider = [*CATALOG, PropertyDefinition("lifecyclestage", "enumeration")]

    load(duck, tmp_path, [[record("5", email="e@x.io", lifecyclestage="lead;customer")]], wider)

    rows = query(duck.duckdb_path, "SELECT id, lifecyclestage FROM hubspot.contacts ORDER BY id")
    assert rows == [("0", None), ("1", None), ("5", "lead;customer")]


def test_rejected_values_are_loaded(duck, tmp_path):
    pages = [[record("1", amount="abc"), record("2", amount="5", closedate="soon")]]

    result = load(duck, tmp_path, pages)

    assert (result.rows_loaded, result.rejected_values) == (2, 2)
    rows = query(
        duck.duckdb_path,
        "SELECT table_name, object_id, property, value, reason, loaded_at IS NOT NULL"
        " FROM hubspot._rejected_values ORDER BY object_id",
    )
    assert rows == [
        ("contacts", "1", "amount", "abc", "not a valid HubSpot number", True),
        ("contacts", "2", "closedate", "soon", "not a valid HubSpot datetime", True),
    ]
    assert query(duck.duckdb_path, "SELECT amount FROM hubspot.contacts ORDER BY id") == [
        (None,),
        (5.0,),
    ]


def test_empty_stream_succeeds_without_table(duck, tmp_path):
    result = load(duck, tmp_path, [])

    assert (result.rows_loaded, result.load_id) == (0, None)
    assert count_rows(duck, "contacts") == 0
    assert distinct_ids(duck, "contacts") == set()


def test_property_names_differing_only_in_case_both_load(duck, tmp_path):
    catalog = [PropertyDefinition("email", "string"), PropertyDefinition("Email", "string")]

    load(duck, tmp_path, [[record("1", email="lower", Email="upper")]], catalog)

    columns = [r[0] for r in query(duck.duckdb_path, "DESCRIBE hubspot.contacts")]
    assert columns[5] == "email"
    assert columns[6].startswith("email__")
    assert query(duck.duckdb_path, f"SELECT email, {columns[6]} FROM hubspot.contacts") == [
        ("lower", "upper")
    ]


def test_duckdb_file_named_like_dataset_is_refused(tmp_path):
    with pytest.raises(ValueError, match="shadow dataset 'hubspot'"):
        Destination.duckdb(tmp_path / "hubspot.duckdb")


def test_destination_repr_hides_postgres_url():
    destination = Destination.postgres("postgresql://user:s3cret@db/hubspot")

    assert "s3cret" not in repr(destination)


@pytest.fixture
def postgres():
    dataset = f"test_load_{uuid.uuid4().hex[:10]}"
    yield Destination.postgres(POSTGRES_URL, dataset_name=dataset)
    connection = psycopg2.connect(POSTGRES_URL)
    connection.autocommit = True
    with connection.cursor() as cursor:
        for schema in (dataset, f"{dataset}_staging"):
            cursor.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
    connection.close()


def test_postgres_merge(postgres, tmp_path):
    load(postgres, tmp_path, [records(50)])

    result = load(postgres, tmp_path, [[record("7", email="changed@example.com")], records(3)])

    assert result.rows_loaded == 4
    assert count_rows(postgres, "contacts") == 50
    assert distinct_ids(postgres, "contacts") == {str(i) for i in range(50)}
    connection = psycopg2.connect(POSTGRES_URL)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT email FROM \"{postgres.dataset_name}\".contacts WHERE id = '7'")
        assert cursor.fetchall() == [("changed@example.com",)]
    connection.close()


def test_postgres_keeps_empty_string_apart_from_null(postgres, tmp_path):
    # Without the ADBC driver dlt silently loads Postgres through CSV, where "" becomes NULL.
    load(postgres, tmp_path, [[record("1", email=""), record("2", email=None)]])

    connection = psycopg2.connect(POSTGRES_URL)
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT id, email FROM "{postgres.dataset_name}".contacts ORDER BY id')
        assert cursor.fetchall() == [("1", ""), ("2", None)]
    connection.close()


def _load_in_child(db_path: str, table: str, work: str, start) -> None:
    destination = Destination.duckdb(Path(db_path))
    pages = [records(20_000)]
    batcher = ArrowBatcher(CATALOG)
    tables = list(batcher.tables(pages))
    start.wait(timeout=60)
    load_tables(table, tables, destination, Path(work))


def test_two_processes_load_one_duckdb_file(duck, tmp_path):
    context = multiprocessing.get_context("spawn")
    start = context.Barrier(2)
    children = [
        context.Process(
            target=_load_in_child,
            args=(str(duck.duckdb_path), table, str(tmp_path / table), start),
        )
        for table in ("contacts", "deals")
    ]

    for child in children:
        child.start()
    for child in children:
        child.join(timeout=300)

    assert [child.exitcode for child in children] == [0, 0]
    assert count_rows(duck, "contacts") == 20_000
    assert count_rows(duck, "deals") == 20_000
