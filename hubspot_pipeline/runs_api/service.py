"""Sync runs as the API and the CLI see them, over Dagster's GraphQL API.

Launching turns `{"objects", "partitions", "priority"}` into one run of the sync job
with an asset selection and partition tags; reading maps Dagster's run and events to a
`RunView`. Nothing is stored here: the run, its tags and its events are the record.
"""

import hashlib
import json
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from hubspot_pipeline.runs_api.events import RunEventCache
from hubspot_pipeline.runs_api.graphql import DagsterRunsClient, RunNotFound
from hubspot_pipeline.runs_api.tracking import (
    DAGSTER_STATES,
    PARENT_RUN_TAG,
    RunView,
    SyncStatus,
    build_view,
)

SYNC_JOB = "hubspot_crm_sync"
PARTITION_TAG = "dagster/partition"
RANGE_START_TAG = "dagster/asset_partition_range_start"
RANGE_END_TAG = "dagster/asset_partition_range_end"
PRIORITY_TAG = "dagster/priority"
IDEMPOTENCY_TAG = "hubspot/idempotency_key"
REQUEST_HASH_TAG = "hubspot/request_sha256"
TRIGGER_TAG = "hubspot/trigger"
RUN_ID_PATTERN = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


class Priority(StrEnum):
    HIGH = "high"
    NORMAL = "normal"
    LOW = "low"


PRIORITY_VALUES = {Priority.HIGH: "10", Priority.NORMAL: "0", Priority.LOW: "-10"}


class InvalidSyncRequest(ValueError):
    """The request names objects or partitions the job does not have."""


class RunStateConflict(Exception):
    """The run is in a state that does not allow the action (retry a success, ...)."""


@dataclass(frozen=True)
class SyncRequest:
    objects: Sequence[str]
    partitions: str | Sequence[str] = "latest"
    priority: Priority = Priority.NORMAL

    def fingerprint(self) -> str:
        body = {
            "objects": sorted(set(self.objects)),
            "partitions": self.partitions
            if isinstance(self.partitions, str)
            else sorted(self.partitions),
            "priority": str(self.priority),
        }
        return hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()


def partition_tags(requested: str | Sequence[str], keys: list[str]) -> dict[str, str]:
    """The run tags that select the requested days: one partition or one range."""
    if not keys:
        raise InvalidSyncRequest("the sync job has no partitions yet")
    if requested == "latest":
        return {PARTITION_TAG: keys[-1]}
    if requested == "all":
        return {RANGE_START_TAG: keys[0], RANGE_END_TAG: keys[-1]}
    if isinstance(requested, str):
        raise InvalidSyncRequest(
            f"partitions must be 'latest', 'all' or a list of days, got {requested!r}"
        )

    days = sorted(set(requested))
    if not days:
        raise InvalidSyncRequest("partitions must name at least one day")
    known = set(keys)
    unknown = [day for day in days if day not in known]
    if unknown:
        raise InvalidSyncRequest(
            f"unknown partitions: {unknown}; partitions are UTC days from {keys[0]} "
            f"to {keys[-1]} (YYYY-MM-DD)"
        )
    if len(days) == 1:
        return {PARTITION_TAG: days[0]}

    # One run covers one range; a gap would make it sync days nobody asked for.
    first, last = date.fromisoformat(days[0]), date.fromisoformat(days[-1])
    missing = [
        (first + timedelta(days=offset)).isoformat()
        for offset in range((last - first).days + 1)
        if (first + timedelta(days=offset)).isoformat() not in set(days)
    ]
    if missing:
        raise InvalidSyncRequest(
            f"partitions must be consecutive days, missing {missing[:5]}"
            f"{' and more' if len(missing) > 5 else ''}; send one request per range"
        )
    return {RANGE_START_TAG: days[0], RANGE_END_TAG: days[-1]}


class SyncRuns:
    """Launch, follow, retry and cancel sync runs; shared by the API and the CLI."""

    def __init__(self, client: DagsterRunsClient, job_name: str = SYNC_JOB) -> None:
        self.client = client
        self.job_name = job_name
        self._events = RunEventCache(client)
        # Serializes launches with an idempotency key within this process. Two API
        # processes could still both launch; a unique index on the tag would fix it.
        self._launch_lock = threading.Lock()

    def launch(
        self, request: SyncRequest, idempotency_key: str | None = None, trigger: str = "api"
    ) -> tuple[str, bool]:
        """Launch one run; returns its id and whether it is new (False: idempotent replay)."""
        job = self.client.job(self.job_name)
        assets = self.client.job_asset_partitions(job)
        objects = list(dict.fromkeys(request.objects))
        if not objects:
            raise InvalidSyncRequest("objects must name at least one object")
        unknown = [name for name in objects if name not in assets]
        if unknown:
            raise InvalidSyncRequest(f"unknown objects: {unknown}; known: {sorted(assets)}")
        tags = partition_tags(request.partitions, assets[objects[0]])
        tags[PRIORITY_TAG] = PRIORITY_VALUES[Priority(request.priority)]
        tags[TRIGGER_TAG] = trigger

        if idempotency_key is None:
            return self.client.launch_run(job, objects, tags), True
        with self._launch_lock:
            # Retry runs inherit their parent's tags: the launched run is the one
            # without a parent.
            tagged = self.client.runs(tags={IDEMPOTENCY_TAG: idempotency_key}, limit=100)
            earlier = [run for run in tagged if not run.get("parentRunId")]
            if earlier:
                run_tags = {tag["key"]: tag["value"] for tag in earlier[-1]["tags"]}
                if run_tags.get(REQUEST_HASH_TAG) != request.fingerprint():
                    raise RunStateConflict(
                        "this Idempotency-Key was used for a different request; "
                        f"it launched run {earlier[-1]['runId']}"
                    )
                return earlier[-1]["runId"], False
            tags[IDEMPOTENCY_TAG] = idempotency_key
            tags[REQUEST_HASH_TAG] = request.fingerprint()
            return self.client.launch_run(job, objects, tags), True

    def get(self, run_id: str) -> RunView:
        run = self._run(run_id)
        return build_view(run, self._events.events(run_id), self._retry_of(run))

    def list(self, status: SyncStatus | None = None, limit: int = 20) -> list[RunView]:
        """The newest runs of the sync job, newest first."""
        statuses = DAGSTER_STATES[status] if status else None
        # FAILURE splits three ways, so ask for more and keep the ones that match.
        fetch = limit * 4 if status in (SyncStatus.FAILED, SyncStatus.RETRYING) else limit
        views = []
        for run in self.client.runs(statuses=statuses, limit=fetch):
            view = build_view(run, self._events.events(run["runId"]), self._retry_of(run))
            if status is None or view.status == status:
                views.append(view)
        return views[:limit]

    def retry(self, run_id: str) -> str:
        """Re-execute a failed run from its failed steps; the succeeded ones are not redone."""
        run = self._run(run_id)
        if run["status"] != "FAILURE":
            raise RunStateConflict(
                f"run {run_id} is {run['status'].lower()}; only a failed run can be retried"
            )
        retry_run = self._retry_of(run)
        if retry_run is not None:
            raise RunStateConflict(f"run {run_id} was already retried by {retry_run['runId']}")
        return self.client.reexecute_from_failure(run_id)

    def cancel(self, run_id: str) -> str:
        run = self._run(run_id)
        if run["status"] in ("SUCCESS", "FAILURE", "CANCELED", "CANCELING"):
            raise RunStateConflict(
                f"run {run_id} is {run['status'].lower()}; only a pending or running run "
                "can be canceled"
            )
        return self.client.terminate(run_id)

    def _run(self, run_id: str) -> dict:
        if not RUN_ID_PATTERN.match(run_id):
            raise RunNotFound(f"no run {run_id!r}: run ids are UUIDs")
        run = self.client.run(run_id)
        if run.get("jobName", self.job_name) != self.job_name:
            raise RunNotFound(f"run {run_id} is not a sync run")
        return run

    def _retry_of(self, run: dict) -> dict | None:
        if run["status"] != "FAILURE":
            return None
        children = self.client.runs(tags={PARENT_RUN_TAG: run["runId"]}, limit=1)
        return children[0] if children else None
