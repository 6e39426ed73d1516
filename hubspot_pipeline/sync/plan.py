"""Choosing how to read a window: search it, or scan the whole object type with list.

Search reads 200 records per request at 5 requests per second (about 1,000 records per
second) and counts against its own limit; the list endpoint reads 100 per request within
the general 10-second limit (190 by default: about 1,900 records per second), but must
scan every record of the object type. Two cheap searches (one record each) give the
window's count and the portal's count; the plan with the fewer seconds wins.
"""

from dataclasses import dataclass

from hubspot_pipeline.hubspot.client import LIST_PAGE_LIMIT, SEARCH_PAGE_LIMIT, HubSpotClient
from hubspot_pipeline.objects import ObjectSpec
from hubspot_pipeline.sync.search_reader import search_body
from hubspot_pipeline.sync.windows import Window

PLAN_SEARCH = "search"
PLAN_LIST = "list"
# HubSpot answers 414 to URLs of about 16,000 characters (FACTS); the list endpoint takes
# properties in the query string, so catalogs longer than this are read with search.
MAX_LIST_PROPERTIES_CHARS = 12_000


@dataclass(frozen=True)
class Plan:
    name: str
    window_total: int
    portal_total: int


def count(client: HubSpotClient, spec: ObjectSpec, window: Window | None) -> int:
    if window is None:
        body = {"filterGroups": [], "properties": ["hs_object_id"], "limit": 1}
    else:
        body = search_body(spec, window, ["hs_object_id"], after_id=None) | {"limit": 1}
    return int(client.search_page(spec.name, body).get("total") or 0)


def choose_plan(
    client: HubSpotClient,
    spec: ObjectSpec,
    window: Window,
    properties: list[str],
    *,
    requests_per_ten_seconds: int,
    search_per_second: int,
) -> Plan:
    window_total = count(client, spec, window)
    if len(",".join(properties)) > MAX_LIST_PROPERTIES_CHARS or window_total == 0:
        return Plan(PLAN_SEARCH, window_total, -1)

    portal_total = count(client, spec, None)
    search_seconds = window_total / SEARCH_PAGE_LIMIT / search_per_second
    list_seconds = portal_total / LIST_PAGE_LIMIT / (requests_per_ten_seconds / 10)
    name = PLAN_LIST if list_seconds < search_seconds else PLAN_SEARCH
    return Plan(name, window_total, portal_total)
