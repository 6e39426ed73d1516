"""The OAuth side of the portal: `POST /oauth/v1/token` and the access tokens it issued.

Issued tokens live `token_lifetime_seconds`; a request with an expired one answers 401
EXPIRED_AUTHENTICATION (FACTS §1). The first `token_429s` token requests answer 429, as the
token endpoint itself can rate-limit. Tokens are random, so they are never logged.
"""

import secrets
import time
from threading import Lock
from urllib.parse import parse_qs

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from hubspot_pipeline.simulator import errors
from hubspot_pipeline.simulator.config import SimulatorConfig
from hubspot_pipeline.simulator.objects import PORTAL_ID
from hubspot_pipeline.simulator.timefmt import ms_to_iso

SCOPES = [
    "oauth",
    "crm.objects.contacts.read",
    "crm.objects.companies.read",
    "crm.objects.deals.read",
    "tickets",
]


class TokenRegistry:
    """Access tokens issued by the token endpoint, with their expiry (wall clock)."""

    def __init__(self, config: SimulatorConfig) -> None:
        self._config = config
        self._expiry: dict[str, float] = {}
        self._lock = Lock()
        self._token_requests = 0
        self.refreshes = 0

    def issue(self) -> tuple[str, int]:
        lifetime = self._config.token_lifetime_seconds
        token = f"sim-{secrets.token_urlsafe(24)}"
        with self._lock:
            self._expiry[token] = time.time() + lifetime
            self.refreshes += 1
        return token, max(1, round(lifetime))

    def is_valid(self, token: str | None) -> bool:
        with self._lock:
            expiry = self._expiry.get(token or "")
        return expiry is not None and time.time() < expiry

    def expired_body(self, token: str) -> dict | None:
        """HubSpot's 401 body when `token` is one of ours and has expired, else None."""
        with self._lock:
            expiry = self._expiry.get(token)
        now = time.time()
        if expiry is None or now < expiry:
            return None
        return errors.expired_authentication(int(now - expiry), ms_to_iso(int(expiry * 1000)))

    def next_is_throttled(self) -> bool:
        with self._lock:
            self._token_requests += 1
            return self._token_requests <= self._config.token_429s


def _grant_error(message: str, status: int = 400) -> Response:
    body = {
        "error": "invalid_grant",
        "error_description": message,
        "status": "BAD_REFRESH_TOKEN",
        "message": message,
    }
    return JSONResponse(body, status_code=status)


async def token_endpoint(request: Request) -> Response:
    """`POST /oauth/v1/token` with grant_type=refresh_token (form-encoded, FACTS §1)."""
    state = request.app.state.simulator
    config: SimulatorConfig = state.config
    registry: TokenRegistry = state.tokens
    state.limiter.note_request("oauth_token")
    if registry.next_is_throttled():
        return JSONResponse(
            errors.rate_limited("TEN_SECONDLY_ROLLING"),
            status_code=429,
            headers={"Retry-After": "1"},
        )
    # The stdlib parses the small form; Starlette's form parser would add python-multipart.
    form = {key: values[0] for key, values in parse_qs((await request.body()).decode()).items()}
    if form.get("grant_type") != "refresh_token":
        return _grant_error("grant_type must be refresh_token")
    if not config.oauth_enabled or (
        form.get("client_id") != config.oauth_client_id
        or form.get("client_secret") != config.oauth_client_secret
        or form.get("refresh_token") != config.oauth_refresh_token
    ):
        return _grant_error("refresh token is invalid, expired or revoked")
    token, expires_in = registry.issue()
    return JSONResponse(
        {
            "token_type": "bearer",
            "refresh_token": config.oauth_refresh_token,
            "access_token": token,
            "expires_in": expires_in,
            "hub_id": PORTAL_ID,
            "scopes": SCOPES,
        },
        media_type="application/json;charset=utf-8",
    )
