"""`make bench-budget`: how much of the 10-second budget 4 runs at once use together.

Starts the simulator at its default limits (190 requests per 10 s, 5 searches per second)
with a latency of 100 ms per request plus 0.2 ms per requested property, a real Dagster
deployment (`dagster dev`: webserver, daemon with the run queue, code server) over a
temporary DAGSTER_HOME with the repository's dagster.yaml, and launches 4 runs together
through GraphQL: a backfill of the whole history in 2 runs (contacts, companies; backfill
priority) and two single-object syncs of the whole history (deals, tickets). Then it
checks that every table matches the simulator exactly and prints, last:

    budget: utilization=0.93 http_429=0 runs=4 records=105000 seconds=88.1

Utilization is the requests the simulator admitted against the 10-second limit divided by
what that limit allows between the first and the last of them; search requests are
counted against their own limit and reported on the line before.

Usage: python benchmarks/budget.py [--records-per-object 26250] [--keep]
"""

import argparse
import shutil
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb

from hubspot_pipeline.full_sync import RANGE_END_TAG, RANGE_START_TAG
from hubspot_pipeline.priorities import BACKFILL, priority_tags
from hubspot_pipeline.simulator import SimulatorConfig, SimulatorServer
from hubspot_pipeline_tests.queue.deployment import start_deployment
from hubspot_pipeline_tests.queue.runs import DONE, launch_run

OBJECTS = ("contacts", "companies", "deals", "tickets")
BACKFILL_OBJECTS = ("contacts", "companies")
DAYS = 365
RUNS_AT_ONCE = 4
TIMEOUT_SECONDS = 1800
# Each run has one step: running it in the run's own process (pools still apply) saves
# starting a second Python process per run, which on a busy 2-core machine staggers the
# start of the runs' reading by tens of seconds.
IN_PROCESS = {"execution": {"config": {"in_process": {}}}}


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records-per-object", type=int, default=26_250)
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    return parser.parse_args()


def utilization(stats: dict, limit: int, span: float) -> tuple[float, float]:
    """Admitted requests over what the limit allows in [first, last] of them, and the span."""
    stamps = sorted(stats["accepted_at"]["ten_secondly" if span == 10 else "search"])
    if len(stamps) < 2:
        return 0.0, 0.0
    seconds = stamps[-1] - stamps[0]
    allowed = limit * max(seconds, span) / span
    return len(stamps) / allowed, seconds


def table_ids(database: Path, table: str) -> list[str]:
    with duckdb.connect(str(database), read_only=True) as conn:
        return [row[0] for row in conn.execute(f"SELECT id FROM hubspot.{table}").fetchall()]


def main() -> int:
    args = parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-budget-"))
    end = datetime.now(UTC).replace(microsecond=0)
    config = SimulatorConfig(
        seed=3,
        **dict.fromkeys(OBJECTS, args.records_per_object),
        days=DAYS,
        end=end,
        latency_ms=100.0,
        latency_per_property_ms=0.2,
    )
    first_day = (end - timedelta(days=DAYS + 1)).date().isoformat()
    last_day = end.date().isoformat()
    print(f"Generating {len(OBJECTS) * args.records_per_object} records...", flush=True)
    server = SimulatorServer(config).start()
    env = {
        "HUBSPOT_ACCESS_TOKEN": f"bench-{uuid.uuid4().hex}",
        "HUBSPOT_API_BASE_URL": server.base_url,
        "HUBSPOT_START_DATE": first_day,
        "HUBSPOT_BUDGET_URL": str(tmp / "budget.sqlite"),
        "WAREHOUSE_DUCKDB_PATH": str(tmp / "warehouse.duckdb"),
        "WAREHOUSE_DLT_DIR": str(tmp / "dlt"),
    }
    print(f"Starting dagster dev in {tmp}...", flush=True)
    deployment = start_deployment(
        tmp,
        env,
        max_concurrent_runs=RUNS_AT_ONCE,
        pool_limit=RUNS_AT_ONCE,
        module="hubspot_pipeline.definitions",
    )
    try:
        started = time.monotonic()
        range_tags = {RANGE_START_TAG: first_day, RANGE_END_TAG: last_day}
        run_ids = []
        for name in OBJECTS:
            tags = dict(range_tags)
            if name in BACKFILL_OBJECTS:
                tags |= priority_tags(BACKFILL) | {"hubspot/trigger": "bench-backfill"}
            run_ids.append(launch_run(deployment, name, None, tags, IN_PROCESS))
        instance = deployment.instance
        while time.monotonic() - started < TIMEOUT_SECONDS:
            statuses = [instance.get_run_by_id(run_id).status for run_id in run_ids]
            if all(status in DONE for status in statuses):
                break
            time.sleep(1.0)
        seconds = time.monotonic() - started
        stats = server.stats(include_timestamps=True)
    finally:
        deployment.stop()
        server.stop()

    failed = [run_id for run_id, s in zip(run_ids, statuses, strict=True) if s.value != "SUCCESS"]
    records = 0
    mismatches = []
    for name in OBJECTS:
        ids = table_ids(tmp / "warehouse.duckdb", name) if not failed else []
        records += len(ids)
        if len(ids) != len(set(ids)) or set(ids) != server.portal.ids(name):
            mismatches.append(name)
    ten_util, ten_seconds = utilization(stats, config.ten_second_limit, 10)
    search_util, _ = utilization(stats, config.search_per_second, 1)
    http_429 = sum(stats["http_429"].values())
    print(
        f"requests: ten_secondly={stats['requests']['ten_secondly']} over {ten_seconds:.1f}s "
        f"(max {stats['max_in_any_10s_window']} in any 10 s of {config.ten_second_limit}), "
        f"search={stats['requests']['search']} (utilization {search_util:.2f}, max "
        f"{stats['max_search_in_any_1s_window']} in any 1 s of {config.search_per_second})"
    )
    stamps = sorted(stats["accepted_at"]["ten_secondly"])
    if stamps:
        buckets = [0] * (int((stamps[-1] - stamps[0]) // 10) + 1)
        for stamp in stamps:
            buckets[int((stamp - stamps[0]) // 10)] += 1
        print("ten_secondly requests per 10 s:", " ".join(map(str, buckets)))
    if failed or mismatches:
        print(f"FAILED runs={failed} tables differing from the simulator={mismatches}")
    if not args.keep:
        shutil.rmtree(tmp, ignore_errors=True)
    print(
        f"budget: utilization={ten_util:.2f} http_429={http_429} runs={len(run_ids)} "
        f"records={records} seconds={seconds:.1f}"
    )
    return 1 if failed or mismatches else 0


if __name__ == "__main__":
    sys.exit(main())
