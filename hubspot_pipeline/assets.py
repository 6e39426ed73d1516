"""One Dagster asset per HubSpot CRM object type, all built from the same factory."""

import os

import dagster as dg

from hubspot_pipeline.hubspot.errors import ErrorCategory, HubSpotError
from hubspot_pipeline.objects import CRM_OBJECTS, ObjectSpec
from hubspot_pipeline.progress import ProgressReporter, tag_run, worker_id
from hubspot_pipeline.resources import HubSpotResource, WarehouseResource
from hubspot_pipeline.run_tags import ERROR_CATEGORY_TAG, WORKER_TAG
from hubspot_pipeline.sync.service import SyncResult, sync_object
from hubspot_pipeline.sync.windows import Window

CRM_GROUP = "hubspot_crm"
# The Dagster pool of every step that calls HubSpot: its limit (dagster.yaml's
# `concurrency.pools.default_limit`, or `dagster instance concurrency set hubspot_api N`)
# caps how many such steps run at once, whatever launched their runs.
HUBSPOT_POOL = "hubspot_api"


def crm_retry_policy() -> dg.RetryPolicy:
    """A failed step is retried for transient faults only (see `failure_for`).

    The client has already retried each request, so these retries are for longer outages.
    `HUBSPOT_STEP_MAX_RETRIES` (default 3) and `HUBSPOT_STEP_RETRY_DELAY_SECONDS` (default 5,
    doubled per retry) tune them; tests shorten them to keep a failing run short.
    """
    return dg.RetryPolicy(
        max_retries=int(os.environ.get("HUBSPOT_STEP_MAX_RETRIES") or 3),
        delay=float(os.environ.get("HUBSPOT_STEP_RETRY_DELAY_SECONDS") or 5),
        backoff=dg.Backoff.EXPONENTIAL,
        jitter=dg.Jitter.PLUS_MINUS,
    )


def failure_for(spec: ObjectSpec, error: HubSpotError) -> dg.Failure:
    """A step failure that carries the error category; only transient faults retry."""
    return dg.Failure(
        description=f"{spec.name} sync failed ({error.category}): {error.message}",
        metadata={
            "error_category": error.category.value,
            "status_code": error.status_code if error.status_code is not None else -1,
            "object_type": spec.name,
        },
        allow_retries=error.category is ErrorCategory.TRANSIENT,
    )


def materialize_result(result: SyncResult) -> dg.MaterializeResult:
    return dg.MaterializeResult(
        metadata={
            "records": result.records,
            "rows_loaded": result.rows_loaded,
            "hubspot_total": result.hubspot_total,
            "pages": result.pages,
            "api_calls": result.api_calls,
            "http_429": result.http_429,
            "retries": result.retries,
            "rejected_values": result.rejected_values,
            "seconds": result.seconds,
            "plan": result.plan,
            "window_start": result.window.start.isoformat(),
            "window_end": result.window.end.isoformat(),
        }
    )


def build_crm_object_asset(
    spec: ObjectSpec, partitions_def: dg.PartitionsDefinition, pool: str = HUBSPOT_POOL
) -> dg.AssetsDefinition:
    retry_policy = crm_retry_policy()

    @dg.asset(
        name=spec.name,
        description=spec.description,
        group_name=CRM_GROUP,
        partitions_def=partitions_def,
        kinds={"hubspot", "dlt"},
        retry_policy=retry_policy,
        pool=pool,
        metadata={"hubspot_object_type": spec.name, "partitioned_by": spec.last_modified_property},
    )
    def crm_object(
        context: dg.AssetExecutionContext,
        hubspot: HubSpotResource,
        warehouse: WarehouseResource,
    ) -> dg.MaterializeResult:
        time_window = context.partition_time_window
        window = Window(start=time_window.start, end=time_window.end)
        context.log.info("Syncing %s modified in %s", spec.name, window)
        # Last writer wins: with one process per step, the tag names the latest step's.
        tag_run(context, {WORKER_TAG: worker_id()})
        on_progress = ProgressReporter(context)

        try:
            # One sync per object and portal at a time, across runs and machines: two
            # merges into one table would race. A pool per object cannot do this, since a
            # step belongs to one pool only, and that one caps the calls to HubSpot.
            with (
                hubspot.exclusive_sync(spec.name),
                hubspot.build_client(logger=context.log) as client,
            ):
                context.log.info("Holding the %s sync lock", spec.name)
                result = sync_object(
                    client,
                    spec,
                    window,
                    warehouse.destination(),
                    warehouse.run_working_dir(context.run_id, spec.name),
                    on_progress=on_progress,
                    plan=hubspot.sync_plan,
                    requests_per_ten_seconds=hubspot.requests_per_ten_seconds,
                    search_per_second=hubspot.search_requests_per_second,
                )
        except HubSpotError as error:
            # The run tag lets the API, the CLI and the UI's run list show the category
            # without reading the event log; a transient fault that will be retried is
            # not the run's failure (yet).
            final = error.category is not ErrorCategory.TRANSIENT or (
                context.retry_number >= retry_policy.max_retries
            )
            if final:
                tag_run(context, {ERROR_CATEGORY_TAG: error.category.value})
            raise failure_for(spec, error) from error

        context.log.info(
            "Synced %s: %d records read (HubSpot counted %d), %d rows loaded, "
            "%d API calls, %d 429s, %.1fs",
            spec.name,
            result.records,
            result.hubspot_total,
            result.rows_loaded,
            result.api_calls,
            result.http_429,
            result.seconds,
        )
        return materialize_result(result)

    return crm_object


def build_crm_object_assets(
    partitions_def: dg.PartitionsDefinition, pool: str = HUBSPOT_POOL
) -> list[dg.AssetsDefinition]:
    return [build_crm_object_asset(spec, partitions_def, pool) for spec in CRM_OBJECTS]
