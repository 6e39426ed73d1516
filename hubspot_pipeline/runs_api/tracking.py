"""What a sync run looks like from outside: Dagster's run and events mapped to sync terms.

The status mapping is DESIGN §7's. A failed run that has a re-execution still going
answers `retrying`; once the re-execution has ended, the failed run answers its own
outcome again and `retried_by` names the re-execution.
"""

from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from hubspot_pipeline.run_tags import (
    ERROR_CATEGORY_TAG,
    RECORDS_KEY,
    TOTAL_KEY,
    WORKER_KEY,
    WORKER_TAG,
)

PARENT_RUN_TAG = "dagster/parent_run_id"


class SyncStatus(StrEnum):
    PENDING = "pending"
    PROCESSING = "processing"
    COMPLETED = "completed"
    FAILED = "failed"
    RETRYING = "retrying"
    PARTIALLY_COMPLETED = "partially_completed"
    CANCELED = "canceled"


PENDING_STATES = {"QUEUED", "NOT_STARTED", "STARTING", "MANAGED"}
TERMINAL_STATES = {"SUCCESS", "FAILURE", "CANCELED"}

# Dagster run states to ask for when listing runs of one sync status; FAILURE splits
# into three sync statuses after the fact.
DAGSTER_STATES = {
    SyncStatus.PENDING: ["QUEUED", "NOT_STARTED", "STARTING", "MANAGED"],
    SyncStatus.PROCESSING: ["STARTED"],
    SyncStatus.COMPLETED: ["SUCCESS"],
    SyncStatus.FAILED: ["FAILURE"],
    SyncStatus.RETRYING: ["FAILURE"],
    SyncStatus.PARTIALLY_COMPLETED: ["FAILURE"],
    SyncStatus.CANCELED: ["CANCELING", "CANCELED"],
}


@dataclass
class ObjectProgress:
    """One object (one step) of a run."""

    object: str
    status: str = "pending"
    records_processed: int = 0
    records_total: int | None = None
    retry_count: int = 0
    error_message: str | None = None
    error_category: str | None = None
    finished: bool = field(default=False, repr=False)


@dataclass
class RunView:
    run_id: str
    status: SyncStatus
    dagster_status: str
    objects: list[str]
    current_object: str | None
    records_processed: int
    started_at: datetime | None
    finished_at: datetime | None
    duration_seconds: float | None
    retry_count: int
    error_message: str | None
    error_category: str | None
    worker: str | None
    parent_run_id: str | None
    retried_by: str | None
    tags: dict[str, str]
    object_progress: list[ObjectProgress] = field(default_factory=list)


def sync_status(run: dict[str, Any], retry_run: dict[str, Any] | None) -> SyncStatus:
    """DESIGN §7: Dagster's run status, refined by what the run materialized."""
    state = run["status"]
    if state in PENDING_STATES:
        return SyncStatus.PENDING
    if state == "STARTED":
        return SyncStatus.PROCESSING
    if state == "SUCCESS":
        return SyncStatus.COMPLETED
    if state in ("CANCELING", "CANCELED"):
        return SyncStatus.CANCELED
    if retry_run is not None and retry_run["status"] not in TERMINAL_STATES:
        return SyncStatus.RETRYING
    succeeded = any(step["status"] == "SUCCESS" for step in run["stepStats"])
    return SyncStatus.PARTIALLY_COMPLETED if succeeded else SyncStatus.FAILED


def run_objects(run: dict[str, Any]) -> list[str]:
    """The objects this run syncs: its steps to execute (a retry runs only the failed)."""
    if run.get("stepKeysToExecute"):
        return list(run["stepKeysToExecute"])
    return [key["path"][-1] for key in run.get("assetSelection") or []]


def entries(metadata_entries: list[dict[str, Any]]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for entry in metadata_entries:
        for kind in ("intValue", "floatValue", "text"):
            if kind in entry:
                values[entry["label"]] = entry[kind]
    return values


def _timestamp(seconds: float | None) -> datetime | None:
    return None if seconds is None else datetime.fromtimestamp(seconds, UTC)


def build_view(
    run: dict[str, Any],
    events: list[dict[str, Any]],
    retry_run: dict[str, Any] | None,
) -> RunView:
    """The run's view from its run record and (a summary of) its events."""
    tags = {tag["key"]: tag["value"] for tag in run["tags"]}
    objects = run_objects(run)
    progress = {name: ObjectProgress(object=name) for name in objects}
    for step in run["stepStats"]:
        item = progress.setdefault(step["stepKey"], ObjectProgress(object=step["stepKey"]))
        item.status = (step["status"] or "pending").lower()
        item.retry_count = max(0, len(step["attempts"]) - 1)

    worker = tags.get(WORKER_TAG)
    run_error: str | None = None
    for event in events:
        step = event.get("stepKey")
        item = progress.get(step) if step else None
        kind = event["__typename"]
        if kind in ("ObservationEvent", "MaterializationEvent") and item is not None:
            values = entries(event["metadataEntries"])
            # The materialization's count is final; a progress observation never beats it.
            final = kind == "MaterializationEvent"
            if isinstance(values.get(RECORDS_KEY), int) and (final or not item.finished):
                item.records_processed = values[RECORDS_KEY]
                item.records_total = values.get(TOTAL_KEY, item.records_total)
                item.finished = item.finished or final
            worker = values.get(WORKER_KEY) or worker
        elif kind == "ExecutionStepUpForRetryEvent" and item is not None:
            item.retry_count = max(item.retry_count, 1)
        elif kind == "ExecutionStepFailureEvent" and item is not None:
            _record_failure(item, event)
        elif kind == "RunFailureEvent":
            run_error = event.get("message")

    failed = [item for item in progress.values() if item.status == "failure"]
    in_progress = [step for step in run["stepStats"] if step["status"] == "IN_PROGRESS"]
    in_progress.sort(key=lambda step: step["startTime"] or 0)
    started, finished = run["startTime"], run["endTime"]
    error_message = "; ".join(
        f"{item.object}: {item.error_message}" for item in failed if item.error_message
    )
    return RunView(
        run_id=run["runId"],
        status=sync_status(run, retry_run),
        dagster_status=run["status"],
        objects=objects,
        current_object=in_progress[-1]["stepKey"] if in_progress else None,
        records_processed=sum(item.records_processed for item in progress.values()),
        started_at=_timestamp(started),
        finished_at=_timestamp(finished),
        duration_seconds=round(finished - started, 3) if started and finished else None,
        retry_count=sum(item.retry_count for item in progress.values()),
        error_message=error_message or (run_error if run["status"] == "FAILURE" else None),
        error_category=_error_category(run, tags, failed),
        worker=worker,
        parent_run_id=run.get("parentRunId"),
        retried_by=retry_run["runId"] if retry_run else None,
        tags=tags,
        object_progress=list(progress.values()),
    )


def _error_category(
    run: dict[str, Any], tags: dict[str, str], failed: list[ObjectProgress]
) -> str | None:
    """The failure's category; a retry run inherits its parent's tags, so only a failed
    run answers one."""
    if run["status"] != "FAILURE":
        return None
    return tags.get(ERROR_CATEGORY_TAG) or next(
        (item.error_category for item in failed if item.error_category), None
    )


def _record_failure(item: ObjectProgress, event: dict[str, Any]) -> None:
    failure = event.get("failureMetadata") or {}
    values = entries(failure.get("metadataEntries") or [])
    item.error_category = values.get("error_category") or item.error_category
    item.error_message = (
        failure.get("description")
        or (event.get("error") or {}).get("message")
        or item.error_message
    )
