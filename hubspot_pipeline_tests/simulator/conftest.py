"""Shared simulators for the tests: one big seeded portal, started once per session."""

from collections.abc import Iterator
from datetime import UTC, date, datetime

import httpx
import pytest

from hubspot_pipeline.simulator import SimulatorConfig, SimulatorServer

# A fixed end makes every generated timestamp, and so every expected value, reproducible.
END = datetime(2026, 7, 31, 12, 0, 0, tzinfo=UTC)
HOT_DAY = date(2026, 7, 20)
HOT_COUNT = 3_000
AUTH = {"Authorization": "Bearer test-token"}


def portal_config(**overrides: object) -> SimulatorConfig:
    """The main portal: over 10,000 contacts so the search cap can be reached."""
    settings: dict = {
        "seed": 7,
        "contacts": 10_500,
        "companies": 400,
        "deals": 600,
        "tickets": 300,
        "end": END,
        "ten_second_limit": 100_000,
        "search_per_second": 100_000,
        "hot_days": [("deals", HOT_DAY, HOT_COUNT)],
    }
    settings.update(overrides)
    return SimulatorConfig(**settings)


@pytest.fixture(scope="session")
def server() -> Iterator[SimulatorServer]:
    with SimulatorServer(portal_config()) as running:
        yield running


@pytest.fixture(scope="session")
def client(server: SimulatorServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.base_url, headers=AUTH, timeout=10) as http:
        yield http


def small_config(**overrides: object) -> SimulatorConfig:
    """A tiny portal for limit and auth tests, where data volume does not matter."""
    settings: dict = {
        "seed": 7,
        "contacts": 30,
        "companies": 5,
        "deals": 5,
        "tickets": 5,
        "end": END,
    }
    settings.update(overrides)
    return SimulatorConfig(**settings)
