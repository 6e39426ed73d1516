"""Sync runs end to end: real dagster-webserver and dagster-daemon over PostgreSQL storage,
the simulator over HTTP, followed through the sync-runs API.

One webserver and one daemon serve the whole module; tests change the simulator's knobs
(token, failing object types) and restore them, so the token test runs alone, first.
"""

import json
import re
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest

from hubspot_pipeline.simulator import SimulatorConfig, SimulatorServer
from hubspot_pipeline_tests.runs_api.conftest import api_client
from hubspot_pipeline_tests.runs_api.dagster_stack import dagster_stack, postgres_database

PIPELINE_TOKEN = "pipeline-token"
# Latency per request makes a sync last long enough to watch it progress.
PORTAL = SimulatorConfig(
    seed=23,
    contacts=2_400,
    companies=300,
    deals=700,
    tickets=100,
    days=20,
    token=PIPELINE_TOKEN,
    latency_ms=250,
)
pytestmark = pytest.mark.slow

RUN_TIMEOUT_SECONDS = 300
PARTIAL_RUN_KEY = {"Idempotency-Key": "partial-run"}
TERMINAL = {"completed", "failed", "partially_completed", "canceled"}


@pytest.fixture(scope="module")
def simulator():
    with SimulatorServer(PORTAL) as server:
        yield server


@pytest.fixture(scope="module")
def graphql_url(module_tmp, simulator):
    first_day = (PORTAL.end - timedelta(days=PORTAL.days + 1)).date()
    env = {
        "HUBSPOT_ACCESS_TOKEN": PIPELINE_TOKEN,
        "HUBSPOT_API_BASE_URL": simulator.base_url,
        "HUBSPOT_START_DATE": first_day.isoformat(),
        "WAREHOUSE_DUCKDB_PATH": str(module_tmp / "warehouse.duckdb"),
        "HUBSPOT_PROGRESS_SECONDS": "0.5",
        # A failing object gives up after two requests and one step retry.
        "HUBSPOT_MAX_ATTEMPTS": "2",
        "HUBSPOT_STEP_MAX_RETRIES": "1",
        "HUBSPOT_STEP_RETRY_DELAY_SECONDS": "1",
    }
    with postgres_database() as postgres_url, dagster_stack(module_tmp, env, postgres_url) as url:
        yield url


@pytest.fixture(scope="module")
def api(graphql_url):
    yield from api_client(graphql_url)


def hubspot_sync(graphql_url: str, *args: str) -> subprocess.CompletedProcess:
    command = [str(Path(sys.executable).parent / "hubspot-sync"), "--graphql-url", graphql_url]
    return subprocess.run(
        [*command, *args], capture_output=True, text=True, timeout=RUN_TIMEOUT_SECONDS
    )


def follow(api, run_id: str) -> list[dict]:
    """Every answer of GET /sync-runs/{id} until the run ends."""
    seen = []
    deadline = time.monotonic() + RUN_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        response = api.get(f"/sync-runs/{run_id}")
        assert response.status_code == 200, response.text
        seen.append(response.json())
        if seen[-1]["status"] in TERMINAL:
            return seen
        time.sleep(0.3)
    raise AssertionError(f"run {run_id} did not end: {seen[-1]}")


def by_object(run: dict) -> dict[str, dict]:
    return {item["object"]: item for item in run["object_progress"]}


def expected_count(simulator, object_type: str) -> int:
    return len(simulator.portal.ids(object_type))


def test_a_refused_token_fails_the_run_as_auth_without_retry(api, simulator, graphql_url):
    simulator.set_token("a-rotated-token")
    try:
        # Launched by the CLI, which follows the run to its end and exits 1.
        launched = hubspot_sync(graphql_url, "run", "--objects", "deals", "--wait")
    finally:
        simulator.set_token(PIPELINE_TOKEN)

    assert launched.returncode == 1, launched.stdout
    run_id = re.search(r"Launched sync run ([0-9a-f-]{36})", launched.stdout).group(1)
    final = api.get(f"/sync-runs/{run_id}").json()

    assert final["status"] == "failed"
    assert final["error_category"] == "auth"
    assert final["retry_count"] == 0
    assert by_object(final)["deals"]["status"] == "failure"
    assert "401" in final["error_message"]
    assert PIPELINE_TOKEN not in str(final)
    time.sleep(3)  # room for Dagster's run retries, which must not retry a step failure
    assert api.get(f"/sync-runs/{run_id}").json()["retried_by"] is None


@pytest.fixture(scope="module")
def concurrent_runs(api, simulator):
    """Two runs launched together to save time: one that completes, one whose tickets fail.

    The failing knob only touches tickets, which the first run does not sync.
    """
    simulator.set_fail_object_types(("tickets",))
    complete = {"objects": ["contacts", "companies"], "partitions": "all"}
    partial = {"objects": ["companies", "tickets"], "partitions": "all"}
    launched = {
        "complete": api.post("/sync-runs", json=complete),
        "partial": api.post("/sync-runs", json=partial, headers=PARTIAL_RUN_KEY),
    }
    yield launched
    simulator.set_fail_object_types(())


def test_a_run_goes_from_pending_through_processing_to_completed(
    api, simulator, graphql_url, concurrent_runs
):
    objects = ["contacts", "companies"]

    accepted = concurrent_runs["complete"]

    assert accepted.status_code == 202
    assert accepted.json()["status"] == "pending"
    seen = follow(api, accepted.json()["run_id"])
    statuses = [answer["status"] for answer in seen]
    assert statuses[0] == "pending"
    assert statuses[-1] == "completed"
    assert "processing" in statuses
    live = [a["records_processed"] for a in seen if a["status"] == "processing"]
    assert len({count for count in live if count > 0}) >= 2, live
    assert live == sorted(live)

    final = seen[-1]
    expected = {name: expected_count(simulator, name) for name in objects}
    assert {name: item["records_processed"] for name, item in by_object(final).items()} == (
        expected
    )
    assert final["records_processed"] == sum(expected.values())
    assert sorted(final["objects"]) == sorted(objects)
    assert final["retry_count"] == 0
    assert final["error_message"] is None and final["error_category"] is None
    assert final["duration_seconds"] > 0
    assert final["started_at"] < final["finished_at"]
    host, _, pid = final["worker"].rpartition(":")
    assert host and pid.isdigit()

    shown = hubspot_sync(graphql_url, "status", final["run_id"], "--json")
    assert shown.returncode == 0
    assert json.loads(shown.stdout)["records_processed"] == sum(expected.values())


def test_exhausted_retries_leave_a_partial_run_whose_retry_completes_it(
    api, simulator, concurrent_runs
):
    run_id = concurrent_runs["partial"].json()["run_id"]
    partial = follow(api, run_id)[-1]
    simulator.set_fail_object_types(())

    assert partial["status"] == "partially_completed"
    assert partial["error_category"] == "transient"
    assert partial["retry_count"] == 1
    objects = by_object(partial)
    assert objects["companies"]["status"] == "success"
    assert objects["companies"]["records_processed"] == expected_count(simulator, "companies")
    assert objects["tickets"]["status"] == "failure"
    assert "503" in objects["tickets"]["error_message"]

    retry = api.post(f"/sync-runs/{run_id}/retry")
    assert retry.status_code == 202, retry.text
    retry_id = retry.json()["run_id"]
    assert api.get(f"/sync-runs/{run_id}").json()["status"] == "retrying"
    done = follow(api, retry_id)[-1]

    assert done["status"] == "completed"
    assert done["error_category"] is None
    assert done["parent_run_id"] == run_id
    assert done["objects"] == ["tickets"]
    assert list(by_object(done)) == ["tickets"]
    assert done["records_processed"] == expected_count(simulator, "tickets")
    original = api.get(f"/sync-runs/{run_id}").json()
    assert original["status"] == "partially_completed"
    assert original["retried_by"] == retry_id
    failed = api.get("/sync-runs", params={"status": "partially_completed"}).json()["runs"]
    assert run_id in [run["run_id"] for run in failed]
    # The retry inherited the key's tag; the key still names the run it launched.
    again = {"objects": ["companies", "tickets"], "partitions": "all"}
    replay = api.post("/sync-runs", json=again, headers=PARTIAL_RUN_KEY)
    assert replay.json()["run_id"] == run_id
