"""Running the CRM assets the way a run does, and reading the warehouse back."""

from datetime import timedelta

import dagster as dg
import duckdb

from hubspot_pipeline.assets import build_crm_object_assets
from hubspot_pipeline.full_sync import RANGE_END_TAG, RANGE_START_TAG
from hubspot_pipeline.partitions import crm_daily_partitions
from hubspot_pipeline.resources import HubSpotResource, WarehouseResource
from hubspot_pipeline.simulator import SimulatorConfig


def partitions_for(config: SimulatorConfig) -> dg.DailyPartitionsDefinition:
    first_day = (config.end - timedelta(days=config.days + 1)).date()
    return crm_daily_partitions(first_day.isoformat())


def materialize_range(
    config: SimulatorConfig,
    hubspot: HubSpotResource,
    warehouse: WarehouseResource,
    instance: dg.DagsterInstance,
    *,
    objects: list[str] | None = None,
    first: str | None = None,
    last: str | None = None,
) -> dg.ExecuteInProcessResult:
    """One run over a range of partitions (all of them by default), as a backfill does."""
    partitions_def = partitions_for(config)
    keys = partitions_def.get_partition_keys(current_time=config.end)
    assets = [
        asset
        for asset in build_crm_object_assets(partitions_def)
        if objects is None or asset.key.path[-1] in objects
    ]
    return dg.materialize(
        assets,
        resources={"hubspot": hubspot, "warehouse": warehouse},
        instance=instance,
        tags={RANGE_START_TAG: first or keys[0], RANGE_END_TAG: last or keys[-1]},
        raise_on_error=False,
    )


def table_rows(warehouse: WarehouseResource, table: str) -> list[tuple]:
    """Every row of a table without dlt's bookkeeping columns, sorted by id."""
    with duckdb.connect(warehouse.duckdb_path, read_only=True) as conn:
        columns = [
            name
            for (name,) in conn.execute(
                "SELECT column_name FROM information_schema.columns "
                "WHERE table_schema = 'hubspot' AND table_name = ? ORDER BY column_name",
                [table],
            ).fetchall()
            if not name.startswith("_dlt")
        ]
        column_list = ", ".join(f'"{name}"' for name in columns)
        return conn.execute(f"SELECT {column_list} FROM hubspot.{table} ORDER BY id").fetchall()


def loaded_ids(warehouse: WarehouseResource, table: str) -> list[str]:
    with duckdb.connect(warehouse.duckdb_path, read_only=True) as conn:
        return [row[0] for row in conn.execute(f"SELECT id FROM hubspot.{table}").fetchall()]


def metadata_of(result: dg.ExecuteInProcessResult, object_type: str) -> dict:
    materialization = result.asset_materializations_for_node(object_type)[0]
    return {key: value.value for key, value in materialization.metadata.items()}
