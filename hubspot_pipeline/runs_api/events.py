"""The few events of a run's log that tracking needs, read once and then incrementally.

A run over many days writes one materialization per day and object, and a long run many
progress observations, so re-reading a whole event log on every `GET` would grow with
the run. This cache keeps, per run, the cursor it has read up to and only what
`build_view` uses: the latest observation and materialization of each step, and every
retry and failure event.
"""

import threading
from collections import OrderedDict
from typing import Any

from hubspot_pipeline.runs_api.graphql import DagsterRunsClient

LATEST_ONLY = {"ObservationEvent", "MaterializationEvent"}
EVERY_ONE = {"ExecutionStepUpForRetryEvent", "ExecutionStepFailureEvent", "RunFailureEvent"}
MAX_RUNS = 256


class _RunEvents:
    def __init__(self) -> None:
        self.cursor: str | None = None
        self.latest: dict[tuple[str, str | None], dict[str, Any]] = {}
        self.others: list[dict[str, Any]] = []

    def add(self, event: dict[str, Any]) -> None:
        kind = event["__typename"]
        if kind in LATEST_ONLY:
            # Re-inserting moves the key last, so `events` keeps the order of arrival.
            self.latest.pop((kind, event.get("stepKey")), None)
            self.latest[(kind, event.get("stepKey"))] = event
        elif kind in EVERY_ONE:
            self.others.append(event)

    def events(self) -> list[dict[str, Any]]:
        return [*self.latest.values(), *self.others]


class RunEventCache:
    """Per-run event summaries, shared by the API's threads; least recently used go first."""

    def __init__(self, client: DagsterRunsClient, max_runs: int = MAX_RUNS) -> None:
        self._client = client
        self._max_runs = max_runs
        self._runs: OrderedDict[str, _RunEvents] = OrderedDict()
        # One lock for all: two readers of one run must not both append the same page.
        self._lock = threading.Lock()

    def events(self, run_id: str) -> list[dict[str, Any]]:
        with self._lock:
            summary = self._runs.pop(run_id, None) or _RunEvents()
            new_events, summary.cursor = self._client.run_events_after(run_id, summary.cursor)
            for event in new_events:
                summary.add(event)
            self._runs[run_id] = summary
            while len(self._runs) > self._max_runs:
                self._runs.popitem(last=False)
            return summary.events()
