"""The daily budget, its reset in the portal's time zone, and what headers teach the budget."""

import sqlite3
import uuid
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from hubspot_pipeline.hubspot.budget import BudgetConfig, Policy, SharedBudget
from hubspot_pipeline.hubspot.budget_store import SQLiteBudgetStore, store_from_url
from hubspot_pipeline.hubspot.client import HubSpotClient
from hubspot_pipeline.hubspot.errors import DailyLimitExhaustedError, ErrorCategory
from hubspot_pipeline.simulator import SimulatorConfig, SimulatorServer

NOW = datetime(2026, 3, 7, 22, 30, tzinfo=UTC)
PORTAL = "portal0001"


def budget_at(tmp_path: Path, config: BudgetConfig, now: datetime = NOW) -> SharedBudget:
    return SharedBudget(
        SQLiteBudgetStore(tmp_path / "budget.sqlite"), PORTAL, config, wall_clock=lambda: now
    )


def rows(tmp_path: Path, table: str) -> int:
    with sqlite3.connect(tmp_path / "budget.sqlite") as conn:
        return conn.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]


@pytest.mark.parametrize(
    ("timezone", "reset"),
    [
        pytest.param("UTC", "2026-03-08T00:00:00+00:00", id="utc"),
        pytest.param("America/New_York", "2026-03-08T00:00:00-05:00", id="new-york-same-day"),
        pytest.param("Europe/Berlin", "2026-03-08T00:00:00+01:00", id="berlin-half-an-hour"),
    ],
)
def test_spent_day_fails_at_once_saying_when_it_resets(
    tmp_path: Path, timezone: str, reset: str
) -> None:
    config = BudgetConfig(daily_limit=10, daily_reserved_share=0.2, portal_timezone=timezone)
    budget = budget_at(tmp_path, config)

    for _ in range(8):
        budget.acquire(Policy.TEN_SECONDLY_ROLLING)
    with pytest.raises(DailyLimitExhaustedError) as raised:
        budget.acquire(Policy.SEARCH)

    assert raised.value.category is ErrorCategory.TRANSIENT
    assert f"resets at {reset} (midnight {timezone})" in raised.value.message
    assert "may use 8 of its 10 daily requests (20% kept" in raised.value.message
    budget.close()


def test_a_new_portal_day_starts_a_fresh_budget(tmp_path: Path) -> None:
    config = BudgetConfig(daily_limit=2, daily_reserved_share=0.0)
    late = budget_at(tmp_path, config, datetime(2026, 3, 7, 23, 59, tzinfo=UTC))
    late.acquire(Policy.SEARCH)
    late.acquire(Policy.SEARCH)
    with pytest.raises(DailyLimitExhaustedError):
        late.acquire(Policy.SEARCH)

    next_day = budget_at(tmp_path, config, datetime(2026, 3, 8, 0, 1, tzinfo=UTC))
    next_day.acquire(Policy.SEARCH)

    assert rows(tmp_path, f"budget_{PORTAL}_daily_20260307") == 2
    assert rows(tmp_path, f"budget_{PORTAL}_daily_20260308") == 1
    late.close()
    next_day.close()


@pytest.mark.parametrize(
    ("headers", "table", "expected_rows"),
    [
        pytest.param(
            {"Max": "190", "Remaining": "0", "Interval-Milliseconds": "10000"},
            "ten_secondly_rolling",
            # 190 counted by HubSpot, at most 186 ours, 2 of tolerance: 2 by someone else.
            2,
            id="window-spent-by-another-client-of-the-token",
        ),
        pytest.param(
            {"Max": "190", "Remaining": "15", "Interval-Milliseconds": "10000"},
            "ten_secondly_rolling",
            0,
            id="window-within-our-own-spending",
        ),
        pytest.param(
            {"Daily": "1000", "Daily-Remaining": "900"},
            "daily_20260307",
            100,
            id="day-spent-by-other-apps",
        ),
    ],
)
def test_headers_record_what_others_spent(
    tmp_path: Path, headers: dict, table: str, expected_rows: int
) -> None:
    budget = budget_at(tmp_path, BudgetConfig())
    budget.acquire(Policy.SEARCH)  # creates the store's file

    budget.observe({f"X-HubSpot-RateLimit-{name}": value for name, value in headers.items()})

    budget._bucket(Policy.TEN_SECONDLY_ROLLING)  # the table exists even when nothing was added
    assert rows(tmp_path, f"budget_{PORTAL}_{table}") == expected_rows
    budget.close()


def test_a_lower_max_than_configured_lowers_the_window(tmp_path: Path) -> None:
    budget = budget_at(tmp_path, BudgetConfig(requests_per_ten_seconds=190))
    budget.acquire(Policy.TEN_SECONDLY_ROLLING)

    budget.observe(
        {"X-HubSpot-RateLimit-Max": "100", "X-HubSpot-RateLimit-Interval-Milliseconds": "10000"}
    )

    assert [rate.limit for rate in budget._bucket(Policy.TEN_SECONDLY_ROLLING).rates] == [98]
    # The pace follows: 98 per 10.3 s is 9.5 a second, rounded up.
    assert [rate.limit for rate in budget._buckets["pace"].rates] == [10]
    budget.close()


@pytest.mark.parametrize(
    ("config", "window", "pace", "search"),
    [
        pytest.param(BudgetConfig(), (186, 10_300), (19, 1000), (5, 1100), id="defaults"),
        pytest.param(
            BudgetConfig(
                requests_per_ten_seconds=100,
                headroom=0.0,
                arrival_jitter_ms=0,
                reservation_age_ms=0,
            ),
            (100, 10_000),
            (10, 1000),
            (5, 1000),
            id="no-stretch",
        ),
        pytest.param(
            BudgetConfig(requests_per_ten_seconds=20, search_requests_per_second=2),
            (19, 10_300),
            (2, 1000),
            (2, 1100),
            id="small-app",
        ),
    ],
)
def test_windows_are_stretched_by_jitter_and_reservation_age(
    config: BudgetConfig, window: tuple, pace: tuple, search: tuple
) -> None:
    def limits(rates) -> tuple:
        (rate,) = rates
        return rate.limit, rate.interval

    assert limits(config.rates(Policy.TEN_SECONDLY_ROLLING)) == window
    assert limits(config.pace_rates()) == pace
    assert limits(config.rates(Policy.SEARCH)) == search


def test_client_stops_at_the_share_left_for_other_apps(tmp_path: Path) -> None:
    """The simulator's headers teach the daily limit; half of it is kept for other apps."""
    token = f"test-{uuid.uuid4().hex}"
    config = SimulatorConfig(contacts=20, companies=0, deals=0, tickets=0, daily_limit=20)

    with SimulatorServer(config) as server:
        budget = SharedBudget(
            store_from_url(str(tmp_path / "budget.sqlite")),
            PORTAL,
            BudgetConfig(daily_reserved_share=0.5),
        )
        with HubSpotClient(token, base_url=server.base_url, budget=budget) as client:
            sent = 0
            with pytest.raises(DailyLimitExhaustedError) as raised:
                while sent < 20:
                    client.list_page("contacts", limit=1)
                    sent += 1
        stats = server.stats()

    assert sent == 10
    assert stats["requests"]["total"] == 10
    assert stats["http_429"]["DAILY"] == 0
    assert "may use 10 of its 20 daily requests (50% kept" in raised.value.message


def test_a_daily_429_stops_every_later_request(tmp_path: Path) -> None:
    seen: list[httpx.Request] = []
    daily_429 = httpx.Response(
        429,
        json={
            "status": "error",
            "message": "You have reached your daily limit.",
            "errorType": "RATE_LIMIT",
            "policyName": "DAILY",
        },
    )

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return daily_429

    budget = budget_at(tmp_path, BudgetConfig(daily_limit=1000))
    client = HubSpotClient(
        "pat-secret",
        base_url="http://hubspot.test",
        budget=budget,
        transport=httpx.MockTransport(handler),
    )
    for _ in range(2):
        with pytest.raises(DailyLimitExhaustedError) as raised:
            client.list_page("contacts")
        assert "resets at 2026-03-08T00:00:00+00:00" in raised.value.message
        assert "pat-secret" not in raised.value.message

    assert len(seen) == 1
    client.close()
