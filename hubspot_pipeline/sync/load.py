"""Load typed Arrow tables into DuckDB or PostgreSQL with dlt, merging on the record id."""

import hashlib
import logging
import shutil
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

import dlt
import duckdb
import psycopg2
import pyarrow as pa
from dlt.common.normalizers.naming.snake_case import NamingConvention
from filelock import FileLock
from psycopg2 import sql

__all__ = [
    "REJECTED_TABLE",
    "Destination",
    "LoadResult",
    "count_rows",
    "distinct_ids",
    "load_tables",
]

logger = logging.getLogger(__name__)

REJECTED_TABLE = "_rejected_values"

_REJECTED_SCHEMA = pa.schema(
    [
        pa.field("table_name", pa.string(), nullable=False),
        pa.field("object_id", pa.string(), nullable=False),
        pa.field("property", pa.string(), nullable=False),
        pa.field("value", pa.string()),
        pa.field("reason", pa.string()),
        pa.field("loaded_at", pa.timestamp("us", tz="UTC"), nullable=False),
    ]
)


@dataclass(frozen=True)
class Destination:
    """Where the sync writes: a DuckDB file or a PostgreSQL database, in one dataset (schema)."""

    kind: Literal["duckdb", "postgres"]
    duckdb_path: Path | None = None
    # The URL can hold a password: keep it out of repr, and so out of logs and tracebacks.
    postgres_url: str | None = field(default=None, repr=False)
    dataset_name: str = "hubspot"

    @classmethod
    def duckdb(cls, path: Path | str, dataset_name: str = "hubspot") -> "Destination":
        path = Path(path)
        # DuckDB names the catalog after the file; a catalog and a schema of the same name
        # make `hubspot.contacts` ambiguous and dlt's schema updates fail with a binder error.
        if path.stem == dataset_name:
            raise ValueError(
                f"DuckDB file {path.name!r} would shadow dataset {dataset_name!r}:"
                " name the file differently (e.g. hubspot_crm.duckdb)"
            )
        return cls(kind="duckdb", duckdb_path=path, dataset_name=dataset_name)

    @classmethod
    def postgres(cls, url: str, dataset_name: str = "hubspot") -> "Destination":
        return cls(kind="postgres", postgres_url=url, dataset_name=dataset_name)

    def dlt_destination(self) -> dlt.destinations.duckdb | dlt.destinations.postgres:
        """The dlt destination factory for this destination."""
        if self.kind == "duckdb":
            return dlt.destinations.duckdb(str(self._path()))
        return dlt.destinations.postgres(credentials=self._url())

    def write_lock(self) -> AbstractContextManager[object]:
        """A cross-process lock for writing, or a no-op where the database serializes writers.

        DuckDB allows one writing process per file, so every process that opens the file takes
        this lock first. PostgreSQL handles concurrent sessions itself; but two merges into
        the same table still race (both delete, then both insert), which is why the Dagster
        pool serializes writers per table rather than this lock.
        """
        if self.kind == "duckdb":
            return FileLock(f"{self._path()}.lock")
        return nullcontext()

    def _path(self) -> Path:
        if self.duckdb_path is None:
            raise ValueError("a duckdb destination needs duckdb_path")
        return self.duckdb_path

    def _url(self) -> str:
        if self.postgres_url is None:
            raise ValueError("a postgres destination needs postgres_url")
        return self.postgres_url


@dataclass
class LoadResult:
    """What one load wrote, for the asset's materialization metadata."""

    table: str
    rows_loaded: int
    rejected_values: int
    load_id: str | None
    seconds: float


def load_tables(
    table_name: str,
    tables: Iterable[pa.Table],
    destination: Destination,
    working_dir: Path,
    rejected: Callable[[], list] | None = None,
) -> LoadResult:
    """Merge `tables` into `table_name` on `id`, and append the batcher's rejected values.

    `working_dir` must be unique to the run: dlt keeps packages and state there, and two runs
    sharing it would load each other's data. It is deleted after a successful load and kept
    after a failure for inspection.

    Extraction and normalization (which pull the records from HubSpot) run without any lock;
    only the load step takes the destination's write lock, so a long sync blocks other
    writers for seconds, not for the whole sync.
    """
    started = time.monotonic()
    pipeline = dlt.pipeline(
        pipeline_name=f"hubspot_{table_name}",
        pipelines_dir=str(working_dir),
        destination=destination.dlt_destination(),
        dataset_name=destination.dataset_name,
    )
    # Dagster partitions track progress, not dlt state: never read state or schemas back from
    # the destination (for DuckDB that would also open the file outside the lock).
    pipeline.config.restore_from_destination = False
    if pipeline.has_pending_data:
        # Left by a failed attempt of this run; the retry extracts everything again.
        logger.warning("dropping pending dlt packages of %s from a failed attempt", table_name)
        pipeline.drop_pending_packages()

    records = dlt.resource(
        _prepared(tables, _naming(destination)),
        name=table_name,
        write_disposition="merge",
        primary_key="id",
        # The same record can appear twice in one stream (it changed while we paged); keep
        # the newest version rather than an arbitrary one.
        columns={"updated_at": {"dedup_sort": "desc"}},
    )
    extract_info = pipeline.extract(records, loader_file_format="parquet")

    # Normalize each package right after its extract: extracting the second package first
    # would change the stored schema under the first one (dlt warns about that).
    normalize_info = pipeline.normalize()
    naming = pipeline.default_schema.naming
    rows_loaded = normalize_info.row_counts.get(naming.normalize_table_identifier(table_name), 0)

    # Rejected values are known only once the tables are exhausted, so they get their own
    # package; both packages are loaded by the same load step below.
    rejected_rows = _rejected_table(table_name, rejected() if rejected else [])
    if rejected_rows.num_rows:
        rejected_resource = dlt.resource(
            [rejected_rows], name=REJECTED_TABLE, write_disposition="append"
        )
        pipeline.extract(rejected_resource, loader_file_format="parquet")
        pipeline.normalize()

    load_id = None
    if pipeline.has_pending_data:
        with destination.write_lock():
            load_info = pipeline.load()
        load_info.raise_on_failed_jobs()
        # The first package holds the records; a second one, if any, the rejected values.
        load_id = (extract_info.loads_ids or load_info.loads_ids or [None])[0]

    shutil.rmtree(working_dir, ignore_errors=True)
    seconds = time.monotonic() - started
    logger.info(
        "loaded %s rows into %s.%s (%s), %s rejected values, in %.1f s",
        rows_loaded,
        destination.dataset_name,
        table_name,
        destination.kind,
        rejected_rows.num_rows,
        seconds,
    )
    return LoadResult(
        table=table_name,
        rows_loaded=rows_loaded,
        rejected_values=rejected_rows.num_rows,
        load_id=load_id,
        seconds=seconds,
    )


def _naming(destination: Destination) -> NamingConvention:
    capabilities = destination.dlt_destination().capabilities()
    return NamingConvention(max_length=capabilities.max_column_identifier_length)


def _prepared(tables: Iterable[pa.Table], naming: NamingConvention) -> Iterator[pa.Table]:
    """Make tables safe for dlt: unique column names after normalization, µs timestamps."""
    for table in tables:
        table = table.rename_columns(_unique_column_names(table.column_names, naming))
        fields = [f.with_type(_widened(f.type)) for f in table.schema]
        yield table.cast(pa.schema(fields, metadata=table.schema.metadata))


def _widened(arrow_type: pa.DataType) -> pa.DataType:
    # DuckDB's and PostgreSQL's time-zone-aware timestamps are microsecond; given milliseconds
    # dlt warns on every such column of every load. The widening is lossless.
    if pa.types.is_timestamp(arrow_type) and arrow_type.unit == "ms":
        return pa.timestamp("us", tz=arrow_type.tz)
    return arrow_type


def _unique_column_names(names: list[str], naming: NamingConvention) -> list[str]:
    """Rename columns that dlt would normalize to the same name, so no property is lost.

    HubSpot property names are case-sensitive (`Email` and `email` can both exist), while
    dlt lower-cases them and refuses a table where two columns collide. Of a colliding group,
    a name already in normalized form keeps it; the others get a suffix from a hash of their
    HubSpot name, so the column they land in does not depend on catalog order.
    """
    groups: dict[str, list[str]] = {}
    for name in names:
        groups.setdefault(naming.normalize_identifier(name), []).append(name)
    renamed: dict[str, str] = {}
    for normalized, group in groups.items():
        if len(group) == 1:
            continue
        for name in group:
            if name != normalized:
                digest = hashlib.sha1(name.encode()).hexdigest()[:8]
                renamed[name] = f"{name}__{digest}"
    return [renamed.get(name, name) for name in names]


def _rejected_table(table_name: str, rejected: list) -> pa.Table:
    loaded_at = datetime.now(UTC)
    return pa.Table.from_pylist(
        [
            {
                "table_name": table_name,
                "object_id": value.object_id,
                "property": value.property,
                "value": value.value,
                "reason": value.reason,
                "loaded_at": loaded_at,
            }
            for value in rejected
        ],
        schema=_REJECTED_SCHEMA,
    )


def count_rows(destination: Destination, table_name: str) -> int:
    """Rows in `table_name`, or 0 if the table does not exist yet."""
    rows = _query(destination, table_name, "SELECT count(*) FROM {table}")
    return int(rows[0][0]) if rows else 0


def distinct_ids(destination: Destination, table_name: str) -> set[str]:
    """The distinct record ids in `table_name`, or an empty set if it does not exist yet."""
    rows = _query(destination, table_name, "SELECT DISTINCT id FROM {table}")
    return {str(row[0]) for row in rows}


def _query(destination: Destination, table_name: str, template: str) -> list[tuple]:
    if destination.kind == "duckdb":
        return _query_duckdb(destination, table_name, template)
    return _query_postgres(destination, table_name, template)


def _query_duckdb(destination: Destination, table_name: str, template: str) -> list[tuple]:
    path = destination.duckdb_path
    if path is None or not path.exists():
        return []
    # Even a read-only connection conflicts with another process writing the file.
    with destination.write_lock(), duckdb.connect(str(path), read_only=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM information_schema.tables WHERE table_schema = ? AND table_name = ?",
            [destination.dataset_name, table_name],
        ).fetchone()
        if not exists:
            return []
        table = f"{_quote(destination.dataset_name)}.{_quote(table_name)}"
        return connection.execute(template.format(table=table)).fetchall()


def _query_postgres(destination: Destination, table_name: str, template: str) -> list[tuple]:
    # psycopg2 takes libpq URLs; drop a SQLAlchemy-style driver suffix if one was given.
    url = destination._url().replace("postgresql+psycopg2://", "postgresql://", 1)
    connection = psycopg2.connect(url)
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT 1 FROM information_schema.tables"
                " WHERE table_schema = %s AND table_name = %s",
                [destination.dataset_name, table_name],
            )
            if cursor.fetchone() is None:
                return []
            table = sql.Identifier(destination.dataset_name, table_name)
            cursor.execute(sql.SQL(template).format(table=table))
            return cursor.fetchall()
    finally:
        connection.close()


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'
