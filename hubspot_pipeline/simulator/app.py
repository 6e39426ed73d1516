"""The ASGI app: HubSpot's CRM endpoints over the generated portal, plus test-only stats.

Choices on UNVERIFIED points: a list `limit` over 100 is refused with 400 (not clamped);
an unknown object type is a 404 OBJECT_NOT_FOUND; `associations` on list is ignored;
v1 has no archived records, so `archived=true` lists nothing.
"""

import asyncio
import json
from dataclasses import dataclass

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from hubspot_pipeline.simulator import errors
from hubspot_pipeline.simulator.config import SimulatorConfig
from hubspot_pipeline.simulator.limits import RateLimiter
from hubspot_pipeline.simulator.portal import ObjectStore, Portal
from hubspot_pipeline.simulator.render import property_names, render, split_names
from hubspot_pipeline.simulator.search import SearchEngine
from hubspot_pipeline.simulator.search_request import SearchError, parse_search

LIST_MAX_LIMIT = 100


class HubSpotJSON(JSONResponse):
    media_type = "application/json;charset=utf-8"


@dataclass(slots=True)
class SimulatorState:
    """What every request handler shares: the data, the limiter and the search cache."""

    config: SimulatorConfig
    portal: Portal
    limiter: RateLimiter
    search: SearchEngine


class Refused(Exception):
    """Ends a request early with a ready response (401, 429, 400, 404)."""

    def __init__(self, response: Response) -> None:
        self.response = response


def _state(request: Request) -> SimulatorState:
    return request.app.state.simulator


def _bearer_token(request: Request) -> str | None:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    token = token.strip()
    return token if scheme.lower() == "bearer" and token else None


async def _admit(request: Request, endpoint: str, search: bool) -> dict[str, str]:
    """Authenticate and rate-limit one request; returns the headers its answer carries."""
    state = _state(request)
    state.limiter.note_request(endpoint)
    token = _bearer_token(request)
    if token is None or (state.config.token is not None and token != state.config.token):
        state.limiter.note_unauthorized()
        raise Refused(
            HubSpotJSON(
                errors.invalid_authentication(),
                status_code=401,
                headers={"x-hubspot-auth-failure": "401 Unauthorized"},
            )
        )

    decision = state.limiter.check(token, search)
    # Search responses carry no rate-limit headers at all (FACTS §5).
    headers = (
        {}
        if search
        else {
            **decision.headers,
            "X-HubSpot-Correlation-Id": errors.correlation_id(),
        }
    )
    if not decision.allowed:
        raise _error(errors.rate_limited(str(decision.policy)), 429, headers)
    return headers


async def _pause(config: SimulatorConfig, property_count: int) -> None:
    delay_ms = config.latency_ms + config.latency_per_property_ms * property_count
    if delay_ms > 0:
        await asyncio.sleep(delay_ms / 1000)


def _store(request: Request, headers: dict[str, str]) -> ObjectStore:
    name = request.path_params["objectType"]
    object_type = Portal.resolve(name)
    if object_type is None:
        raise _error(errors.unknown_object_type(name), 404, headers)
    if object_type in _state(request).config.fail_object_types:
        raise _error(errors.service_unavailable(), 503, headers)
    return _state(request).portal.store(object_type)


def _error(body: dict, status: int, headers: dict[str, str]) -> Refused:
    """An error answer whose body and header name the same correlation id."""
    body["correlationId"] = headers.get("X-HubSpot-Correlation-Id", body["correlationId"])
    return Refused(HubSpotJSON(body, status, headers))


def _bad_request(message: str, headers: dict[str, str]) -> Refused:
    return _error(errors.validation_error(message), 400, headers)


def _list_limit(raw: str | None, headers: dict[str, str]) -> int:
    if raw is None:
        return 10
    try:
        limit = int(raw)
    except ValueError:
        raise _bad_request(f"limit must be an integer, got {raw!r}.", headers) from None
    if not 1 <= limit <= LIST_MAX_LIMIT:
        raise _bad_request(f"limit must be between 1 and {LIST_MAX_LIMIT}, got {limit}.", headers)
    return limit


def _handler(endpoint: str, search: bool = False):
    """Wraps a route so that early refusals become their prepared responses."""

    def wrap(func):
        async def handle(request: Request) -> Response:
            try:
                headers = await _admit(request, endpoint, search)
                return await func(request, headers)
            except Refused as refused:
                return refused.response

        return handle

    return wrap


@_handler("list_objects")
async def list_objects(request: Request, headers: dict[str, str]) -> Response:
    store = _store(request, headers)
    params = request.query_params
    limit = _list_limit(params.get("limit"), headers)
    after = params.get("after")
    start = 0
    if after:
        if not after.isdigit():
            raise _bad_request(f"after must be a cursor from paging.next.after: {after!r}", headers)
        start = store.position_after(int(after))
    names = property_names(store, split_names(params.getlist("properties")))
    await _pause(_state(request).config, len(names))

    # No record is archived in this version, so the recycle bin is always empty.
    records = [] if params.get("archived", "").lower() == "true" else store.records
    page = records[start : start + limit]
    body: dict = {"results": [render(record, names) for record in page]}
    if start + limit < len(records):
        next_after = records[start + limit]["id"]
        body["paging"] = {
            "next": {
                "after": next_after,
                "link": str(request.url.include_query_params(after=next_after)),
            }
        }
    return HubSpotJSON(body, headers=headers)


@_handler("get_object")
async def get_object(request: Request, headers: dict[str, str]) -> Response:
    store = _store(request, headers)
    record_id = request.path_params["objectId"]
    position = store.position_after(int(record_id)) if record_id.isdigit() else len(store.records)
    if position >= len(store.records) or store.records[position]["id"] != record_id:
        raise _error(errors.object_not_found(record_id), 404, headers)
    names = property_names(store, split_names(request.query_params.getlist("properties")))
    await _pause(_state(request).config, len(names))
    return HubSpotJSON(render(store.records[position], names), headers=headers)


@_handler("search_objects", search=True)
async def search_objects(request: Request, headers: dict[str, str]) -> Response:
    store = _store(request, headers)
    try:
        search = parse_search(json.loads(await request.body() or b"{}"))
    except json.JSONDecodeError:
        raise _bad_request("The request body is not valid JSON.", headers) from None
    except SearchError as exc:
        raise _bad_request(str(exc), headers) from None

    state = _state(request)
    try:
        positions = state.search.ordered_matches(store, search)
    except SearchError as exc:
        raise _bad_request(str(exc), headers) from None
    names = property_names(store, search.properties)
    await _pause(state.config, len(names))

    page = positions[search.after : search.after + search.limit]
    body: dict = {
        "total": len(positions),
        "results": [render(store.records[pos], names) for pos in page],
    }
    if search.after + search.limit < len(positions):
        body["paging"] = {"next": {"after": str(search.after + search.limit)}}
    return HubSpotJSON(body, headers=headers)


@_handler("list_properties")
async def list_properties(request: Request, headers: dict[str, str]) -> Response:
    store = _store(request, headers)
    await _pause(_state(request).config, 0)
    archived = request.query_params.get("archived", "").lower() == "true"
    results = [] if archived else _state(request).portal.properties(store.object_type)
    return HubSpotJSON({"results": results}, headers=headers)


async def simulator_stats(request: Request) -> Response:
    """Test-only counters; needs no token and counts toward no limit."""
    with_stamps = request.query_params.get("timestamps", "").lower() == "true"
    return JSONResponse(_state(request).limiter.stats(include_timestamps=with_stamps))


async def reset_simulator_stats(request: Request) -> Response:
    _state(request).limiter.reset_stats()
    return JSONResponse({"status": "reset"})


async def _not_found(request: Request, exc: Exception) -> Response:
    return HubSpotJSON({"message": "resource not found"}, status_code=404)


def create_app(config: SimulatorConfig, portal: Portal | None = None) -> Starlette:
    """An ASGI app answering like HubSpot for `config`; pass `portal` to reuse data."""
    app = Starlette(
        routes=[
            Route("/crm/v3/objects/{objectType}", list_objects, methods=["GET"]),
            Route("/crm/v3/objects/{objectType}/search", search_objects, methods=["POST"]),
            Route("/crm/v3/objects/{objectType}/{objectId}", get_object, methods=["GET"]),
            Route("/crm/v3/properties/{objectType}", list_properties, methods=["GET"]),
            Route("/_simulator/stats", simulator_stats, methods=["GET"]),
            Route("/_simulator/reset-stats", reset_simulator_stats, methods=["POST"]),
        ],
        exception_handlers={404: _not_found},
    )
    app.state.simulator = SimulatorState(
        config=config,
        portal=portal or Portal(config),
        limiter=RateLimiter(config),
        search=SearchEngine(),
    )
    return app
