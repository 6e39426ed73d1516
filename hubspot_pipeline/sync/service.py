"""The generic sync of one HubSpot object type over one window into the warehouse.

Every object asset calls `sync_object`; what differs between objects lives in their
`ObjectSpec`. The service reads pages from HubSpot, turns them into typed Arrow batches
and hands those to dlt, all as one stream, so memory stays bounded by a batch.
"""

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from hubspot_pipeline.hubspot.client import HubSpotClient
from hubspot_pipeline.hubspot.errors import ValidationError
from hubspot_pipeline.objects import ObjectSpec
from hubspot_pipeline.sync.arrow_batches import ArrowBatcher
from hubspot_pipeline.sync.list_reader import iter_list_pages
from hubspot_pipeline.sync.load import Destination, load_tables
from hubspot_pipeline.sync.plan import PLAN_LIST, PLAN_SEARCH, Plan, choose_plan, count
from hubspot_pipeline.sync.read_ahead import read_ahead
from hubspot_pipeline.sync.search_reader import SearchPage, iter_window_pages
from hubspot_pipeline.sync.windows import Window

PLAN_AUTO = "auto"


@dataclass
class SyncProgress:
    """A running count, reported after every page so that a run shows movement."""

    object_type: str
    window: Window
    records: int = 0
    pages: int = 0
    api_calls: int = 0
    http_429: int = 0
    retries: int = 0
    hubspot_total: int | None = None


@dataclass(frozen=True)
class SyncResult:
    object_type: str
    window: Window
    plan: str
    records: int
    pages: int
    api_calls: int
    http_429: int
    retries: int
    hubspot_total: int
    rows_loaded: int
    rejected_values: int
    seconds: float


def sync_object(
    client: HubSpotClient,
    spec: ObjectSpec,
    window: Window,
    destination: Destination,
    working_dir: Path,
    *,
    on_progress: Callable[[SyncProgress], None] | None = None,
    plan: str = PLAN_AUTO,
    requests_per_ten_seconds: int = 190,
    search_per_second: int = 5,
) -> SyncResult:
    """Read every record of `spec` modified in `window` and merge it into the warehouse.

    `plan` is "search", "list" or "auto" (the faster of the two for this window).
    """
    started = time.monotonic()
    calls_before = client.stats.snapshot()

    catalog = client.get_properties(spec.name)
    property_names = [prop.name for prop in catalog]
    batcher = ArrowBatcher(catalog)
    progress = SyncProgress(object_type=spec.name, window=window)
    chosen = _plan(
        client, spec, window, property_names, plan, requests_per_ten_seconds, search_per_second
    )

    def read() -> Iterator[SearchPage]:
        if chosen.name == PLAN_LIST:
            pages = iter_list_pages(client, spec, window, property_names, chosen.window_total)
        else:
            pages = iter_window_pages(client, spec, window, property_names)
        return read_ahead(pages)

    def pages() -> Iterator[list[dict]]:
        for page in read():
            if progress.hubspot_total is None:
                progress.hubspot_total = page.total
            progress.pages += 1
            progress.records += len(page.records)
            progress.api_calls = client.stats.api_calls - calls_before.api_calls
            progress.http_429 = client.stats.http_429 - calls_before.http_429
            progress.retries = client.stats.retries - calls_before.retries
            if on_progress is not None:
                on_progress(progress)
            yield page.records

    load = load_tables(
        spec.name,
        batcher.tables(pages()),
        destination,
        working_dir,
        rejected=lambda: batcher.rejected,
    )

    return SyncResult(
        object_type=spec.name,
        window=window,
        plan=chosen.name,
        records=progress.records,
        pages=progress.pages,
        api_calls=client.stats.api_calls - calls_before.api_calls,
        http_429=client.stats.http_429 - calls_before.http_429,
        retries=client.stats.retries - calls_before.retries,
        hubspot_total=progress.hubspot_total or 0,
        rows_loaded=load.rows_loaded,
        rejected_values=load.rejected_values,
        seconds=round(time.monotonic() - started, 3),
    )


def _plan(
    client: HubSpotClient,
    spec: ObjectSpec,
    window: Window,
    properties: list[str],
    plan: str,
    requests_per_ten_seconds: int,
    search_per_second: int,
) -> Plan:
    if plan == PLAN_AUTO:
        return choose_plan(
            client,
            spec,
            window,
            properties,
            requests_per_ten_seconds=requests_per_ten_seconds,
            search_per_second=search_per_second,
        )
    if plan == PLAN_LIST:
        # The list reader needs the window's count only for progress reports.
        return Plan(PLAN_LIST, count(client, spec, window), -1)
    if plan == PLAN_SEARCH:
        return Plan(PLAN_SEARCH, -1, -1)
    raise ValidationError(f"sync plan must be auto, search or list, got {plan!r}")
