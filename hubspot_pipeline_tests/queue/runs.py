"""Launching runs through GraphQL and watching their steps in the instance."""

import time
from collections.abc import Callable

import dagster as dg

from hubspot_pipeline.definitions import CRM_SYNC_JOB
from hubspot_pipeline_tests.queue.deployment import LOCATION, Deployment

REPOSITORY = "__repository__"
LAUNCH_RUN = """
mutation($params: ExecutionParams!) {
  launchRun(executionParams: $params) {
    __typename
    ... on LaunchRunSuccess { run { runId } }
    ... on PythonError { message }
    ... on InvalidSubsetError { message }
    ... on RunConfigValidationInvalid { errors { message } }
  }
}
"""
LAUNCH_BACKFILL = """
mutation($params: LaunchBackfillParams!) {
  launchPartitionBackfill(backfillParams: $params) {
    __typename
    ... on LaunchBackfillSuccess { backfillId }
    ... on PythonError { message }
  }
}
"""
TERMINATE = """
mutation($runId: String!) {
  terminateRun(runId: $runId) { __typename ... on PythonError { message } }
}
"""
START_SCHEDULE = """
mutation($selector: ScheduleSelector!) {
  startSchedule(scheduleSelector: $selector) { __typename ... on PythonError { message } }
}
"""
START_SENSOR = """
mutation($selector: SensorSelector!) {
  startSensor(sensorSelector: $selector) { __typename ... on PythonError { message } }
}
"""
DONE = {
    dg.DagsterRunStatus.SUCCESS,
    dg.DagsterRunStatus.FAILURE,
    dg.DagsterRunStatus.CANCELED,
}


def _tags(tags: dict[str, str]) -> list[dict[str, str]]:
    return [{"key": key, "value": value} for key, value in tags.items()]


def launch_run(
    deployment: Deployment,
    obj: str,
    partition: str | None,
    tags: dict | None = None,
    run_config: dict | None = None,
) -> str:
    """What a user's or a webhook's request does: one object, one day, through GraphQL.

    Without a partition, `tags` must name a range of days.
    """
    day = {"dagster/partition": partition} if partition else {}
    params = {
        "selector": {
            "repositoryLocationName": LOCATION,
            "repositoryName": REPOSITORY,
            "jobName": CRM_SYNC_JOB,
            "assetSelection": [{"path": [obj]}],
        },
        "runConfigData": run_config or {},
        "executionMetadata": {"tags": _tags({**day, **(tags or {})})},
    }
    result = deployment.graphql(LAUNCH_RUN, {"params": params})["launchRun"]
    assert result["__typename"] == "LaunchRunSuccess", result
    return result["run"]["runId"]


def launch_backfill(deployment: Deployment, obj: str, partitions: list[str]) -> str:
    """A backfill of the sync job, one run per day, as the UI's backfill dialog launches it."""
    params = {
        "selector": {
            "partitionSetName": f"{CRM_SYNC_JOB}_partition_set",
            "repositorySelector": {
                "repositoryLocationName": LOCATION,
                "repositoryName": REPOSITORY,
            },
        },
        "partitionNames": partitions,
        "assetSelection": [{"path": [obj]}],
    }
    result = deployment.graphql(LAUNCH_BACKFILL, {"params": params})["launchPartitionBackfill"]
    assert result["__typename"] == "LaunchBackfillSuccess", result
    return result["backfillId"]


def terminate(deployment: Deployment, run_id: str) -> None:
    result = deployment.graphql(TERMINATE, {"runId": run_id})["terminateRun"]
    assert result["__typename"] == "TerminateRunSuccess", result


def start_schedule_and_sensor(deployment: Deployment) -> None:
    where = {"repositoryLocationName": LOCATION, "repositoryName": REPOSITORY}
    started = deployment.graphql(
        START_SCHEDULE, {"selector": {**where, "scheduleName": "queue_test_schedule"}}
    )["startSchedule"]
    assert started["__typename"] == "ScheduleStateResult", started
    started = deployment.graphql(
        START_SENSOR, {"selector": {**where, "sensorName": "queue_test_sensor"}}
    )["startSensor"]
    assert started["__typename"] == "Sensor", started


def backfill_runs(instance: dg.DagsterInstance, backfill_id: str) -> list[dg.DagsterRun]:
    runs = instance.get_runs(dg.RunsFilter(tags={"dagster/backfill": backfill_id}))
    return sorted(runs, key=lambda run: run.tags["dagster/partition"])


def running_steps(instance: dg.DagsterInstance, run_ids: list[str]) -> int:
    """Steps that started and have not ended, across the given runs."""
    return sum(
        1
        for run_id in run_ids
        for step in instance.get_run_step_stats(run_id)
        if step.start_time is not None and step.end_time is None
    )


def step_intervals(instance: dg.DagsterInstance, run_ids: list[str]) -> list[tuple[float, float]]:
    return [
        (step.start_time, step.end_time)
        for run_id in run_ids
        for step in instance.get_run_step_stats(run_id)
        if step.start_time is not None and step.end_time is not None
    ]


def max_overlap(intervals: list[tuple[float, float]]) -> int:
    """The largest number of intervals open at one instant (an end before a start)."""
    events = sorted([(start, 1) for start, _ in intervals] + [(end, -1) for _, end in intervals])
    best = current = 0
    for _, change in events:
        current += change
        best = max(best, current)
    return best


def wait_for(
    condition: Callable[[], bool],
    timeout: float,
    what: str,
    every: Callable[[], None] | None = None,
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if every is not None:
            every()
        if condition():
            return
        time.sleep(1.0)
    raise AssertionError(f"timed out after {timeout:.0f}s waiting for {what}")


def all_done(instance: dg.DagsterInstance, run_ids: list[str]) -> bool:
    return all(instance.get_run_by_id(run_id).status in DONE for run_id in run_ids)


def log_times(instance: dg.DagsterInstance, run_id: str, text: str) -> list[float]:
    return [
        entry.timestamp
        for entry in instance.all_logs(run_id)
        if entry.user_message and text in entry.user_message
    ]
