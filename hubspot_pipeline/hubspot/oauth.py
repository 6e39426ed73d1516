"""OAuth access tokens for the client: refreshed before they expire and once more on a 401.

HubSpot's OAuth access tokens live `expires_in` seconds (1,800 today) and are renewed with
the app's refresh token at `POST /oauth/v1/token` (FACTS §1). HubSpot advises refreshing on
`expires_in`, not on a 401, so the token is renewed a margin before it expires; a 401 still
triggers one refresh and one retry, for a token revoked or expired early.

The refresh is an `httpx.Auth`, httpx's own hook for credentials that change: every request
of the client passes through it. One lock makes one refresh at a time: threads that waited
for it reuse the token it fetched.
"""

import threading
import time
from collections.abc import Callable, Generator
from dataclasses import dataclass, field

import httpx
from tenacity import (
    RetryCallState,
    Retrying,
    retry_if_exception_type,
    stop_after_attempt,
    wait_exponential_jitter,
)

from hubspot_pipeline.hubspot.errors import AuthError, TransientError

TOKEN_PATH = "/oauth/v1/token"
# Refresh this long before expiry, but never more than a tenth of the token's lifetime.
MAX_MARGIN_SECONDS = 60.0


@dataclass(frozen=True)
class OAuthCredentials:
    """An app's client id and secret plus a portal's refresh token; repr hides the secrets."""

    client_id: str
    client_secret: str = field(repr=False)
    refresh_token: str = field(repr=False)

    def __post_init__(self) -> None:
        missing = [
            name
            for name in ("client_id", "client_secret", "refresh_token")
            if not getattr(self, name)
        ]
        if missing:
            raise ValueError(
                f"OAuth needs a client id, client secret and refresh token; missing: {missing}"
            )


class _TokenThrottled(TransientError):
    """The token endpoint answered 429 or 5xx; `wait_seconds` comes from Retry-After."""

    def __init__(self, message: str, wait_seconds: float | None) -> None:
        super().__init__(message, path=TOKEN_PATH)
        self.wait_seconds = wait_seconds


class OAuthTokenAuth(httpx.Auth):
    """Bearer auth with a self-renewing OAuth access token."""

    def __init__(
        self,
        credentials: OAuthCredentials,
        base_url: str,
        *,
        max_attempts: int = 6,
        max_backoff_seconds: float = 30.0,
        clock: Callable[[], float] = time.monotonic,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self._credentials = credentials
        self._http = httpx.Client(base_url=base_url.rstrip("/"), timeout=30.0, transport=transport)
        self._max_attempts = max_attempts
        self._max_backoff = max_backoff_seconds
        self._clock = clock
        self._lock = threading.Lock()
        self._token: str | None = None
        self._refresh_at = 0.0
        self.refreshes = 0

    def __repr__(self) -> str:
        return f"OAuthTokenAuth(client_id={self._credentials.client_id!r})"

    def close(self) -> None:
        self._http.close()

    def sync_auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response]:
        token = self.token()
        request.headers["Authorization"] = f"Bearer {token}"
        response = yield request
        if response.status_code == 401:
            # Once only: a second 401 with a fresh token is a real authorization problem.
            request.headers["Authorization"] = f"Bearer {self.token(stale=token)}"
            yield request

    def token(self, stale: str | None = None) -> str:
        """A valid access token; refreshes if it is due, or if `stale` is still the current."""
        with self._lock:
            due = self._token is None or self._clock() >= self._refresh_at
            if due or (stale is not None and stale == self._token):
                self._refresh()
            assert self._token is not None
            return self._token

    def _refresh(self) -> None:
        retrying = Retrying(
            retry=retry_if_exception_type(_TokenThrottled),
            stop=stop_after_attempt(self._max_attempts),
            wait=self._wait,
            reraise=True,
        )
        body = retrying(self._request_token)
        lifetime = float(body["expires_in"])
        margin = min(MAX_MARGIN_SECONDS, lifetime / 10)
        self._token = str(body["access_token"])
        self._refresh_at = self._clock() + lifetime - margin
        self.refreshes += 1

    def _request_token(self) -> dict:
        credentials = self._credentials
        form = {
            "grant_type": "refresh_token",
            "client_id": credentials.client_id,
            "client_secret": credentials.client_secret,
            "refresh_token": credentials.refresh_token,
        }
        try:
            response = self._http.post(TOKEN_PATH, data=form)
        except httpx.TransportError as exc:
            raise _TokenThrottled(f"{type(exc).__name__} on POST {TOKEN_PATH}", None) from exc
        if response.status_code == 429 or response.status_code >= 500:
            raise _TokenThrottled(
                f"HTTP {response.status_code} from POST {TOKEN_PATH}",
                _retry_after(response.headers.get("Retry-After")),
            )
        if response.status_code != 200:
            # The error body names the problem (e.g. BAD_REFRESH_TOKEN) and holds no secret.
            status = _field(response, "status") or _field(response, "error") or "unknown"
            raise AuthError(
                f"HTTP {response.status_code} from POST {TOKEN_PATH}: the OAuth refresh was "
                f"refused ({status}); check the client id, client secret and refresh token",
                status_code=response.status_code,
                path=TOKEN_PATH,
            )
        body = response.json()
        if "access_token" not in body or "expires_in" not in body:
            raise AuthError(f"POST {TOKEN_PATH} answered without an access token", path=TOKEN_PATH)
        return body

    def _wait(self, state: RetryCallState) -> float:
        backoff = wait_exponential_jitter(initial=0.5, max=self._max_backoff)(state)
        error = state.outcome.exception() if state.outcome else None
        hinted = error.wait_seconds if isinstance(error, _TokenThrottled) else None
        return max(hinted, backoff) if hinted is not None else backoff


def _retry_after(value: str | None) -> float | None:
    try:
        return float(value) if value else None
    except ValueError:
        return None


def _field(response: httpx.Response, name: str) -> str | None:
    try:
        value = response.json().get(name)
    except (ValueError, AttributeError):
        return None
    return str(value) if value else None
