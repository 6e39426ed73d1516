"""Reads every record of a window exactly once through HubSpot's search endpoint.

HubSpot's search returns at most 10,000 results per query: paging past that answers 400.
A window with more records must therefore be split into queries of at most 10,000 each,
and the split points must not lose or repeat records. Splitting on the last-modified time
fails exactly where it matters: many records share one millisecond at a boundary (imports,
workflows, bulk edits), and a boundary inside such a group either drops or repeats them.

So the split key is the record id, which is unique: every query asks for the window's
records with `hs_object_id` greater than the last id seen, sorted by id, one page long.
Each query starts at offset zero, so none gets near the 10,000 cap however large the
window is, and a record that moves out of the window while we read (it was modified, so
now it belongs to today's partition) cannot shift the offsets of the records after it.
"""

from collections.abc import Iterator
from dataclasses import dataclass

from hubspot_pipeline.hubspot.client import SEARCH_PAGE_LIMIT, HubSpotClient
from hubspot_pipeline.objects import ObjectSpec
from hubspot_pipeline.sync.windows import Window

ID_PROPERTY = "hs_object_id"


@dataclass(frozen=True)
class SearchPage:
    records: list[dict]
    total: int


def search_body(
    spec: ObjectSpec, window: Window, properties: list[str], after_id: int | None
) -> dict:
    filters = [
        {
            "propertyName": spec.last_modified_property,
            "operator": "GTE",
            "value": str(window.start_ms),
        },
        {
            "propertyName": spec.last_modified_property,
            "operator": "LT",
            "value": str(window.end_ms),
        },
    ]
    if after_id is not None:
        filters.append({"propertyName": ID_PROPERTY, "operator": "GT", "value": str(after_id)})
    return {
        "filterGroups": [{"filters": filters}],
        "sorts": [{"propertyName": ID_PROPERTY, "direction": "ASCENDING"}],
        "properties": properties,
        "limit": SEARCH_PAGE_LIMIT,
    }


def iter_window_pages(
    client: HubSpotClient, spec: ObjectSpec, window: Window, properties: list[str]
) -> Iterator[SearchPage]:
    """Yield the window's records page by page, each record once."""
    after_id: int | None = None
    while True:
        body = client.search_page(spec.name, search_body(spec, window, properties, after_id))
        records = body.get("results") or []
        yield SearchPage(records=records, total=int(body.get("total") or 0))

        if not records or not body.get("paging"):
            return
        # The largest id, not the last one: HubSpot's search does not promise that a
        # page arrives in the order the sort asked for.
        after_id = max(int(record["id"]) for record in records)
