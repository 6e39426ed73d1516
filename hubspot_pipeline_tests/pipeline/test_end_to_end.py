"""The sync of every CRM object, from the simulator over real HTTP into a DuckDB file."""

from collections import Counter
from datetime import UTC, datetime

import pytest

from hubspot_pipeline.objects import CRM_OBJECTS
from hubspot_pipeline.simulator import HotDay, SimulatorConfig, SimulatorServer
from hubspot_pipeline_tests.conftest import hubspot_resource
from hubspot_pipeline_tests.pipeline.helpers import (
    loaded_ids,
    materialize_range,
    metadata_of,
    table_rows,
)

OBJECTS = [spec.name for spec in CRM_OBJECTS]
SMALL_PORTAL = SimulatorConfig(
    seed=11,
    contacts=900,
    companies=300,
    deals=500,
    tickets=200,
    days=60,
    end=datetime(2026, 11, 30, 12, 0, tzinfo=UTC),
)


@pytest.fixture(scope="module")
def simulator():
    with SimulatorServer(SMALL_PORTAL) as server:
        yield server


def test_every_seeded_record_is_loaded_exactly_once(
    simulator, token, warehouse, instance, tmp_path
):
    hubspot = hubspot_resource(simulator.base_url, token, tmp_path)

    result = materialize_range(SMALL_PORTAL, hubspot, warehouse, instance)

    assert result.success
    for object_type in OBJECTS:
        ids = loaded_ids(warehouse, object_type)
        assert Counter(ids).most_common(1)[0][1] == 1, f"duplicate ids in {object_type}"
        assert set(ids) == simulator.portal.ids(object_type), object_type
        metadata = metadata_of(result, object_type)
        expected = len(simulator.portal.ids(object_type))
        assert metadata["records"] == expected
        assert metadata["rows_loaded"] == expected
        assert metadata["hubspot_total"] == expected
        assert metadata["http_429"] == 0


def test_running_the_same_partitions_again_leaves_the_tables_unchanged(
    simulator, token, warehouse, instance, tmp_path
):
    hubspot = hubspot_resource(simulator.base_url, token, tmp_path)
    assert materialize_range(SMALL_PORTAL, hubspot, warehouse, instance).success
    before = {name: table_rows(warehouse, name) for name in OBJECTS}

    again = materialize_range(SMALL_PORTAL, hubspot, warehouse, instance)

    assert again.success
    for name in OBJECTS:
        assert table_rows(warehouse, name) == before[name], name


def test_values_are_typed_from_the_property_catalog(
    simulator, token, warehouse, tmp_path, instance
):
    hubspot = hubspot_resource(simulator.base_url, token, tmp_path)
    assert materialize_range(SMALL_PORTAL, hubspot, warehouse, instance, objects=["deals"]).success
    record = simulator.portal.records("deals")[0]

    rows = {row[0]: row for row in _deal_rows(warehouse)}

    _id, amount, updated_at = rows[record["id"]]
    raw_amount = record["properties"].get("amount")
    assert amount == (float(raw_amount) if raw_amount is not None else None)
    assert updated_at == datetime.fromisoformat(record["updatedAt"].replace("Z", "+00:00"))


def _deal_rows(warehouse):
    import duckdb

    with duckdb.connect(warehouse.duckdb_path, read_only=True) as conn:
        conn.execute("SET TimeZone = 'UTC'")
        return conn.execute("SELECT id, amount, updated_at FROM hubspot.deals").fetchall()


HOT_DAY = datetime(2026, 11, 20, tzinfo=UTC).date()


@pytest.mark.slow
def test_a_day_with_12000_modifications_on_shared_timestamps_loads_completely(
    token, warehouse, instance, tmp_path
):
    config = SimulatorConfig(
        seed=3,
        contacts=300,
        companies=0,
        deals=0,
        tickets=0,
        days=30,
        end=SMALL_PORTAL.end,
        hot_days=[HotDay("contacts", HOT_DAY, 12_500)],
    )
    with SimulatorServer(config) as server:
        hubspot = hubspot_resource(server.base_url, token, tmp_path)
        expected = {
            record["id"]
            for record in server.portal.records("contacts")
            if record["updatedAt"].startswith(HOT_DAY.isoformat())
        }
        stamps = Counter(
            record["updatedAt"]
            for record in server.portal.records("contacts")
            if record["id"] in expected
        )

        result = materialize_range(
            config,
            hubspot,
            warehouse,
            instance,
            objects=["contacts"],
            first=HOT_DAY.isoformat(),
            last=HOT_DAY.isoformat(),
        )

    assert len(expected) >= 12_500
    assert stamps.most_common(1)[0][1] >= 50, "the day must hold many equal timestamps"
    assert result.success
    ids = loaded_ids(warehouse, "contacts")
    assert len(ids) == len(set(ids))
    assert set(ids) == expected
    assert metadata_of(result, "contacts")["hubspot_total"] == len(expected)


def test_a_burst_of_429s_is_absorbed_without_a_failed_run(token, warehouse, instance, tmp_path):
    config = SimulatorConfig(
        seed=5,
        contacts=400,
        companies=150,
        deals=200,
        tickets=100,
        days=20,
        end=SMALL_PORTAL.end,
        rate_429_share=0.3,
    )
    with SimulatorServer(config) as server:
        hubspot = hubspot_resource(server.base_url, token, tmp_path, max_attempts=10)

        result = materialize_range(config, hubspot, warehouse, instance)

        assert result.success
        total_429 = 0
        for object_type in OBJECTS:
            assert set(loaded_ids(warehouse, object_type)) == server.portal.ids(object_type)
            total_429 += metadata_of(result, object_type)["http_429"]
        assert total_429 > 0
        assert total_429 == server.stats()["http_429"]["injected"]
