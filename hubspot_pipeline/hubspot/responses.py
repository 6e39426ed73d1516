"""Classification of HubSpot responses into results or categorized errors, in one place."""

import json

import httpx
import orjson

from hubspot_pipeline.hubspot.errors import (
    AuthError,
    DailyLimitExhaustedError,
    HubSpotError,
    RateLimitError,
    TransientError,
    ValidationError,
)

# HubSpot documents no Retry-After on 429s; these pauses are what its own SDKs wait for
# each policy before the window has room again.
POLICY_PAUSE_SECONDS = {"TEN_SECONDLY_ROLLING": 1.0, "SECONDLY": 1.0}
TRANSIENT_STATUSES = {423, 477, 500, 502, 503, 504, 520, 521, 523, 524}


def parse_json(response: httpx.Response, method: str, path: str) -> dict:
    """The JSON body of a successful response; a cut-off body is worth another try."""
    # orjson (already in through dlt) reads a 250-property page of 100 contacts in a third
    # of the standard library's time: on a busy machine that shortens the pager's cycle.
    try:
        return orjson.loads(response.content)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise TransientError(
            f"HubSpot sent an unreadable {response.status_code} body for {method} {path}",
            status_code=response.status_code,
            path=path,
        ) from exc


def raise_for_status(response: httpx.Response, method: str, path: str) -> None:
    """Raise the categorized error that a non-2xx response means."""
    status = response.status_code
    if status < 400:
        return

    body = _error_body(response)
    hubspot_category = body.get("category") or body.get("errorType")
    detail = str(body.get("message") or response.reason_phrase or "no message")
    message = f"HubSpot answered {status} ({hubspot_category or 'no category'}) to {method} {path}"
    message = f"{message}: {detail}"
    common = {
        "status_code": status,
        "path": path,
        "hubspot_category": hubspot_category,
        "correlation_id": body.get("correlationId"),
    }

    if status == 429:
        policy = body.get("policyName")
        if policy == "DAILY":
            raise DailyLimitExhaustedError(message, policy_name=policy, **common)
        error = RateLimitError(message, policy_name=policy, **common)
        error.retry_after = _retry_after(response) or POLICY_PAUSE_SECONDS.get(policy, 1.0)
        raise error
    if status in (401, 403):
        raise AuthError(message, **common)
    if status in TRANSIENT_STATUSES or status >= 500:
        error = TransientError(message, **common)
        error.retry_after = _retry_after(response)
        raise error
    raise ValidationError(message, **common)


def _error_body(response: httpx.Response) -> dict:
    # HubSpot says every error field is optional, and 5xx bodies from its edge may be HTML.
    try:
        body = response.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        return {}
    return body if isinstance(body, dict) else {}


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("Retry-After")
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        return None


def retry_after_of(error: BaseException) -> float | None:
    return getattr(error, "retry_after", None) if isinstance(error, HubSpotError) else None
