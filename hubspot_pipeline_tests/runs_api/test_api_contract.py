"""The sync-runs API against a real Dagster webserver with no daemon: runs stay queued.

Without a daemon nothing launched here ever executes, so these tests (and the fuzzer,
which launches runs with every valid body it finds) are cheap and leave no data behind.
"""

import os
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from hubspot_pipeline.runs_api.app import create_app
from hubspot_pipeline.runs_api.graphql import DagsterRunsClient
from hubspot_pipeline.runs_api.service import SyncRuns
from hubspot_pipeline_tests.runs_api.conftest import API_TOKEN, AUTH, api_client
from hubspot_pipeline_tests.runs_api.dagster_stack import dagster_stack, free_port

START_DATE = "2026-11-01"
FUZZ_EXAMPLES_PER_OPERATION = 100


@pytest.fixture(scope="module")
def graphql_url(module_tmp):
    env = {"HUBSPOT_ACCESS_TOKEN": "unused", "HUBSPOT_START_DATE": START_DATE}
    with dagster_stack(module_tmp, env, postgres_url=None, daemon=False) as url:
        yield url


@pytest.fixture(scope="module")
def api(graphql_url):
    yield from api_client(graphql_url)


def today() -> str:
    return datetime.now(UTC).date().isoformat()


def test_a_launch_answers_at_once_with_a_pending_run(api):
    response = api.post("/sync-runs", json={"objects": ["contacts"], "priority": "high"})

    assert response.status_code == 202
    body = response.json()
    assert body["status"] == "pending"
    run = api.get(f"/sync-runs/{body['run_id']}").json()
    assert run["status"] == "pending"
    assert run["objects"] == ["contacts"]
    assert run["records_processed"] == 0
    assert run["started_at"] is None


@pytest.mark.parametrize(
    ("body", "named"),
    [
        pytest.param({"objects": ["contacts", "leads"]}, "'leads'", id="unknown-object"),
        pytest.param(
            {"objects": ["deals"], "partitions": ["2026-10-31"]}, "'2026-10-31'", id="before-start"
        ),
        pytest.param(
            {"objects": ["deals"], "partitions": ["2026-11-02", "2026-11-04"]},
            "'2026-11-03'",
            id="gap-in-days",
        ),
        pytest.param({"objects": ["deals"], "partitions": "yesterday"}, "partitions", id="word"),
        pytest.param({"objects": []}, "objects", id="no-objects"),
        pytest.param({"objects": ["deals"], "priority": "urgent"}, "priority", id="bad-priority"),
    ],
)
def test_a_bad_request_is_refused_with_a_message_naming_the_problem(api, body, named):
    response = api.post("/sync-runs", json=body)

    assert response.status_code == 422
    assert named in str(response.json()["detail"])


@pytest.mark.parametrize(
    ("partitions", "tags"),
    [
        pytest.param("latest", {"dagster/partition": "TODAY"}, id="latest"),
        pytest.param(
            "all",
            {
                "dagster/asset_partition_range_start": START_DATE,
                "dagster/asset_partition_range_end": "TODAY",
            },
            id="all",
        ),
        pytest.param(["2026-11-03"], {"dagster/partition": "2026-11-03"}, id="one-day"),
        pytest.param(
            ["2026-11-04", "2026-11-03", "2026-11-05"],
            {
                "dagster/asset_partition_range_start": "2026-11-03",
                "dagster/asset_partition_range_end": "2026-11-05",
            },
            id="consecutive-days",
        ),
    ],
)
def test_partitions_become_one_run_with_partition_tags(api, graphql_url, partitions, tags):
    body = {"objects": ["deals", "tickets"], "partitions": partitions, "priority": "low"}

    run_id = api.post("/sync-runs", json=body).json()["run_id"]

    with DagsterRunsClient(graphql_url) as client:
        run = client.run(run_id)
    run_tags = {tag["key"]: tag["value"] for tag in run["tags"]}
    expected = {key: value.replace("TODAY", today()) for key, value in tags.items()}
    assert {key: run_tags.get(key) for key in expected} == expected
    assert run_tags["dagster/priority"] == "-10"
    assert sorted(key["path"][-1] for key in run["assetSelection"]) == ["deals", "tickets"]


def test_an_idempotency_key_returns_the_same_run(api):
    body = {"objects": ["companies"], "partitions": "latest"}
    headers = {"Idempotency-Key": f"key-{datetime.now(UTC).timestamp()}"}

    first = api.post("/sync-runs", json=body, headers=headers)
    second = api.post("/sync-runs", json=body, headers=headers)
    other_body = api.post("/sync-runs", json=body | {"priority": "high"}, headers=headers)
    no_key = api.post("/sync-runs", json=body)

    assert first.status_code == second.status_code == 202
    assert second.json()["run_id"] == first.json()["run_id"]
    assert other_body.status_code == 409
    assert first.json()["run_id"] in other_body.json()["detail"]
    assert no_key.json()["run_id"] != first.json()["run_id"]


def test_a_queued_run_can_be_canceled_once(api):
    run_id = api.post("/sync-runs", json={"objects": ["contacts"]}).json()["run_id"]

    canceled = api.post(f"/sync-runs/{run_id}/cancel")
    again = api.post(f"/sync-runs/{run_id}/cancel")
    retried = api.post(f"/sync-runs/{run_id}/retry")

    assert canceled.status_code == 200
    assert canceled.json()["status"] == "canceled"
    assert again.status_code == 409
    assert retried.status_code == 409
    listed = api.get("/sync-runs", params={"status": "canceled", "limit": 5}).json()["runs"]
    assert run_id in [run["run_id"] for run in listed]
    assert {run["status"] for run in listed} == {"canceled"}


@pytest.mark.parametrize(
    "headers",
    [
        pytest.param({}, id="no-token"),
        pytest.param({"Authorization": "Bearer wrong"}, id="wrong-token"),
        pytest.param({"Authorization": f"Basic {API_TOKEN}"}, id="not-bearer"),
    ],
)
@pytest.mark.parametrize(
    ("method", "path"),
    [
        pytest.param("GET", "/sync-runs", id="list"),
        pytest.param("POST", "/sync-runs", id="launch"),
        pytest.param("GET", "/sync-runs/00000000-0000-0000-0000-000000000000", id="get"),
    ],
)
def test_every_endpoint_needs_the_token(api, method, path, headers):
    # An explicit Authorization header replaces the client's default one.
    response = api.request(
        method, path, headers=headers or {"Authorization": ""}, json={"objects": ["deals"]}
    )

    assert response.status_code == 401
    assert API_TOKEN not in response.text


def test_an_unknown_run_is_404(api):
    assert api.get("/sync-runs/00000000-0000-0000-0000-000000000000").status_code == 404
    assert api.get("/sync-runs/not-a-run").status_code == 404


@pytest.fixture(scope="module")
def api_schema(graphql_url):
    with DagsterRunsClient(graphql_url) as client:
        app = create_app(SyncRuns(client), API_TOKEN)
        yield schemathesis.openapi.from_asgi("/openapi.json", app)


def no_server_error_for(operation) -> None:
    """Hypothesis drives schemathesis' strategy for one operation.

    Schemathesis' pytest plugin does not work with this pytest version ('Function' object
    has no attribute '_nodeid'), so the test calls Hypothesis itself.
    """

    @given(case=operation.as_strategy())
    @settings(
        max_examples=FUZZ_EXAMPLES_PER_OPERATION,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def no_server_error(case) -> None:
        response = case.call(headers=AUTH)
        assert response.status_code < 500, (operation.label, response.text)

    no_server_error()


def test_no_input_makes_the_api_fail_with_a_server_error(api_schema):
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) == 5

    for operation in operations:
        no_server_error_for(operation)


def test_serve_api_runs_the_api_in_its_own_process_without_logging_the_token(
    graphql_url, module_tmp
):
    port = free_port()
    env = {**os.environ, "SYNC_API_TOKEN": API_TOKEN, "DAGSTER_GRAPHQL_URL": graphql_url}
    command = [str(Path(sys.executable).parent / "hubspot-sync"), "serve-api", "--port", str(port)]
    log_path = module_tmp / "serve-api.log"
    with log_path.open("w") as log:
        server = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                schema = httpx.get(f"{base}/openapi.json").json()
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, log_path.read_text()
                time.sleep(0.3)
        launched = httpx.post(f"{base}/sync-runs", headers=AUTH, json={"objects": ["deals"]})
        listed = httpx.get(f"{base}/sync-runs", headers=AUTH, params={"limit": 1})
        refused = httpx.get(f"{base}/sync-runs")
    finally:
        server.terminate()
        server.wait(timeout=30)

    assert sorted(schema["paths"]) == [
        "/sync-runs",
        "/sync-runs/{run_id}",
        "/sync-runs/{run_id}/cancel",
        "/sync-runs/{run_id}/retry",
    ]
    assert launched.status_code == 202
    assert [run["run_id"] for run in listed.json()["runs"]] == [launched.json()["run_id"]]
    assert refused.status_code == 401
    output = log_path.read_text()
    assert "GET /sync-runs" in output
    assert API_TOKEN not in output
