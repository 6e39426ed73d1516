"""`make sync`: the whole history of every CRM object, as one Dagster run, then a check.

The run goes through the instance in DAGSTER_HOME with the job's own executor, so each
object is its own step (one object's failure leaves the others loaded) and the UI shows
the run afterwards. The range of days is one run, not a run per day.
"""

import os
import sys
from dataclasses import dataclass
from datetime import UTC, datetime

import dagster as dg
from rich.console import Console
from rich.table import Table

from hubspot_pipeline.hubspot.client import DEFAULT_BASE_URL, HubSpotClient
from hubspot_pipeline.hubspot.errors import HubSpotError
from hubspot_pipeline.objects import CRM_OBJECTS, ObjectSpec
from hubspot_pipeline.partitions import crm_daily_partitions
from hubspot_pipeline.resources import (
    hubspot_credential_values_from_env,
    hubspot_credentials_present,
)
from hubspot_pipeline.sync.search_reader import search_body
from hubspot_pipeline.sync.verify import count_rows_in_window
from hubspot_pipeline.sync.windows import Window

RANGE_START_TAG = "dagster/asset_partition_range_start"
RANGE_END_TAG = "dagster/asset_partition_range_end"
MISSING_TOKEN_HELP = (
    "HUBSPOT_ACCESS_TOKEN is not set. Set it to the access token of a HubSpot private app "
    "with read scopes for contacts, companies, deals and tickets (and HUBSPOT_API_BASE_URL "
    "if the portal is not at https://api.hubapi.com), or set HUBSPOT_CLIENT_ID, "
    "HUBSPOT_CLIENT_SECRET and HUBSPOT_REFRESH_TOKEN to use OAuth. "
    "`make demo` runs against the simulator."
)


@dataclass(frozen=True)
class ObjectReport:
    object_type: str
    hubspot_total: int | None
    rows_in_warehouse: int
    records_loaded: int | None
    api_calls: int | None
    seconds: float | None
    step_succeeded: bool

    @property
    def matches(self) -> bool:
        return (
            self.step_succeeded
            and self.hubspot_total is not None
            and self.hubspot_total == self.rows_in_warehouse
        )


def launch_full_sync(instance: dg.DagsterInstance) -> tuple[dg.JobExecutionResult, Window]:
    from hubspot_pipeline.definitions import crm_sync_job

    partitions_def = crm_daily_partitions()
    keys = partitions_def.get_partition_keys()
    window = Window(
        partitions_def.time_window_for_partition_key(keys[0]).start,
        partitions_def.time_window_for_partition_key(keys[-1]).end,
    )
    result = dg.execute_job(
        dg.reconstructable(crm_sync_job),
        instance=instance,
        tags={RANGE_START_TAG: keys[0], RANGE_END_TAG: keys[-1], "hubspot/trigger": "make-sync"},
        raise_on_error=False,
    )
    return result, window


def hubspot_total(client: HubSpotClient, spec: ObjectSpec, window: Window) -> int:
    body = search_body(spec, window, ["hs_object_id"], after_id=None) | {"limit": 1}
    return int(client.search_page(spec.name, body).get("total") or 0)


def step_metadata(result: dg.JobExecutionResult, object_type: str) -> dict | None:
    materializations = result.asset_materializations_for_node(object_type)
    if not materializations:
        return None
    return {key: value.value for key, value in materializations[0].metadata.items()}


def build_reports(result: dg.JobExecutionResult, window: Window) -> list[ObjectReport]:
    from hubspot_pipeline.definitions import hubspot_resource, warehouse_resource

    hubspot = hubspot_resource(**hubspot_credential_values_from_env())
    destination = warehouse_resource(os.environ.get("WAREHOUSE_POSTGRES_URL")).destination()

    reports = []
    with hubspot.build_client() as client:
        for spec in CRM_OBJECTS:
            metadata = step_metadata(result, spec.name)
            try:
                total: int | None = hubspot_total(client, spec, window)
            except HubSpotError as error:
                print(f"Could not read HubSpot's total for {spec.name}: {error}", file=sys.stderr)
                total = None
            reports.append(
                ObjectReport(
                    object_type=spec.name,
                    hubspot_total=total,
                    rows_in_warehouse=count_rows_in_window(destination, spec.name, window),
                    records_loaded=metadata["rows_loaded"] if metadata else None,
                    api_calls=metadata["api_calls"] if metadata else None,
                    seconds=metadata["seconds"] if metadata else None,
                    step_succeeded=metadata is not None,
                )
            )
    return reports


def print_reports(console: Console, reports: list[ObjectReport], run_id: str) -> None:
    table = Table(title=f"HubSpot sync, Dagster run {run_id}")
    for column in ("object", "in HubSpot", "in warehouse", "loaded this run", "API calls"):
        table.add_column(column, justify="right" if column != "object" else "left")
    table.add_column("seconds", justify="right")
    table.add_column("check")

    def show(value: object) -> str:
        return "-" if value is None else str(value)

    for report in reports:
        table.add_row(
            report.object_type,
            show(report.hubspot_total),
            str(report.rows_in_warehouse),
            show(report.records_loaded),
            show(report.api_calls),
            show(report.seconds),
            "[green]ok[/green]" if report.matches else "[red]MISMATCH[/red]",
        )
    console.print(table)


def main() -> int:
    console = Console()
    if not hubspot_credentials_present():
        console.print(f"[red]{MISSING_TOKEN_HELP}[/red]")
        return 2
    if not os.environ.get("DAGSTER_HOME"):
        console.print("[red]DAGSTER_HOME is not set; `make sync` sets it to .dagster_home.[/red]")
        return 2

    base_url = os.environ.get("HUBSPOT_API_BASE_URL") or DEFAULT_BASE_URL
    console.print(
        f"Syncing every CRM object from {base_url} ({datetime.now(UTC):%Y-%m-%d %H:%M} UTC)"
    )
    with dg.DagsterInstance.get() as instance:
        result, window = launch_full_sync(instance)
        console.print(
            f"Dagster run {result.run_id} ended: {'success' if result.success else 'FAILURE'}"
        )
        reports = build_reports(result, window)

    print_reports(console, reports, result.run_id)
    if result.success and all(report.matches for report in reports):
        console.print("Every count matches HubSpot's.")
        return 0
    console.print(
        "[red]Some objects failed or their counts differ from HubSpot's; see above.[/red]"
    )
    return 1


if __name__ == "__main__":
    sys.exit(main())
