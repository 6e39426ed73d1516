"""Object endpoints: list, read, batch read, search and properties (FACTS §3-5, §7).

Choices on UNVERIFIED points: a list `limit` over 100 is refused with 400 (not clamped);
with `propertiesWithHistory` a list page holds at most 50 records and a batch read takes at
most 50 inputs; a batch read does not follow merged-away ids (a single GET does);
`associations` on list is ignored.
"""

import base64
import binascii
import json
import random
from datetime import UTC, datetime

from starlette.requests import Request
from starlette.responses import Response

from hubspot_pipeline.simulator import errors
from hubspot_pipeline.simulator.config import SimulatorConfig
from hubspot_pipeline.simulator.gate import (
    HubSpotJSON,
    bad_request,
    error,
    handler,
    state_of,
)
from hubspot_pipeline.simulator.objects import TYPES
from hubspot_pipeline.simulator.portal import Portal
from hubspot_pipeline.simulator.render import history_names, property_names, render, split_names
from hubspot_pipeline.simulator.search_request import SearchError, parse_search
from hubspot_pipeline.simulator.store import ObjectStore

LIST_MAX_LIMIT = 100
HISTORY_MAX_LIMIT = 50
BATCH_MAX_INPUTS = 100


def _is_true(value: str | None) -> bool:
    return (value or "").lower() == "true"


def object_type_of(request: Request, headers: dict[str, str]) -> str:
    name = request.path_params["objectType"]
    object_type = Portal.resolve(name)
    if object_type is None:
        raise error(errors.unknown_object_type(name), 404, headers)
    if object_type in state_of(request).config.fail_object_types:
        raise error(errors.service_unavailable(), 503, headers)
    return object_type


def _store(request: Request, headers: dict[str, str]) -> ObjectStore:
    return state_of(request).portal.store(object_type_of(request, headers))


async def pause(config: SimulatorConfig, property_count: int) -> None:
    import asyncio

    delay_ms = config.latency_ms + config.latency_per_property_ms * property_count
    if delay_ms > 0:
        await asyncio.sleep(delay_ms / 1000)


def _list_limit(raw: str | None, headers: dict[str, str]) -> int:
    if raw is None:
        return 10
    try:
        limit = int(raw)
    except ValueError:
        raise bad_request(f"limit must be an integer, got {raw!r}.", headers) from None
    if not 1 <= limit <= LIST_MAX_LIMIT:
        raise bad_request(f"limit must be between 1 and {LIST_MAX_LIMIT}, got {limit}.", headers)
    return limit


def encode_after(record_id: str, hop: int) -> str:
    """An opaque cursor, base64 like the spec's example `NTI1Cg==` (FACTS §3)."""
    return base64.b64encode(f"{record_id}:{hop}".encode()).decode()


def _decode_after(after: str, headers: dict[str, str]) -> tuple[int, int]:
    """(record id, hop) from a plain id or an opaque cursor; hop counts empty pages."""
    if after.isdigit():
        return int(after), 0
    try:
        record_id, hop = base64.b64decode(after, validate=True).decode().split(":")
        return int(record_id), int(hop)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise bad_request(
            f"after must be a cursor from paging.next.after: {after!r}", headers
        ) from None


def _page_length(config: SimulatorConfig, start: int, hop: int, limit: int) -> int:
    """The page length: `limit`, or with the short-page quirk sometimes fewer, even none.

    Empty pages need the opaque cursor, which carries the hop that moves the next roll on.
    """
    if config.short_page_share == 0 or limit == 1:
        return limit
    rng = random.Random(f"{config.seed}:short:{start}:{hop}:{limit}")
    if rng.random() >= config.short_page_share:
        return limit
    return rng.randint(0 if config.opaque_after else 1, limit - 1)


@handler("list_objects")
async def list_objects(request: Request, headers: dict[str, str]) -> Response:
    state = state_of(request)
    config = state.config
    object_type = object_type_of(request, headers)
    store = state.portal.store(object_type)
    params = request.query_params
    limit = _list_limit(params.get("limit"), headers)
    with_history = history_names(store, split_names(params.getlist("propertiesWithHistory")))
    if with_history:
        limit = min(limit, HISTORY_MAX_LIMIT)
    names = property_names(store, split_names(params.getlist("properties")))
    await pause(config, len(names) + len(with_history))

    records = (
        state.portal.archived_records(object_type)
        if _is_true(params.get("archived"))
        else store.records
    )
    start_id, hop = _decode_after(params["after"], headers) if params.get("after") else (0, 0)
    start = _first_at_or_after(records, start_id)
    length = _page_length(config, start, hop, limit)
    page = records[start : start + length]
    body: dict = {"results": [render(record, names, with_history) for record in page]}
    if start + length < len(records):
        next_id = records[start + length]["id"]
        next_after = encode_after(next_id, hop + 1 if length == 0 else 0)
        next_after = next_after if config.opaque_after else next_id
        body["paging"] = {
            "next": {
                "after": next_after,
                "link": str(request.url.include_query_params(after=next_after)),
            }
        }
    return HubSpotJSON(body, headers=headers)


def _first_at_or_after(records: list[dict], record_id: int) -> int:
    from bisect import bisect_left

    return bisect_left(records, record_id, key=lambda record: int(record["id"]))


def _unique_lookup(store: ObjectStore, id_property: str | None, headers: dict[str, str]):
    """A function from an id (or unique property value) to a record, or None."""
    if not id_property or id_property == "hs_object_id":
        return store.find
    spec = store.specs.get(id_property)
    if spec is None or not (spec.has_unique_value or id_property == "email"):
        raise bad_request(
            f"{id_property} is not a unique property and cannot be an idProperty.", headers
        )
    by_value = {
        record["properties"].get(id_property): record
        for record in store.records
        if record["properties"].get(id_property)
    }
    return by_value.get


@handler("get_object")
async def get_object(request: Request, headers: dict[str, str]) -> Response:
    state = state_of(request)
    object_type = object_type_of(request, headers)
    store = state.portal.store(object_type)
    params = request.query_params
    record_id = request.path_params["objectId"]
    if _is_true(params.get("archived")):
        record = next(
            (r for r in state.portal.archived_records(object_type) if r["id"] == record_id), None
        )
    elif params.get("idProperty") not in (None, "", "hs_object_id"):
        record = _unique_lookup(store, params.get("idProperty"), headers)(record_id)
    else:
        # A merged-away id answers with the record it was merged into (FACTS §10).
        record = state.portal.find(object_type, record_id)
    if record is None:
        raise error(errors.object_not_found(record_id), 404, headers)
    names = property_names(store, split_names(params.getlist("properties")))
    with_history = history_names(store, split_names(params.getlist("propertiesWithHistory")))
    await pause(state.config, len(names) + len(with_history))
    return HubSpotJSON(render(record, names, with_history), headers=headers)


async def _json_body(request: Request, headers: dict[str, str]) -> dict:
    try:
        body = json.loads(await request.body() or b"{}")
    except json.JSONDecodeError:
        raise bad_request("The request body is not valid JSON.", headers) from None
    if not isinstance(body, dict):
        raise bad_request("The request body must be a JSON object.", headers)
    return body


def _now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


@handler("batch_read")
async def batch_read(request: Request, headers: dict[str, str]) -> Response:
    started = _now_iso()
    state = state_of(request)
    object_type = object_type_of(request, headers)
    store = state.portal.store(object_type)
    body = await _json_body(request, headers)
    inputs = body.get("inputs")
    if not isinstance(inputs, list) or not all(
        isinstance(item, dict) and item.get("id") is not None for item in inputs
    ):
        raise bad_request("inputs must be a list of objects with an id.", headers)
    with_history = history_names(store, list(body.get("propertiesWithHistory") or []))
    maximum = HISTORY_MAX_LIMIT if with_history else BATCH_MAX_INPUTS
    if len(inputs) > maximum:
        what = "for property histories " if with_history else ""
        raise bad_request(
            f"The maximum number of inputs supported in a batch request {what}is {maximum}",
            headers,
        )
    names = property_names(store, list(body.get("properties") or []))
    await pause(state.config, len(names) + len(with_history))

    if _is_true(request.query_params.get("archived")):
        archived = {r["id"]: r for r in state.portal.archived_records(object_type)}
        lookup = archived.get
    else:
        lookup = _unique_lookup(store, body.get("idProperty"), headers)
    found: dict[str, dict] = {}
    missing: list[str] = []
    for item in inputs:
        key = str(item["id"])
        record = lookup(key)
        if record is None:
            missing.append(key)
        elif record["id"] not in found:
            found[record["id"]] = record
    error_name = TYPES[object_type].error_name
    if not found and missing:
        raise error(
            errors.error_body(
                "OBJECT_NOT_FOUND",
                errors.batch_not_found(error_name, missing)["message"],
                {"ids": missing},
            ),
            404,
            headers,
        )
    answer: dict = {
        "status": "COMPLETE",
        "results": [render(record, names, with_history) for record in found.values()],
        "startedAt": started,
        "completedAt": _now_iso(),
    }
    if missing:
        answer["numErrors"] = 1
        answer["errors"] = [errors.batch_not_found(error_name, missing)]
    return HubSpotJSON(answer, status_code=207 if missing else 200, headers=headers)


@handler("search_objects", search=True)
async def search_objects(request: Request, headers: dict[str, str]) -> Response:
    state = state_of(request)
    object_type = object_type_of(request, headers)
    limit = state.config.max_search_body_chars
    if limit is not None and len(await request.body()) > limit:
        raise bad_request(f"The search request body is longer than {limit} characters.", headers)
    try:
        search = parse_search(await _json_body(request, headers))
    except SearchError as exc:
        raise bad_request(str(exc), headers) from None

    # Search reads an index that may lag behind writes (search_lag_seconds).
    store = state.portal.search_store(object_type)
    try:
        positions = state.search.ordered_matches(store, search)
    except SearchError as exc:
        raise bad_request(str(exc), headers) from None
    names = property_names(store, search.properties)
    await pause(state.config, len(names))

    page = list(positions[search.after : search.after + search.limit])
    share = state.config.search_shuffle_share
    if share:
        rng = random.Random(f"{state.config.seed}:shuffle:{search.after}:{store.version}")
        if rng.random() < share:
            rng.shuffle(page)
    body: dict = {
        "total": len(positions),
        "results": [render(store.records[pos], names) for pos in page],
    }
    if search.after + search.limit < len(positions):
        body["paging"] = {"next": {"after": str(search.after + search.limit)}}
    return HubSpotJSON(body, headers=headers)


@handler("list_properties")
async def list_properties(request: Request, headers: dict[str, str]) -> Response:
    state = state_of(request)
    object_type = object_type_of(request, headers)
    await pause(state.config, 0)
    archived = _is_true(request.query_params.get("archived"))
    results = [] if archived else state.portal.properties(object_type)
    return HubSpotJSON({"results": results}, headers=headers)
