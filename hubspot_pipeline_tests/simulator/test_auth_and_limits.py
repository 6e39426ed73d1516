"""Authentication, rolling rate limits, injected 429s, latency and the stats endpoint."""

import random
import threading
import time
from collections.abc import Iterator

import httpx
import pytest

from hubspot_pipeline.simulator import SimulatorServer
from hubspot_pipeline_tests.simulator.conftest import small_config

RATE_HEADERS = {
    "x-hubspot-ratelimit-daily",
    "x-hubspot-ratelimit-daily-remaining",
    "x-hubspot-ratelimit-interval-milliseconds",
    "x-hubspot-ratelimit-max",
    "x-hubspot-ratelimit-remaining",
    "x-hubspot-ratelimit-secondly",
    "x-hubspot-ratelimit-secondly-remaining",
    "x-hubspot-correlation-id",
}
AUTH_MESSAGE = (
    "Authentication credentials not found. This API supports OAuth 2.0 authentication and "
    "you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview"
)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def limited() -> Iterator[SimulatorServer]:
    config = small_config(
        token="secret", ten_second_limit=5, search_per_second=2, daily_limit=1_000
    )
    with SimulatorServer(config) as running:
        yield running


@pytest.mark.parametrize(
    "headers",
    [
        pytest.param({}, id="no-header"),
        pytest.param(bearer("wrong"), id="wrong-token"),
        pytest.param({"Authorization": "Basic c2VjcmV0"}, id="not-bearer"),
        pytest.param({"Authorization": "Bearer"}, id="empty-token"),
    ],
)
@pytest.mark.parametrize(
    ("method", "path"),
    [
        pytest.param("GET", "/crm/v3/objects/contacts", id="list"),
        pytest.param("POST", "/crm/v3/objects/contacts/search", id="search"),
        pytest.param("GET", "/crm/v3/properties/contacts", id="properties"),
    ],
)
def test_unauthenticated_is_401(
    limited: SimulatorServer, headers: dict, method: str, path: str
) -> None:
    response = httpx.request(method, limited.base_url + path, headers=headers, json={})
    assert response.status_code == 401
    assert response.headers["x-hubspot-auth-failure"] == "401 Unauthorized"
    body = response.json()
    assert set(body) == {"status", "message", "correlationId", "category"}
    assert body["category"] == "INVALID_AUTHENTICATION"
    assert body["message"] == AUTH_MESSAGE
    assert limited.stats()["requests"]["ten_secondly"] == 0


def test_any_token_is_accepted_without_configured_token() -> None:
    with SimulatorServer(small_config()) as running:
        response = httpx.get(running.base_url + "/crm/v3/objects/deals", headers=bearer("x"))
    assert response.status_code == 200


def test_ten_secondly_limit(limited: SimulatorServer) -> None:
    url = limited.base_url + "/crm/v3/objects/contacts"
    with httpx.Client(headers=bearer("secret")) as http:
        accepted = [http.get(url) for _ in range(5)]
        refused = http.get(url)
        again = http.get(url)

    assert [r.status_code for r in accepted] == [200] * 5
    assert [r.headers["x-hubspot-ratelimit-remaining"] for r in accepted] == list("43210")
    assert [r.headers["x-hubspot-ratelimit-daily-remaining"] for r in accepted] == [
        "999",
        "998",
        "997",
        "996",
        "995",
    ]
    assert set(accepted[0].headers) >= RATE_HEADERS
    assert accepted[0].headers["x-hubspot-ratelimit-max"] == "5"
    assert accepted[0].headers["x-hubspot-ratelimit-interval-milliseconds"] == "10000"

    assert refused.status_code == 429
    assert set(refused.headers) >= RATE_HEADERS
    assert refused.headers["x-hubspot-ratelimit-remaining"] == "0"
    body = refused.json()
    assert set(body) == {
        "status",
        "message",
        "errorType",
        "correlationId",
        "policyName",
        "groupName",
    }
    assert body["message"] == "You have reached your ten_secondly_rolling limit."
    assert body["errorType"] == "RATE_LIMIT"
    assert body["policyName"] == "TEN_SECONDLY_ROLLING"
    assert body["correlationId"] == refused.headers["x-hubspot-correlation-id"]
    assert again.status_code == 429
    assert again.json()["correlationId"] != body["correlationId"]

    stats = limited.stats()
    assert stats["requests"] == {"ten_secondly": 5, "search": 0, "total": 7}
    assert stats["http_429"] == {
        "TEN_SECONDLY_ROLLING": 2,
        "SECONDLY": 0,
        "DAILY": 0,
        "injected": 0,
    }
    assert stats["max_in_any_10s_window"] == 5


def test_limits_are_per_token() -> None:
    with SimulatorServer(small_config(ten_second_limit=2)) as running:
        url = running.base_url + "/crm/v3/objects/deals"
        codes_a = [httpx.get(url, headers=bearer("a")).status_code for _ in range(3)]
        codes_b = [httpx.get(url, headers=bearer("b")).status_code for _ in range(3)]
        assert running.stats()["max_in_any_10s_window"] == 2
    assert codes_a == [200, 200, 429]
    assert codes_b == [200, 200, 429]


def test_search_secondly_limit_is_separate(limited: SimulatorServer) -> None:
    url = limited.base_url + "/crm/v3/objects/contacts/search"
    with httpx.Client(headers=bearer("secret")) as http:
        started = time.monotonic()
        codes = [http.post(url, json={"limit": 1}).status_code for _ in range(2)]
        refused = http.post(url, json={"limit": 1})
        list_ok = http.get(limited.base_url + "/crm/v3/objects/contacts").status_code
        assert time.monotonic() - started < 1.0
        time.sleep(1.05)
        later = http.post(url, json={"limit": 1}).status_code

    assert codes == [200, 200]
    assert list_ok == 200
    assert later == 200
    assert refused.status_code == 429
    assert not [h for h in refused.headers if h.lower().startswith("x-hubspot-ratelimit")]
    body = refused.json()
    assert set(body) == {
        "status",
        "message",
        "errorType",
        "correlationId",
        "policyName",
        "requestId",
    }
    assert body["message"] == "You have reached your secondly limit."
    assert body["policyName"] == "SECONDLY"
    stats = limited.stats()
    assert stats["requests"]["search"] == 3
    assert stats["http_429"]["SECONDLY"] == 1
    assert stats["max_search_in_any_1s_window"] == 2


def test_daily_limit() -> None:
    with SimulatorServer(small_config(daily_limit=3)) as running:
        url = running.base_url + "/crm/v3/objects/deals"
        responses = [httpx.get(url, headers=bearer("t")) for _ in range(4)]
    assert [r.status_code for r in responses] == [200, 200, 200, 429]
    body = responses[-1].json()
    assert body["policyName"] == "DAILY"
    assert body["message"] == "You have reached your daily limit."
    assert set(body) == {
        "status",
        "message",
        "errorType",
        "correlationId",
        "policyName",
        "requestId",
    }
    assert responses[-1].headers["x-hubspot-ratelimit-daily-remaining"] == "0"


def test_rate_429_share_knob() -> None:
    config = small_config(seed=11, rate_429_share=0.3)
    # The simulator draws one number per authenticated request from this generator.
    draws = random.Random("11:faults")
    expected = [429 if draws.random() < 0.3 else 200 for _ in range(60)]
    with SimulatorServer(config) as running, httpx.Client(headers=bearer("t")) as http:
        url = running.base_url + "/crm/v3/objects/contacts"
        codes = [http.get(url).status_code for _ in range(60)]
        refused = http.get(url)
        while refused.status_code != 429:
            refused = http.get(url)
        running.set_rate_429_share(1.0)
        search = http.post(url + "/search", json={})
        all_refused = [http.get(url).status_code for _ in range(5)]
        running.set_rate_429_share(0.0)
        none_refused = [http.get(url).status_code for _ in range(5)]
        stats = running.stats()

    assert codes == expected
    assert refused.json()["policyName"] == "TEN_SECONDLY_ROLLING"
    assert search.status_code == 429
    assert search.json()["policyName"] == "SECONDLY"
    assert all_refused == [429] * 5
    assert none_refused == [200] * 5
    assert stats["http_429"]["TEN_SECONDLY_ROLLING"] == 0
    assert stats["http_429"]["injected"] == expected.count(429) + 1 + 1 + 5


def test_stats_endpoint_and_reset(limited: SimulatorServer) -> None:
    with httpx.Client(base_url=limited.base_url, headers=bearer("secret")) as http:
        http.get("/crm/v3/objects/contacts")
        http.get("/crm/v3/properties/contacts")
        http.post("/crm/v3/objects/contacts/search", json={})
        stats = httpx.get(limited.base_url + "/_simulator/stats").json()
        stamped = httpx.get(limited.base_url + "/_simulator/stats?timestamps=true").json()
        reset = httpx.post(limited.base_url + "/_simulator/reset-stats")
        after_reset = httpx.get(limited.base_url + "/_simulator/stats").json()

    assert stats["requests"] == {"ten_secondly": 2, "search": 1, "total": 3}
    assert stats["by_endpoint"] == {"list_objects": 1, "list_properties": 1, "search_objects": 1}
    assert stats["first_request_at"] <= stats["last_request_at"]
    assert len(stamped["accepted_at"]["ten_secondly"]) == 2
    assert len(stamped["accepted_at"]["search"]) == 1
    assert {name: len(stamps) for name, stamps in stamped["accepted_by_object"].items()} == {
        "contacts": 3
    }
    assert "accepted_by_object" not in stats
    assert reset.status_code == 200
    assert after_reset["requests"] == {"ten_secondly": 0, "search": 0, "total": 0}
    assert after_reset["first_request_at"] is None
    assert after_reset["max_in_any_10s_window"] == 0


def test_latency_is_concurrent() -> None:
    """Requests wait side by side, not in a queue: every one starts before any one ends."""
    config = small_config(latency_ms=300, latency_per_property_ms=10)
    with SimulatorServer(config) as running:
        url = running.base_url + "/crm/v3/objects/contacts?properties=email,city"
        spans: list[tuple[float, float]] = []
        barrier = threading.Barrier(5)

        def call() -> None:
            barrier.wait()
            started = time.monotonic()
            assert httpx.get(url, headers=bearer("t")).status_code == 200
            spans.append((started, time.monotonic()))

        threads = [threading.Thread(target=call) for _ in range(5)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    # 300 ms plus 10 ms for each of 5 properties (email, city and the three always sent).
    assert min(end - start for start, end in spans) >= 0.35
    assert max(start for start, _ in spans) < min(end for _, end in spans)
