"""A small client of Dagster's GraphQL API: launch, read, re-execute and cancel runs.

`dagster-graphql`'s `DagsterGraphQLClient` launches jobs but takes no asset selection,
cannot re-execute from failure and reads no events, so the few queries the sync-runs API
needs are written here over httpx. Only the public GraphQL schema is used.
"""

import time
from dataclasses import dataclass
from typing import Any

import httpx

from hubspot_pipeline.runs_api import queries

DEFAULT_GRAPHQL_URL = "http://localhost:3000/graphql"
PARTITION_CACHE_SECONDS = 60.0
EVENTS_PAGE = 1000


class DagsterGraphQLError(Exception):
    """Dagster's GraphQL API is unreachable or answered with an error."""


class DagsterUnavailable(DagsterGraphQLError):
    """No answer from the webserver (down, starting, or a wrong DAGSTER_GRAPHQL_URL)."""


class RunNotFound(DagsterGraphQLError):
    pass


class RunRejected(DagsterGraphQLError):
    """Dagster refused a launch, re-execution or termination; the message says why."""


@dataclass(frozen=True)
class JobHandle:
    location: str
    repository: str
    job: str

    def selector(self) -> dict[str, str]:
        return {
            "repositoryLocationName": self.location,
            "repositoryName": self.repository,
            "pipelineName": self.job,
        }


class DagsterRunsClient:
    """Synchronous; one instance per process, shared by threads (httpx.Client is)."""

    def __init__(
        self,
        url: str = DEFAULT_GRAPHQL_URL,
        *,
        timeout_seconds: float = 30.0,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.url = url
        self._http = httpx.Client(timeout=timeout_seconds, transport=transport)
        self._jobs: dict[str, JobHandle] = {}
        self._partitions: dict[str, tuple[float, dict[str, list[str]]]] = {}

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> "DagsterRunsClient":
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def execute(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        """Run one GraphQL operation; transport and GraphQL errors become exceptions."""
        try:
            response = self._http.post(self.url, json={"query": query, "variables": variables})
        except httpx.HTTPError as exc:
            raise DagsterUnavailable(
                f"Dagster's GraphQL API at {self.url} did not answer: {type(exc).__name__}"
            ) from exc
        if response.status_code >= 500:
            raise DagsterUnavailable(f"Dagster's GraphQL API answered {response.status_code}")
        try:
            body = response.json()
        except ValueError as exc:
            raise DagsterGraphQLError(
                f"Dagster's GraphQL API answered {response.status_code} without JSON"
            ) from exc
        if body.get("errors"):
            messages = "; ".join(str(error.get("message")) for error in body["errors"])
            raise DagsterGraphQLError(f"Dagster's GraphQL API refused the query: {messages}")
        return body["data"]

    def job(self, name: str) -> JobHandle:
        """Where a job lives (code location and repository), found once and remembered."""
        if name not in self._jobs:
            data = self.execute(queries.REPOSITORIES)["repositoriesOrError"]
            _raise_for_error(data)
            for repository in data["nodes"]:
                for pipeline in repository["pipelines"]:
                    if pipeline["name"] == name:
                        self._jobs[name] = JobHandle(
                            repository["location"]["name"], repository["name"], name
                        )
            if name not in self._jobs:
                raise DagsterGraphQLError(f"no code location of this Dagster has a job {name!r}")
        return self._jobs[name]

    def job_asset_partitions(self, job: JobHandle) -> dict[str, list[str]]:
        """Each asset of the job (by its last key part) with its partition keys.

        Cached for a minute: the list only changes at midnight UTC, when today's partition
        appears, and a long history holds thousands of keys.
        """
        cached = self._partitions.get(job.job)
        if cached is not None and time.monotonic() - cached[0] < PARTITION_CACHE_SECONDS:
            return cached[1]
        nodes = self.execute(queries.JOB_ASSETS, {"selector": job.selector()})["assetNodes"]
        assets = {node["assetKey"]["path"][-1]: node["partitionKeys"] for node in nodes}
        self._partitions[job.job] = (time.monotonic(), assets)
        return assets

    def launch_run(self, job: JobHandle, assets: list[str], tags: dict[str, str]) -> str:
        selector = {
            "repositoryLocationName": job.location,
            "repositoryName": job.repository,
            "jobName": job.job,
            "assetSelection": [{"path": [name]} for name in assets],
        }
        params = {"selector": selector, "executionMetadata": {"tags": _tag_list(tags)}}
        result = self.execute(queries.LAUNCH_RUN, {"params": params})["launchRun"]
        _raise_for_error(result)
        return result["run"]["runId"]

    def reexecute_from_failure(self, run_id: str, tags: dict[str, str] | None = None) -> str:
        params = {
            "parentRunId": run_id,
            "strategy": "FROM_FAILURE",
            "extraTags": _tag_list(tags or {}),
        }
        result = self.execute(queries.REEXECUTE, {"params": params})["launchRunReexecution"]
        _raise_for_error(result)
        return result["run"]["runId"]

    def terminate(self, run_id: str) -> str:
        """Ask Dagster to cancel a run; a queued run is canceled at once. Returns its status."""
        result = self.execute(queries.TERMINATE, {"runId": run_id})["terminateRun"]
        _raise_for_error(result)
        return result["run"]["status"]

    def run(self, run_id: str) -> dict[str, Any]:
        result = self.execute(queries.RUN, {"runId": run_id})["runOrError"]
        _raise_for_error(result)
        return result

    def runs(
        self, *, statuses: list[str] | None = None, tags: dict[str, str] | None = None, limit: int
    ) -> list[dict[str, Any]]:
        """The newest runs first, filtered by Dagster run status and exact tags."""
        run_filter: dict[str, Any] = {}
        if statuses:
            run_filter["statuses"] = statuses
        if tags:
            run_filter["tags"] = _tag_list(tags)
        result = self.execute(queries.RUNS, {"filter": run_filter, "limit": limit})
        result = result["runsOrError"]
        _raise_for_error(result)
        return result["results"]

    def run_events_after(
        self, run_id: str, cursor: str | None
    ) -> tuple[list[dict[str, Any]], str | None]:
        """The events of a run's log after `cursor` (all, for None), and the new cursor."""
        events: list[dict[str, Any]] = []
        while True:
            variables = {"runId": run_id, "afterCursor": cursor, "limit": EVENTS_PAGE}
            page = self.execute(queries.RUN_EVENTS, variables)["logsForRun"]
            _raise_for_error(page)
            events.extend(page["events"])
            cursor = page["cursor"] or cursor
            if not page["hasMore"] or not page["events"]:
                return events, cursor


def _tag_list(tags: dict[str, str]) -> list[dict[str, str]]:
    return [{"key": key, "value": value} for key, value in tags.items()]


def _raise_for_error(result: dict[str, Any]) -> None:
    """GraphQL answers errors as union members; turn them into exceptions."""
    typename = result.get("__typename", "")
    if typename in ("RunNotFoundError",):
        raise RunNotFound(result.get("message") or "run not found")
    if typename in ("PythonError",):
        raise DagsterGraphQLError(f"Dagster failed: {result.get('message')}")
    if (
        typename.endswith("Error")
        or typename.endswith("Invalid")
        or typename
        in (
            "TerminateRunFailure",
            "RunConflict",
        )
    ):
        message = result.get("message") or "; ".join(
            str(error.get("message")) for error in result.get("errors", [])
        )
        raise RunRejected(f"{typename}: {message}")
