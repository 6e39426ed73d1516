"""The run queue, pools and priorities in a real Dagster deployment (`dagster dev`).

One deployment serves the module: the webserver takes GraphQL launches and backfills, the
daemon runs the queue, the schedule and the sensor, each run has its own process and
each step its own. The simulator answers slowly enough that steps overlap.
"""

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import dagster as dg
import pytest

from hubspot_pipeline.assets import HUBSPOT_POOL
from hubspot_pipeline.priorities import BACKFILL, URGENT, priority_tags
from hubspot_pipeline.simulator import SimulatorConfig, SimulatorServer
from hubspot_pipeline_tests.queue.deployment import Deployment, start_deployment
from hubspot_pipeline_tests.queue.runs import (
    all_done,
    backfill_runs,
    launch_backfill,
    launch_run,
    log_times,
    max_overlap,
    running_steps,
    start_schedule_and_sensor,
    step_intervals,
    terminate,
    wait_for,
)

pytestmark = pytest.mark.slow

TODAY = datetime.now(UTC).date()
DAY = (TODAY - timedelta(days=2)).isoformat()
EARLIER_DAYS = [(TODAY - timedelta(days=n)).isoformat() for n in (6, 5, 4, 3)]
LATENCY_MS = 300.0
HANG_MS = 120_000.0
GATE_MS = 8_000.0
POOL_LIMIT = 2
RUN_TIMEOUT_SECONDS = 420


@pytest.fixture(scope="module")
def simulator() -> Iterator[SimulatorServer]:
    config = SimulatorConfig(
        contacts=200, companies=80, deals=80, tickets=80, days=8, latency_ms=LATENCY_MS
    )
    with SimulatorServer(config) as server:
        yield server


@pytest.fixture(scope="module")
def deployment(
    simulator: SimulatorServer, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Deployment]:
    tmp = tmp_path_factory.mktemp("queue")
    env = {
        "HUBSPOT_ACCESS_TOKEN": f"test-{uuid.uuid4().hex}",
        "HUBSPOT_API_BASE_URL": simulator.base_url,
        "HUBSPOT_START_DATE": (TODAY - timedelta(days=10)).isoformat(),
        "HUBSPOT_BUDGET_URL": str(tmp / "budget.sqlite"),
        "WAREHOUSE_DUCKDB_PATH": str(tmp / "warehouse.duckdb"),
        "WAREHOUSE_DLT_DIR": str(tmp / "dlt"),
        "QUEUE_TEST_PARTITION": DAY,
    }
    deployment = start_deployment(tmp, env, max_concurrent_runs=6, pool_limit=POOL_LIMIT)
    yield deployment
    deployment.stop()


def test_limits_hold_whatever_launched_the_runs(
    deployment: Deployment, simulator: SimulatorServer
) -> None:
    """6 runs from GraphQL, a schedule, a sensor and a backfill; at most 2 HubSpot steps."""
    instance = deployment.instance
    start_schedule_and_sensor(deployment)
    first = launch_run(deployment, "contacts", DAY)
    second = launch_run(deployment, "contacts", DAY)
    backfill_id = launch_backfill(deployment, "deals", EARLIER_DAYS[-2:])

    seen: list[int] = []
    simulator.config.latency_ms = GATE_MS

    def every_runs() -> list[str]:
        return [run.run_id for run in instance.get_runs()]

    def poll() -> None:
        seen.append(running_steps(instance, every_runs()))

    # HubSpot answers slowly until the pool is full, so that steps do compete for slots
    # however slowly this machine starts runs; a request in flight keeps its latency.
    try:
        wait_for(lambda: running_steps(instance, every_runs()) >= 2, 300, "2 steps", poll)
    finally:
        simulator.config.latency_ms = LATENCY_MS
    # The schedule fires at the next minute: up to 60 s before its run exists.
    wait_for(lambda: len(every_runs()) == 6, 90, "6 runs", every=poll)
    wait_for(lambda: all_done(instance, every_runs()), RUN_TIMEOUT_SECONDS, "the runs", poll)

    runs = instance.get_runs()
    launched_by = sorted(
        run.tags.get("queue_test/launched_by")
        or ("backfill" if "dagster/backfill" in run.tags else "graphql")
        for run in runs
    )
    assert launched_by == ["backfill", "backfill", "graphql", "graphql", "schedule", "sensor"]
    assert {run.status for run in runs} == {dg.DagsterRunStatus.SUCCESS}
    assert len(backfill_runs(instance, backfill_id)) == 2
    assert max(seen) <= POOL_LIMIT
    assert max_overlap(step_intervals(instance, every_runs())) == POOL_LIMIT

    # The second sync of contacts took the object's lock only after the first let go.
    held = sorted(
        (log_times(instance, run_id, "Holding the contacts sync lock")[0], run_id)
        for run_id in (first, second)
    )
    (earlier_hold, earlier), (later_hold, _) = held
    earlier_end = instance.get_run_step_stats(earlier)[0].end_time
    assert earlier_hold < earlier_end <= later_hold

    # The pool was new at the first run and got the default limit, not zero.
    info = instance.event_log_storage.get_concurrency_info(HUBSPOT_POOL)
    assert (info.slot_count, info.claimed_slots) == (POOL_LIMIT, [])


def test_urgent_run_overtakes_a_backfill(
    deployment: Deployment, simulator: SimulatorServer
) -> None:
    """With one slot, the urgent run's step goes before the backfill's waiting steps.

    Runs may start while their steps wait for a pool slot (`op_granularity_run_buffer`),
    and waiting steps get slots highest run priority first: that is where an urgent run
    overtakes. The backfill's first step holds the slot (HubSpot answers slowly) until the
    urgent step waits too, however slowly this machine starts runs.
    """
    instance = deployment.instance
    deployment.dagster_cli("instance", "concurrency", "set", HUBSPOT_POOL, "1")
    simulator.config.latency_ms = GATE_MS
    try:
        backfill_id = launch_backfill(deployment, "companies", EARLIER_DAYS)
        wait_for(lambda: len(backfill_runs(instance, backfill_id)) == 4, 60, "the backfill")
        # Only once one backfill step holds the slot are the other three waiting behind it;
        # on a fast machine the urgent run could otherwise queue before any of them.
        wait_for(
            lambda: any(
                instance.get_run_step_stats(run.run_id)
                for run in backfill_runs(instance, backfill_id)
            ),
            300,
            "a backfill step to hold the slot",
        )
        urgent = launch_run(deployment, "tickets", DAY, priority_tags(URGENT))
        wait_for(
            lambda: any(
                step.run_id == urgent
                for step in instance.event_log_storage.get_concurrency_info(
                    HUBSPOT_POOL
                ).pending_steps
            ),
            300,
            "the urgent step to wait for the pool",
        )
        not_started = [
            run.run_id
            for run in backfill_runs(instance, backfill_id)
            if not instance.get_run_step_stats(run.run_id)
        ]
    finally:
        simulator.config.latency_ms = LATENCY_MS
    run_ids = [urgent, *(run.run_id for run in backfill_runs(instance, backfill_id))]
    wait_for(lambda: all_done(instance, run_ids), RUN_TIMEOUT_SECONDS, "the runs")

    assert {run.tags["dagster/priority"] for run in backfill_runs(instance, backfill_id)} == {
        str(BACKFILL)
    }
    assert len(not_started) == 3

    def step_start(run_id: str) -> float:
        return instance.get_run_step_stats(run_id)[0].start_time

    assert all(step_start(urgent) < step_start(run_id) for run_id in not_started)


def test_cancelled_run_gives_back_its_pool_slot(
    deployment: Deployment, simulator: SimulatorServer
) -> None:
    instance = deployment.instance
    deployment.dagster_cli("instance", "concurrency", "set", HUBSPOT_POOL, "1")
    requests_before = simulator.stats()["requests"]["total"]
    simulator.config.latency_ms = HANG_MS
    backfill_id = launch_backfill(deployment, "contacts", EARLIER_DAYS)
    try:
        wait_for(
            lambda: simulator.stats()["requests"]["total"] > requests_before,
            300,
            "the first run to call HubSpot",
        )
    finally:
        simulator.config.latency_ms = LATENCY_MS

    runs = backfill_runs(instance, backfill_id)
    hung = next(run for run in runs if instance.get_run_step_stats(run.run_id))
    terminate(deployment, hung.run_id)
    run_ids = [run.run_id for run in backfill_runs(instance, backfill_id)]
    wait_for(lambda: all_done(instance, run_ids), RUN_TIMEOUT_SECONDS, "the other runs")

    statuses = {run.run_id: run.status for run in backfill_runs(instance, backfill_id)}
    assert statuses.pop(hung.run_id) == dg.DagsterRunStatus.CANCELED
    assert list(statuses.values()) == [dg.DagsterRunStatus.SUCCESS] * 3
    assert instance.event_log_storage.get_concurrency_info(HUBSPOT_POOL).claimed_slots == []


def test_first_run_of_a_new_pool_is_not_stuck(tmp_path: Path) -> None:
    """Covered by the deployment's first run above; this checks the instance's answer."""
    home = tmp_path / "home"
    home.mkdir()
    (home / "dagster.yaml").write_text(
        (Path(__file__).resolve().parents[2] / "dagster.yaml").read_text()
    )
    instance = dg.DagsterInstance.from_config(str(home))
    assert instance.event_log_storage.initialize_concurrency_limit_to_default("brand_new_pool")
    assert instance.event_log_storage.get_concurrency_info("brand_new_pool").slot_count == 2
    instance.dispose()
