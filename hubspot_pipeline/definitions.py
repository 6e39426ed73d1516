"""Assembles the code location: assets, jobs and resources. Nothing else lives here."""

import os

import dagster as dg

from hubspot_pipeline.assets import CRM_GROUP, build_crm_object_assets
from hubspot_pipeline.hubspot.budget_store import DEFAULT_BUDGET_URL
from hubspot_pipeline.hubspot.client import DEFAULT_BASE_URL
from hubspot_pipeline.partitions import crm_daily_partitions
from hubspot_pipeline.priorities import BACKFILL, priority_tags
from hubspot_pipeline.resources import (
    HubSpotResource,
    WarehouseResource,
    hubspot_credentials_from_env,
)

CRM_SYNC_JOB = "hubspot_crm_sync"


def hubspot_resource(access_token: str | None = None, **oauth) -> HubSpotResource:
    """The HubSpot resource as the environment configures it, around a token or OAuth."""
    return HubSpotResource(
        access_token=access_token,
        **oauth,
        base_url=os.environ.get("HUBSPOT_API_BASE_URL") or DEFAULT_BASE_URL,
        requests_per_ten_seconds=int(os.environ.get("HUBSPOT_REQUESTS_PER_TEN_SECONDS", 190)),
        # The URL may hold a password: an EnvVar keeps it out of the UI and run config.
        budget_url=dg.EnvVar("HUBSPOT_BUDGET_URL")
        if os.environ.get("HUBSPOT_BUDGET_URL")
        else DEFAULT_BUDGET_URL,
        daily_limit=int(os.environ["HUBSPOT_DAILY_LIMIT"])
        if os.environ.get("HUBSPOT_DAILY_LIMIT")
        else None,
        daily_reserved_share=float(os.environ.get("HUBSPOT_DAILY_RESERVED_SHARE", 0.1)),
        portal_timezone=os.environ.get("HUBSPOT_PORTAL_TIMEZONE") or "UTC",
        sync_plan=os.environ.get("HUBSPOT_SYNC_PLAN") or "auto",
        max_attempts=int(os.environ.get("HUBSPOT_MAX_ATTEMPTS") or 8),
    )


def warehouse_resource(postgres_url: str | None) -> WarehouseResource:
    return WarehouseResource(
        duckdb_path=os.environ.get("WAREHOUSE_DUCKDB_PATH", "data/warehouse.duckdb"),
        postgres_url=postgres_url,
        working_dir=os.environ.get("WAREHOUSE_DLT_DIR", "data/dlt"),
    )


def build_resources() -> dict[str, dg.ConfigurableResource]:
    """Resources from the environment; secrets stay `EnvVar`s, resolved only in the run."""
    has_postgres = bool(os.environ.get("WAREHOUSE_POSTGRES_URL"))
    return {
        "hubspot": hubspot_resource(**hubspot_credentials_from_env()),
        "warehouse": warehouse_resource(
            dg.EnvVar("WAREHOUSE_POSTGRES_URL") if has_postgres else None
        ),
    }


def build_definitions() -> dg.Definitions:
    partitions_def = crm_daily_partitions()
    crm_assets = build_crm_object_assets(partitions_def)
    crm_sync_job = dg.define_asset_job(
        CRM_SYNC_JOB,
        selection=dg.AssetSelection.groups(CRM_GROUP),
        partitions_def=partitions_def,
        description="Every CRM object over a range of days; one step per object.",
        tags=priority_tags(BACKFILL),
    )
    return dg.Definitions(assets=crm_assets, jobs=[crm_sync_job], resources=build_resources())


defs = build_definitions()


def crm_sync_job() -> dg.JobDefinition:
    """The sync job, importable by name so that `reconstructable` can rebuild it in a step."""
    return defs.resolve_job_def(CRM_SYNC_JOB)
