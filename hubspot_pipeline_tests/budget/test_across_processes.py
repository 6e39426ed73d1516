"""The budget holds across real processes, whichever backend keeps its counts.

Four processes send requests for one portal at once, each with its own client and its
own connection to the budget's store. The simulator counts what it admitted in every
rolling window: if the processes did not share one count, they would together send more
than the limit and get 429s.
"""

import multiprocessing
import uuid
from pathlib import Path

import pytest

from hubspot_pipeline.hubspot.budget import BudgetConfig
from hubspot_pipeline.simulator import SimulatorConfig, SimulatorServer
from hubspot_pipeline_tests.budget.workers import spend
from hubspot_pipeline_tests.conftest import POSTGRES_URL

PROCESSES = 4
LIST_CALLS = 6
SEARCH_CALLS = 4
TEN_SECOND_LIMIT = 20
SEARCH_PER_SECOND = 5
REDIS_URL = "redis://127.0.0.1:6379/0"


def budget_url(backend: str, tmp_path: Path) -> str:
    return {
        "sqlite": str(tmp_path / "budget.sqlite"),
        "postgresql": POSTGRES_URL,
        "redis": REDIS_URL,
    }[backend]


@pytest.mark.slow
@pytest.mark.parametrize("backend", ["sqlite", "postgresql", "redis"])
def test_processes_share_one_budget(backend: str, tmp_path: Path) -> None:
    config = SimulatorConfig(
        contacts=50,
        companies=0,
        deals=0,
        tickets=0,
        ten_second_limit=TEN_SECOND_LIMIT,
        search_per_second=SEARCH_PER_SECOND,
    )
    budget = BudgetConfig(
        requests_per_ten_seconds=TEN_SECOND_LIMIT, search_requests_per_second=SEARCH_PER_SECOND
    )
    token = f"test-{uuid.uuid4().hex}"
    context = multiprocessing.get_context("spawn")
    results = context.Queue()

    with SimulatorServer(config) as server:
        workers = [
            context.Process(
                target=spend,
                args=(
                    server.base_url,
                    token,
                    budget_url(backend, tmp_path),
                    budget,
                    LIST_CALLS,
                    SEARCH_CALLS,
                    results,
                ),
            )
            for _ in range(PROCESSES)
        ]
        for worker in workers:
            worker.start()
        try:
            reports = [results.get(timeout=60) for _ in workers]
        finally:
            for worker in workers:
                worker.join(timeout=10)
                if worker.is_alive():
                    worker.kill()
        stats = server.stats()

    assert reports == [(LIST_CALLS + SEARCH_CALLS, 0)] * PROCESSES
    assert stats["http_429"] == {
        "TEN_SECONDLY_ROLLING": 0,
        "SECONDLY": 0,
        "DAILY": 0,
        "injected": 0,
    }
    assert stats["requests"] == {
        "ten_secondly": PROCESSES * LIST_CALLS,
        "search": PROCESSES * SEARCH_CALLS,
        "total": PROCESSES * (LIST_CALLS + SEARCH_CALLS),
    }
    assert stats["max_in_any_10s_window"] <= TEN_SECOND_LIMIT
    assert stats["max_search_in_any_1s_window"] <= SEARCH_PER_SECOND
