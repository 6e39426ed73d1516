"""The client's handling of single responses, over httpx's MockTransport."""

import json
from pathlib import Path

import httpx
import pytest

from hubspot_pipeline.hubspot.client import HubSpotClient
from hubspot_pipeline.hubspot.errors import (
    AuthError,
    DailyLimitExhaustedError,
    ErrorCategory,
    HubSpotError,
    TransientError,
    ValidationError,
)

SECRET_TOKEN = "pat-na1-secret-0000"
SAMPLES = Path(__file__).parents[1] / "fixtures" / "hubspot_samples"


def scripted_client(*responses: httpx.Response | Exception) -> tuple[HubSpotClient, list]:
    """A client whose transport answers with `responses` in order and records requests."""
    seen: list[httpx.Request] = []
    queue = list(responses)

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        item = queue.pop(0)
        if isinstance(item, Exception):
            raise item
        return item

    client = HubSpotClient(
        SECRET_TOKEN,
        base_url="http://hubspot.test",
        transport=httpx.MockTransport(handler),
        max_attempts=3,
        max_backoff_seconds=0.01,
    )
    return client, seen


def error(status: int, body: dict | str) -> httpx.Response:
    content = body if isinstance(body, str) else json.dumps(body)
    return httpx.Response(status, content=content)


OK = httpx.Response(200, json={"results": []})


@pytest.mark.parametrize(
    ("first", "expected_error", "expected_calls"),
    [
        pytest.param(
            error(
                401,
                {
                    "status": "error",
                    "message": "Authentication credentials not found.",
                    "category": "INVALID_AUTHENTICATION",
                    "correlationId": "c1",
                },
            ),
            AuthError,
            1,
            id="401-fails-at-once",
        ),
        pytest.param(
            error(
                403,
                {
                    "status": "error",
                    "message": "missing scopes",
                    "category": "MISSING_SCOPES",
                    "correlationId": "c2",
                },
            ),
            AuthError,
            1,
            id="403-fails-at-once",
        ),
        pytest.param(
            error(
                400,
                {
                    "status": "error",
                    "message": "bad filter",
                    "category": "VALIDATION_ERROR",
                    "correlationId": "c3",
                },
            ),
            ValidationError,
            1,
            id="400-fails-at-once",
        ),
        pytest.param(
            error(
                429,
                {
                    "status": "error",
                    "message": "You have reached your daily limit.",
                    "errorType": "RATE_LIMIT",
                    "policyName": "DAILY",
                    "correlationId": "c",
                },
            ),
            DailyLimitExhaustedError,
            1,
            id="daily-429-is-not-retried",
        ),
    ],
)
def test_non_retryable_faults_fail_fast(first, expected_error, expected_calls):
    client, seen = scripted_client(first, OK)

    with pytest.raises(expected_error) as caught:
        client.request("GET", "/crm/v3/properties/contacts")

    assert len(seen) == expected_calls
    assert str(first.status_code) in str(caught.value)
    assert "/crm/v3/properties/contacts" in str(caught.value)
    assert SECRET_TOKEN not in str(caught.value)


@pytest.mark.parametrize(
    "fault",
    [
        pytest.param(error(502, "<html>Bad gateway</html>"), id="502-html-body"),
        pytest.param(error(503, {"message": "unavailable"}), id="503"),
        pytest.param(error(504, ""), id="504-empty"),
        pytest.param(
            error(
                429,
                {
                    "status": "error",
                    "message": "You have reached your ten_secondly_rolling limit.",
                    "errorType": "RATE_LIMIT",
                    "policyName": "TEN_SECONDLY_ROLLING",
                    "correlationId": "c",
                },
            ),
            id="429-ten-secondly",
        ),
        pytest.param(httpx.ReadTimeout("timed out"), id="read-timeout"),
        pytest.param(httpx.ConnectError("connection reset"), id="connection-reset"),
        pytest.param(httpx.Response(200, content=b'{"results": [{"id"'), id="truncated-body"),
    ],
)
def test_transient_faults_are_retried_then_succeed(fault, monkeypatch):
    monkeypatch.setattr("hubspot_pipeline.hubspot.responses.POLICY_PAUSE_SECONDS", {})
    client, seen = scripted_client(fault, OK)

    assert client.request("GET", "/crm/v3/objects/contacts") == {"results": []}
    assert len(seen) == 2
    assert client.stats.api_calls == 2
    assert client.stats.retries == 1


def test_retries_are_bounded_and_the_last_error_keeps_its_category():
    client, seen = scripted_client(error(503, "x"), error(503, "x"), error(503, "x"), OK)

    with pytest.raises(TransientError) as caught:
        client.request("GET", "/crm/v3/objects/deals")

    assert len(seen) == 3
    assert caught.value.category is ErrorCategory.TRANSIENT


def test_the_token_travels_only_in_the_authorization_header():
    client, seen = scripted_client(OK)

    client.list_page("contacts", properties=["email"], after="70103")

    request = seen[0]
    assert request.headers["Authorization"] == f"Bearer {SECRET_TOKEN}"
    assert SECRET_TOKEN not in str(request.url)
    assert SECRET_TOKEN not in repr(client)
    assert dict(request.url.params) == {
        "limit": "100",
        "archived": "false",
        "properties": "email",
        "after": "70103",
    }


def test_429_from_a_sample_body_counts_and_names_its_policy(monkeypatch):
    monkeypatch.setattr("hubspot_pipeline.hubspot.responses.POLICY_PAUSE_SECONDS", {})
    body = json.loads((SAMPLES / "error_429_ten_secondly.json").read_text())["response"]["body"]
    client, _ = scripted_client(error(429, body), error(429, body), error(429, body))

    with pytest.raises(HubSpotError) as caught:
        client.search_page("deals", {"limit": 1})

    assert client.stats.http_429 == 3
    assert caught.value.policy_name == "TEN_SECONDLY_ROLLING"
