"""`make bench-budget`: how much of the 10-second budget 4 runs at once use together.

Starts the simulator at its default limits (190 requests per 10 s, 5 searches per second)
with a latency of 100 ms per request plus 0.2 ms per requested property, a real Dagster
deployment (`dagster dev`: webserver, daemon with the run queue, code server) over a
temporary DAGSTER_HOME with the repository's dagster.yaml, and launches 4 runs together
through GraphQL, each reading one object's whole history (50,000 records each): two runs
tagged as a backfill at backfill priority (contacts, companies) and two single-object
syncs at normal priority (deals, tickets). A long sync, so that the budget's use is
measured rather than the seconds Dagster takes to start 4 run processes side by side.
The pool limit is raised to 4 (the shipped dagster.yaml allows 2 HubSpot steps at once),
so all four read together. Then it checks that every table matches the simulator
exactly and prints, last:

    budget: utilization=0.93 http_429=0 runs=4 records=200000 seconds=145.6

Utilization is the requests the simulator admitted against the 10-second limit divided by
what that limit allows between the first and the last of them (190 / 10 s times that
span); the budget's own stretch and headroom cap it at about 0.95. Search requests count
against their own limit and are reported on the `requests:` line. `seconds` runs from the
launch until every run has ended: Dagster's start of the runs and the loads included.

Usage: python benchmarks/budget.py [--records-per-object 50000] [--keep]
"""

import argparse
import shutil
import sys
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
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
    parser.add_argument("--records-per-object", type=int, default=50_000)
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    return parser.parse_args()


def utilization(stats: dict, limit: int) -> tuple[float, float]:
    """Requests admitted against the 10-second limit over what the limit allows between
    the first and the last of them (limit / 10 s x that span), and the span."""
    stamps = sorted(stats["accepted_at"]["ten_secondly"])
    if len(stamps) < 2:
        return 0.0, 0.0
    seconds = stamps[-1] - stamps[0]
    allowed = limit * max(seconds, 10) / 10
    return len(stamps) / allowed, seconds


def print_timeline(instance, run_ids: dict[str, str], launched_at: float) -> None:
    """When each run started, and its step ran, in seconds after the launch: the ramp and
    the tail of the budget's use come from these gaps, not from the limiter."""
    for name, run_id in run_ids.items():
        record = instance.get_run_record_by_id(run_id)
        steps = instance.get_run_step_stats(run_id)
        step = steps[0] if steps else None

        def after(stamp: float | None) -> str:
            return f"{stamp - launched_at:6.1f}" if stamp is not None else "     -"

        print(
            f"{name:>10}: run start {after(record.start_time)}  step "
            f"{after(step.start_time if step else None)} .. "
            f"{after(step.end_time if step else None)}  run end {after(record.end_time)}"
        )


def print_object_timeline(by_object: dict[str, list[float]], first: float) -> None:
    """Each object's admitted requests and when its first and last one came, in seconds
    after the first request: the objects that finish reading early leave the budget to
    fewer readers, and that tail is where utilization is lost."""
    for name in OBJECTS:
        stamps = sorted(by_object.get(name, []))
        if stamps:
            print(
                f"{name:>10}: {len(stamps):5d} requests from {stamps[0] - first:5.1f}s "
                f"to {stamps[-1] - first:5.1f}s"
            )


def print_edges(stamps: list[float], by_object: dict[str, list[float]]) -> None:
    """Requests per second in the first and last 5 seconds, and what the first second
    asked for: the ramp and the tail, where the budget is not full."""
    first, last = stamps[0], stamps[-1]
    head = [sum(1 for s in stamps if second <= s - first < second + 1) for second in range(5)]
    tail = [sum(1 for s in stamps if second <= last - s < second + 1) for second in range(5)]
    in_first = {
        name: sum(1 for s in times if s - first < 1) for name, times in sorted(by_object.items())
    }
    print(f"first 5 s per second: {head}  last 5 s: {tail[::-1]}  first second: {in_first}")


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
        launched_at = time.time()
        range_tags = {RANGE_START_TAG: first_day, RANGE_END_TAG: last_day}

        def launch(name: str) -> str:
            tags = dict(range_tags)
            if name in BACKFILL_OBJECTS:
                tags |= priority_tags(BACKFILL) | {"hubspot/trigger": "bench-backfill"}
            return launch_run(deployment, name, None, tags, IN_PROCESS)

        # Together, as a schedule's tick, a backfill and users' requests arrive: creating a
        # run over a year of daily partitions takes the webserver seconds, and one launch
        # after another would stagger the runs' starts by as much.
        with ThreadPoolExecutor(max_workers=RUNS_AT_ONCE) as pool:
            run_ids = list(pool.map(launch, OBJECTS))
        instance = deployment.instance
        while time.monotonic() - started < TIMEOUT_SECONDS:
            statuses = [instance.get_run_by_id(run_id).status for run_id in run_ids]
            if all(status in DONE for status in statuses):
                break
            time.sleep(1.0)
        seconds = time.monotonic() - started
        stats = server.stats(include_timestamps=True)
        print_timeline(instance, dict(zip(OBJECTS, run_ids, strict=True)), launched_at)
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
    ten_util, ten_seconds = utilization(stats, config.ten_second_limit)
    http_429 = sum(stats["http_429"].values())
    print(
        f"requests: ten_secondly={stats['requests']['ten_secondly']} over {ten_seconds:.1f}s "
        f"(max {stats['max_in_any_10s_window']} in any 10 s of {config.ten_second_limit}), "
        f"search={stats['requests']['search']} (max "
        f"{stats['max_search_in_any_1s_window']} in any 1 s of {config.search_per_second})"
    )
    stamps = sorted(stats["accepted_at"]["ten_secondly"])
    if stamps:
        print_object_timeline(stats["accepted_by_object"], stamps[0])
        buckets = [0] * (int((stamps[-1] - stamps[0]) // 10) + 1)
        for stamp in stamps:
            buckets[int((stamp - stamps[0]) // 10)] += 1
        print("ten_secondly requests per 10 s:", " ".join(map(str, buckets)))
        print_edges(stamps, stats["accepted_by_object"])
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
