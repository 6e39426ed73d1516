"""The code location of the queue tests: the real definitions plus a schedule and a sensor.

Both are stopped until a test starts them, and each asks for one run only (a fixed run
key), so the test knows exactly how many runs to expect from them.
"""

import os

import dagster as dg

from hubspot_pipeline.definitions import CRM_SYNC_JOB, build_definitions

SCHEDULE_OBJECT = os.environ.get("QUEUE_TEST_SCHEDULE_OBJECT", "companies")
SENSOR_OBJECT = os.environ.get("QUEUE_TEST_SENSOR_OBJECT", "tickets")
PARTITION = os.environ.get("QUEUE_TEST_PARTITION", "")


@dg.schedule(
    cron_schedule="* * * * *",
    job_name=CRM_SYNC_JOB,
    default_status=dg.DefaultScheduleStatus.STOPPED,
)
def queue_test_schedule(
    context: dg.ScheduleEvaluationContext,
) -> dg.RunRequest | dg.SkipReason:
    # A schedule's run key is unique per tick only: skip by hand after the first run.
    if context.instance.get_runs(
        dg.RunsFilter(tags={"queue_test/launched_by": "schedule"}), limit=1
    ):
        return dg.SkipReason("ran once")
    return dg.RunRequest(
        run_key="once",
        partition_key=PARTITION,
        asset_selection=[dg.AssetKey(SCHEDULE_OBJECT)],
        tags={"queue_test/launched_by": "schedule"},
    )


@dg.sensor(
    job_name=CRM_SYNC_JOB,
    minimum_interval_seconds=1,
    default_status=dg.DefaultSensorStatus.STOPPED,
)
def queue_test_sensor(context: dg.SensorEvaluationContext) -> dg.RunRequest:
    return dg.RunRequest(
        run_key="once",
        partition_key=PARTITION,
        asset_selection=[dg.AssetKey(SENSOR_OBJECT)],
        tags={"queue_test/launched_by": "sensor"},
    )


defs = dg.Definitions.merge(
    build_definitions(),
    dg.Definitions(schedules=[queue_test_schedule], sensors=[queue_test_sensor]),
)
