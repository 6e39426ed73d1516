"""What every API request passes before its handler: URL length, authentication, scopes,
rate limits and injected faults; plus the helpers handlers answer errors with.
"""

import asyncio
import random
import socket
import struct
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from threading import Lock

import orjson
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import Receive, Scope, Send

from hubspot_pipeline.simulator import errors
from hubspot_pipeline.simulator.config import SimulatorConfig
from hubspot_pipeline.simulator.limits import RateLimiter
from hubspot_pipeline.simulator.oauth import TokenRegistry
from hubspot_pipeline.simulator.objects import TYPES
from hubspot_pipeline.simulator.portal import Portal
from hubspot_pipeline.simulator.search import SearchEngine

RAW_SEND = "hubspot_simulator.raw_send"


class HubSpotJSON(JSONResponse):
    """HubSpot's media type; orjson writes a page of 100 wide records ten times faster."""

    media_type = "application/json;charset=utf-8"

    def render(self, content: object) -> bytes:
        return orjson.dumps(content)


@dataclass(slots=True)
class SimulatorState:
    """What every request handler shares: the data, the limiter, tokens and search cache."""

    config: SimulatorConfig
    portal: Portal
    limiter: RateLimiter
    search: SearchEngine
    tokens: TokenRegistry
    faults: "FaultPlan"


class Refused(Exception):
    """Ends a request early with a ready response (401, 403, 414, 429, 400, 404, 5xx)."""

    def __init__(self, response: Response) -> None:
        self.response = response


def state_of(request: Request) -> SimulatorState:
    return request.app.state.simulator


def error(body: dict, status: int, headers: dict[str, str]) -> Refused:
    """An error answer whose body and header name the same correlation id."""
    body["correlationId"] = headers.get("X-HubSpot-Correlation-Id", body["correlationId"])
    return Refused(HubSpotJSON(body, status, headers))


def bad_request(message: str, headers: dict[str, str]) -> Refused:
    return error(errors.validation_error(message), 400, headers)


def _bearer_token(request: Request) -> str | None:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    token = token.strip()
    return token if scheme.lower() == "bearer" and token else None


def _unauthorized(body: dict) -> Refused:
    return Refused(
        HubSpotJSON(body, status_code=401, headers={"x-hubspot-auth-failure": "401 Unauthorized"})
    )


async def admit(
    request: Request, endpoint: str, search: bool, scope_of: str | None
) -> dict[str, str]:
    """Check one request; returns the headers its answer carries, or raises `Refused`."""
    state = state_of(request)
    config = state.config
    state.limiter.note_request(endpoint)
    if request.method == "GET" and len(str(request.url)) > config.max_url_length:
        # HubSpot refuses very long URLs (many properties) with 414 (FACTS §3).
        raise Refused(Response("URI Too Long", status_code=414, media_type="text/plain"))

    token = _bearer_token(request)
    expired = state.tokens.expired_body(token) if token else None
    if expired is not None:
        state.limiter.note_unauthorized()
        raise _unauthorized(expired)
    known = token is not None and (
        config.token is None or token == config.token or state.tokens.is_valid(token)
    )
    if not known:
        state.limiter.note_unauthorized()
        raise _unauthorized(errors.invalid_authentication())

    if scope_of is not None and scope_of in config.missing_scopes:
        required = "crm.objects.owners.read" if scope_of == "owners" else TYPES[scope_of].scope
        raise Refused(HubSpotJSON(errors.missing_scopes(required), 403))

    decision = state.limiter.check(token, search, object_type=scope_of)
    # Search responses carry no rate-limit headers at all (FACTS §5); OAuth ones no daily pair.
    headers = (
        {} if search else {**decision.headers, "X-HubSpot-Correlation-Id": errors.correlation_id()}
    )
    if state.tokens.is_valid(token):
        headers.pop("X-HubSpot-RateLimit-Daily", None)
        headers.pop("X-HubSpot-RateLimit-Daily-Remaining", None)
    if not decision.allowed:
        raise error(errors.rate_limited(str(decision.policy)), 429, headers)
    await state.faults.strike(request, state.limiter)
    return headers


Handler = Callable[[Request, dict[str, str]], Awaitable[Response]]


def handler(endpoint: str, search: bool = False, scoped: bool = True):
    """Wraps a route so refusals become their prepared responses.

    `scoped` routes check the scope of the path's `objectType` (403 MISSING_SCOPES).
    """

    def wrap(func: Handler):
        async def handle(request: Request) -> Response:
            try:
                scope_of = None
                if scoped:
                    scope_of = Portal.resolve(request.path_params.get("objectType", ""))
                headers = await admit(request, endpoint, search, scope_of)
                return await func(request, headers)
            except Refused as refused:
                return refused.response

        return handle

    return wrap


class FaultPlan:
    """Draws, per admitted request, whether it meets a 5xx, a stall, a reset or a cut body.

    Seeded, so a run with the same config meets the same sequence of faults.
    """

    def __init__(self, config: SimulatorConfig) -> None:
        self._config = config
        self._rng = random.Random(f"{config.seed}:server-faults")
        self._lock = Lock()

    def draw(self) -> str | int | None:
        config = self._config
        if config.fault_share == 0:
            return None
        with self._lock:
            roll = self._rng.random()
        for kind, share in (
            *sorted(config.error_rates.items()),
            ("timeout", config.timeout_share),
            ("reset", config.reset_share),
            ("truncate", config.truncate_share),
        ):
            if roll < share:
                return kind
            roll -= share
        return None

    async def strike(self, request: Request, limiter: RateLimiter) -> None:
        fault = self.draw()
        if fault is None:
            return
        limiter.note_fault(str(fault))
        if isinstance(fault, int):
            raise Refused(_server_error(fault))
        if fault == "timeout":
            # Stall until the client gives up (or the configured time passes), so a stopping
            # server never waits on a request nobody listens to.
            loop = asyncio.get_running_loop()
            deadline = loop.time() + self._config.timeout_seconds
            while loop.time() < deadline and not await request.is_disconnected():
                await asyncio.sleep(0.05)
            return
        raise Refused(BrokenResponse(fault))


def _server_error(status: int) -> Response:
    """5xx answers: JSON from HubSpot itself (500), HTML from its edge (502/503/504).

    HubSpot documents no 5xx body (FACTS §12); clients must not assume JSON.
    """
    if status == 500:
        body = errors.error_body("INTERNAL_ERROR", "internal error")
        return HubSpotJSON(body, status_code=500)
    titles = {502: "Bad Gateway", 503: "Service Unavailable", 504: "Gateway Timeout"}
    html = f"<html><head><title>{status} {titles[status]}</title></head><body></body></html>"
    return Response(html, status_code=status, media_type="text/html")


class BrokenResponse(Response):
    """A connection reset before any byte, or a body cut off after its headers were sent."""

    def __init__(self, kind: str) -> None:
        super().__init__(b"")
        self.kind = kind

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        raw_send = scope.get(RAW_SEND, send)
        # uvicorn's `send` is a method of its per-request cycle, which holds the transport.
        # No public ASGI way exists to reset a connection, hence this reach into uvicorn.
        cycle = getattr(raw_send, "__self__", None)
        transport = getattr(cycle, "transport", None)
        if self.kind == "truncate":
            body = b'{"results":[{"id":"1","properties":{"createdate":"2026-'
            await raw_send(
                {
                    "type": "http.response.start",
                    "status": 200,
                    "headers": [
                        (b"content-type", b"application/json;charset=utf-8"),
                        (b"content-length", str(len(body) * 4).encode()),
                    ],
                }
            )
            await raw_send({"type": "http.response.body", "body": body, "more_body": True})
        if transport is None:
            return
        sock = transport.get_extra_info("socket")
        if sock is not None and self.kind == "reset":
            # Linger 0 turns the close into a TCP RST: the client sees "connection reset".
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        cycle.disconnected = True
        transport.abort()
