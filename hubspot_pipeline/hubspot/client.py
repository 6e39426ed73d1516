"""A typed HubSpot CRM client over one httpx connection pool, free of Dagster.

The client owns everything about talking to HubSpot: the shared budget, bounded retries
of transient faults, and mapping responses to categorized errors. Callers (the sync
service, the CLI) see records and `HubSpotError`s, never raw HTTP.
"""

import logging
from collections import Counter
from dataclasses import dataclass, field

import httpx
from tenacity import (
    RetryCallState,
    Retrying,
    retry_if_exception,
    stop_after_attempt,
    wait_exponential_jitter,
)

from hubspot_pipeline.hubspot.budget import Paging, Policy, SharedBudget
from hubspot_pipeline.hubspot.errors import (
    DailyLimitExhaustedError,
    RateLimitError,
    TransientError,
)
from hubspot_pipeline.hubspot.models import PropertyDefinition
from hubspot_pipeline.hubspot.responses import parse_json, raise_for_status, retry_after_of

DEFAULT_BASE_URL = "https://api.hubapi.com"
SEARCH_PAGE_LIMIT = 200
LIST_PAGE_LIMIT = 100

log = logging.getLogger(__name__)


@dataclass
class ClientStats:
    """What the client spent; the assets publish these as materialization metadata."""

    api_calls: int = 0
    http_429: int = 0
    retries: int = 0
    calls_by_policy: Counter = field(default_factory=Counter)

    def snapshot(self) -> "ClientStats":
        return ClientStats(
            self.api_calls, self.http_429, self.retries, Counter(self.calls_by_policy)
        )


def _is_retryable(error: BaseException) -> bool:
    return isinstance(error, TransientError) and not isinstance(error, DailyLimitExhaustedError)


class HubSpotClient:
    """One method per HubSpot operation the sync uses."""

    def __init__(
        self,
        access_token: str | None,
        *,
        auth: httpx.Auth | None = None,
        base_url: str = DEFAULT_BASE_URL,
        budget: SharedBudget | None = None,
        timeout_seconds: float = 30.0,
        max_attempts: int = 8,
        max_backoff_seconds: float = 30.0,
        logger: logging.Logger | None = None,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        if (access_token is None) == (auth is None):
            raise ValueError("give the client either an access token or an auth (OAuth)")
        headers = {"Accept": "application/json"}
        if access_token is not None:
            headers["Authorization"] = f"Bearer {access_token}"
        self._auth = auth
        self._http = httpx.Client(
            base_url=base_url.rstrip("/"),
            headers=headers,
            auth=auth,
            timeout=timeout_seconds,
            transport=transport,
        )
        self._budget = budget
        self._max_attempts = max_attempts
        self._max_backoff = max_backoff_seconds
        self._log = logger or log
        self.stats = ClientStats()

    def __repr__(self) -> str:
        return f"HubSpotClient(base_url={str(self._http.base_url)!r})"

    def __enter__(self) -> "HubSpotClient":
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def close(self) -> None:
        """Closes the connection pool and the budget the client was given (it owns both)."""
        self._http.close()
        close_auth = getattr(self._auth, "close", None)
        if close_auth is not None:
            close_auth()
        if self._budget is not None:
            self._budget.close()

    def get_properties(self, object_type: str) -> list[PropertyDefinition]:
        """The property catalog of an object type, archived properties left out."""
        body = self.request("GET", f"/crm/v3/properties/{object_type}")
        return [PropertyDefinition.from_api(item) for item in body.get("results", [])]

    def search_page(self, object_type: str, body: dict) -> dict:
        """One page of `POST /crm/v3/objects/{objectType}/search` (its own rate limit)."""
        return self.request(
            "POST", f"/crm/v3/objects/{object_type}/search", json=body, policy=Policy.SEARCH
        )

    def list_page(
        self,
        object_type: str,
        *,
        properties: list[str] | None = None,
        after: str | None = None,
        limit: int = LIST_PAGE_LIMIT,
        archived: bool = False,
        pages_left: int | None = None,
    ) -> dict:
        """One page of `GET /crm/v3/objects/{objectType}`; `after` is HubSpot's opaque token.

        `pages_left` is the pager's estimate of the pages it reads after this one, None if
        it cannot tell: see `SharedBudget.acquire`.
        """
        params: dict[str, str | int] = {"limit": limit, "archived": str(archived).lower()}
        if properties:
            params["properties"] = ",".join(properties)
        if after is not None:
            params["after"] = after
        return self.request(
            "GET",
            f"/crm/v3/objects/{object_type}",
            params=params,
            paging=Paging(pages_left),
        )

    def request(
        self,
        method: str,
        path: str,
        *,
        params: dict | None = None,
        json: dict | None = None,
        policy: Policy = Policy.TEN_SECONDLY_ROLLING,
        paging: Paging | None = None,
    ) -> dict:
        """Send one logical request, retrying transient faults within bounds.

        `paging` says the request is a pager's, which sends its next one at once.
        """
        retrying = Retrying(
            retry=retry_if_exception(_is_retryable),
            stop=stop_after_attempt(self._max_attempts),
            wait=self._wait,
            before_sleep=self._before_retry,
            reraise=True,
        )
        return retrying(self._send_once, method, path, params, json, policy, paging)

    def _send_once(
        self,
        method: str,
        path: str,
        params: dict | None,
        json: dict | None,
        policy: Policy,
        paging: Paging | None,
    ) -> dict:
        if self._budget is not None:
            self._budget.acquire(policy, paging=paging)

        self.stats.api_calls += 1
        self.stats.calls_by_policy[policy.value] += 1
        try:
            response = self._http.request(method, path, params=params, json=json)
        except (httpx.TimeoutException, httpx.TransportError) as exc:
            raise TransientError(
                f"{type(exc).__name__} on {method} {path}; HubSpot did not answer in time",
                path=path,
            ) from exc

        if response.status_code == 429:
            self.stats.http_429 += 1
        if self._budget is not None:
            self._observe_budget(response, method, path)
        raise_for_status(response, method, path)
        return parse_json(response, method, path)

    def _observe_budget(self, response: httpx.Response, method: str, path: str) -> None:
        """Tell the shared budget what HubSpot counted, and stop for the day if it says so."""
        self._budget.observe(response.headers)
        if response.status_code != 429:
            return
        try:
            raise_for_status(response, method, path)
        except DailyLimitExhaustedError as error:
            # Every process stops asking until the day resets, and the message says when.
            self._budget.mark_daily_exhausted()
            raise self._budget.daily_exhausted_error() from error

    def _wait(self, state: RetryCallState) -> float:
        backoff = wait_exponential_jitter(initial=0.25, max=self._max_backoff)(state)
        hinted = retry_after_of(state.outcome.exception()) if state.outcome else None
        return max(hinted, backoff) if hinted is not None else backoff

    def _before_retry(self, state: RetryCallState) -> None:
        self.stats.retries += 1
        error = state.outcome.exception() if state.outcome else None
        pause = state.next_action.sleep if state.next_action else 0.0
        kind = "rate limited" if isinstance(error, RateLimitError) else "transient fault"
        self._log.warning(
            "HubSpot %s (attempt %d of %d), retrying in %.1fs: %s",
            kind,
            state.attempt_number,
            self._max_attempts,
            pause,
            error,
        )
