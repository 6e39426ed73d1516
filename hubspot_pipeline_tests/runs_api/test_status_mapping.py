"""DESIGN §7's mapping of Dagster run states to sync statuses, as a table."""

import pytest

from hubspot_pipeline.runs_api.tracking import SyncStatus, sync_status


def run(state: str, *step_states: str) -> dict:
    return {"status": state, "stepStats": [{"status": step} for step in step_states]}


@pytest.mark.parametrize(
    ("dagster_run", "retry_run", "expected"),
    [
        pytest.param(run("QUEUED"), None, SyncStatus.PENDING, id="queued"),
        pytest.param(run("NOT_STARTED"), None, SyncStatus.PENDING, id="not-started"),
        pytest.param(run("STARTING"), None, SyncStatus.PENDING, id="starting"),
        pytest.param(run("STARTED", "IN_PROGRESS"), None, SyncStatus.PROCESSING, id="started"),
        pytest.param(run("SUCCESS", "SUCCESS"), None, SyncStatus.COMPLETED, id="success"),
        pytest.param(run("FAILURE", "FAILURE"), None, SyncStatus.FAILED, id="nothing-done"),
        pytest.param(
            run("FAILURE", "SUCCESS", "FAILURE"),
            None,
            SyncStatus.PARTIALLY_COMPLETED,
            id="some-done",
        ),
        pytest.param(
            run("FAILURE", "SUCCESS", "FAILURE"),
            run("STARTED"),
            SyncStatus.RETRYING,
            id="retry-running",
        ),
        pytest.param(
            run("FAILURE", "FAILURE"), run("QUEUED"), SyncStatus.RETRYING, id="retry-queued"
        ),
        pytest.param(
            run("FAILURE", "SUCCESS", "FAILURE"),
            run("SUCCESS"),
            SyncStatus.PARTIALLY_COMPLETED,
            id="retry-ended",
        ),
        pytest.param(run("CANCELING"), None, SyncStatus.CANCELED, id="canceling"),
        pytest.param(run("CANCELED"), None, SyncStatus.CANCELED, id="canceled"),
    ],
)
def test_dagster_states_map_to_sync_statuses(dagster_run, retry_run, expected):
    assert sync_status(dagster_run, retry_run) is expected
