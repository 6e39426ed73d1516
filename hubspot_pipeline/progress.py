"""Live progress of an object asset as Dagster events, and the run tags a sync sets.

The sync service calls back after every page; writing an event per page would flood the
event log of a long run, so `ProgressReporter` writes one `AssetObservation` (and one log
line) at the first page and then at most every `HUBSPOT_PROGRESS_SECONDS` seconds.
The sync-runs API and CLI read these observations to show records processed while a run
is still going.
"""

import os
import socket
import time
from collections.abc import Callable
from typing import Any

import dagster as dg

from hubspot_pipeline.run_tags import RECORDS_KEY, TOTAL_KEY, WORKER_KEY
from hubspot_pipeline.sync.service import SyncProgress

DEFAULT_PROGRESS_SECONDS = 3.0


def progress_seconds_from_env() -> float:
    """`HUBSPOT_PROGRESS_SECONDS`: the least time between two progress events."""
    raw = os.environ.get("HUBSPOT_PROGRESS_SECONDS", "").strip()
    if not raw:
        return DEFAULT_PROGRESS_SECONDS
    try:
        seconds = float(raw)
    except ValueError:
        raise ValueError(f"HUBSPOT_PROGRESS_SECONDS must be a number, got {raw!r}") from None
    if seconds < 0:
        raise ValueError(f"HUBSPOT_PROGRESS_SECONDS must not be negative, got {raw!r}")
    return seconds


def worker_id() -> str:
    """Host and process id of the process that runs the step, as `host:pid`."""
    return f"{socket.gethostname()}:{os.getpid()}"


def progress_metadata(progress: SyncProgress) -> dict[str, Any]:
    metadata: dict[str, Any] = {
        RECORDS_KEY: progress.records,
        "pages": progress.pages,
        "api_calls": progress.api_calls,
        "http_429": progress.http_429,
        "retries": progress.retries,
        "window_start": progress.window.start.isoformat(),
        "window_end": progress.window.end.isoformat(),
        WORKER_KEY: worker_id(),
    }
    if progress.hubspot_total is not None:
        metadata[TOTAL_KEY] = progress.hubspot_total
    return metadata


class ProgressReporter:
    """The `on_progress` callback of an asset: throttled observations and log lines."""

    def __init__(
        self,
        context: dg.AssetExecutionContext,
        interval_seconds: float | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._context = context
        self._interval = (
            progress_seconds_from_env() if interval_seconds is None else interval_seconds
        )
        self._clock = clock
        self._last: float | None = None

    def __call__(self, progress: SyncProgress) -> None:
        now = self._clock()
        if self._last is not None and now - self._last < self._interval:
            return
        self._last = now
        self.report(progress)

    def report(self, progress: SyncProgress) -> None:
        self._context.log_event(
            dg.AssetObservation(
                asset_key=self._context.asset_key, metadata=progress_metadata(progress)
            )
        )
        self._context.log.info(
            "%s: %d of %s records read in %d pages, %d API calls, %d 429s",
            progress.object_type,
            progress.records,
            progress.hubspot_total,
            progress.pages,
            progress.api_calls,
            progress.http_429,
        )


def tag_run(context: dg.AssetExecutionContext, tags: dict[str, str]) -> None:
    """Add tags to the running run, so that the UI and the API show them."""
    context.instance.add_run_tags(context.run_id, tags)
