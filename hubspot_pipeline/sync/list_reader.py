"""Reads a window by scanning the whole object type through HubSpot's list endpoint.

The list endpoint (`GET /crm/v3/objects/{objectType}`, 100 records per page) cannot filter
by time, but it costs the general 10-second budget instead of search's 5 requests per
second and has no 10,000-result cap. For a window that holds most of the portal (a
backfill of the whole history) a full scan is therefore the faster plan: it pages
through every record once, in HubSpot's id order, and keeps those whose last-modified
time lies in the window. Each record is listed once per scan, so each is kept at most
once; a record modified during the scan is kept or not by its new time, as search would.
"""

import math
from collections.abc import Iterator
from datetime import datetime

from hubspot_pipeline.hubspot.client import LIST_PAGE_LIMIT, HubSpotClient
from hubspot_pipeline.objects import ObjectSpec
from hubspot_pipeline.sync.search_reader import SearchPage
from hubspot_pipeline.sync.windows import Window, to_epoch_ms


def modified_ms(record: dict, spec: ObjectSpec) -> int | None:
    """The record's last-modified time in epoch ms, from its property or `updatedAt`."""
    value = (record.get("properties") or {}).get(spec.last_modified_property) or record.get(
        "updatedAt"
    )
    if not value:
        return None
    if str(value).isdigit():
        return int(value)
    return to_epoch_ms(datetime.fromisoformat(str(value).replace("Z", "+00:00")))


def iter_list_pages(
    client: HubSpotClient, spec: ObjectSpec, window: Window, properties: list[str], total: int
) -> Iterator[SearchPage]:
    """Yield the window's records page by page; `total` is the window's count from search."""
    after: str | None = None
    kept = 0
    while True:
        # A scan reads the whole portal, so the window's count only estimates what is left.
        pages_left = max(0, math.ceil((total - kept) / LIST_PAGE_LIMIT) - 1)
        body = client.list_page(
            spec.name,
            properties=properties,
            after=after,
            limit=LIST_PAGE_LIMIT,
            pages_left=pages_left if kept < total else None,
        )
        records = [
            record
            for record in body.get("results") or []
            if (stamp := modified_ms(record, spec)) is not None
            and window.start_ms <= stamp < window.end_ms
        ]
        kept += len(records)
        yield SearchPage(records=records, total=total)

        after = ((body.get("paging") or {}).get("next") or {}).get("after")
        if not after:
            return
