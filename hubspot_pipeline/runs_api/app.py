"""The sync-runs HTTP API: start a sync, get a run id at once, then follow the run.

Every endpoint needs `Authorization: Bearer <SYNC_API_TOKEN>`. The API keeps no state of
its own; it talks to Dagster's webserver over GraphQL (`DAGSTER_GRAPHQL_URL`).
"""

import hmac
from datetime import datetime
from typing import Annotated, Literal

from fastapi import Depends, FastAPI, Header, HTTPException, Path, Query, Request
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, Field

from hubspot_pipeline.runs_api.graphql import (
    DagsterGraphQLError,
    DagsterUnavailable,
    RunNotFound,
    RunRejected,
)
from hubspot_pipeline.runs_api.service import (
    InvalidSyncRequest,
    Priority,
    RunStateConflict,
    SyncRequest,
    SyncRuns,
)
from hubspot_pipeline.runs_api.tracking import RunView, SyncStatus

RunId = Annotated[str, Path(description="The Dagster run id (a UUID).", max_length=64)]
Day = Annotated[str, Field(pattern=r"^\d{4}-\d{2}-\d{2}$", examples=["2026-11-01"])]


class SyncRunRequest(BaseModel):
    objects: list[Annotated[str, Field(min_length=1, max_length=100)]] = Field(
        min_length=1, max_length=50, examples=[["contacts", "deals"]]
    )
    partitions: Literal["latest", "all"] | Annotated[list[Day], Field(max_length=5000)] = Field(
        default="latest",
        description="'latest' (today, UTC), 'all' (one run over every day) or consecutive days.",
    )
    priority: Priority = Priority.NORMAL


class SyncRunAccepted(BaseModel):
    run_id: str
    status: SyncStatus


class ObjectProgressOut(BaseModel):
    object: str
    status: str
    records_processed: int
    records_total: int | None = Field(description="HubSpot's count for the window, once known")
    retry_count: int
    error_message: str | None
    error_category: str | None


class SyncRunOut(BaseModel):
    run_id: str
    status: SyncStatus
    objects: list[str]
    current_object: str | None
    records_processed: int
    started_at: datetime | None
    finished_at: datetime | None
    duration_seconds: float | None
    retry_count: int
    error_message: str | None
    error_category: str | None
    worker: str | None = Field(description="host:pid of the process of the latest step")
    parent_run_id: str | None
    retried_by: str | None
    object_progress: list[ObjectProgressOut]

    @classmethod
    def of(cls, view: RunView) -> "SyncRunOut":
        return cls(
            **{name: getattr(view, name) for name in cls.model_fields if name != "object_progress"},
            object_progress=[ObjectProgressOut(**vars(item)) for item in view.object_progress],
        )


class SyncRunList(BaseModel):
    runs: list[SyncRunOut]


def create_app(runs: SyncRuns, token: str) -> FastAPI:
    """The API over one `SyncRuns`; `token` is the bearer token every request must carry."""
    if not token:
        raise ValueError("the sync-runs API needs a token (SYNC_API_TOKEN)")
    expected = token.encode()
    bearer = HTTPBearer(auto_error=False)

    def authorized(
        credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
    ) -> None:
        # compare_digest: the time taken must not tell how much of a guess was right.
        given = credentials.credentials.encode() if credentials else b""
        if not hmac.compare_digest(given, expected):
            raise HTTPException(
                401, "a valid bearer token is required", headers={"WWW-Authenticate": "Bearer"}
            )

    app = FastAPI(
        title="hubspot_pipeline sync runs",
        version="1",
        description=__doc__,
        dependencies=[Depends(authorized)],
    )

    @app.exception_handler(DagsterUnavailable)
    def unavailable(request: Request, exc: DagsterUnavailable) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=503)

    @app.exception_handler(DagsterGraphQLError)
    def dagster_error(request: Request, exc: DagsterGraphQLError) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=502)

    @app.post("/sync-runs", status_code=202, response_model=SyncRunAccepted)
    def start_sync(
        body: SyncRunRequest,
        idempotency_key: Annotated[
            str | None, Header(max_length=200, pattern=r"^[\x21-\x7e]+$")
        ] = None,
    ) -> SyncRunAccepted:
        """Launch one Dagster run; the answer comes at once, before the run starts."""
        request = SyncRequest(body.objects, body.partitions, body.priority)
        try:
            run_id, _ = runs.launch(request, idempotency_key)
        except InvalidSyncRequest as exc:
            raise HTTPException(422, str(exc)) from None
        except RunStateConflict as exc:
            raise HTTPException(409, str(exc)) from None
        except RunRejected as exc:
            raise HTTPException(422, f"Dagster refused the run: {exc}") from None
        return SyncRunAccepted(run_id=run_id, status=SyncStatus.PENDING)

    @app.get("/sync-runs/{run_id}", response_model=SyncRunOut)
    def get_sync(run_id: RunId) -> SyncRunOut:
        try:
            return SyncRunOut.of(runs.get(run_id))
        except RunNotFound as exc:
            raise HTTPException(404, str(exc)) from None

    @app.get("/sync-runs", response_model=SyncRunList)
    def list_syncs(
        status: SyncStatus | None = None,
        limit: Annotated[int, Query(ge=1, le=100)] = 20,
    ) -> SyncRunList:
        """The newest sync runs first, each as GET /sync-runs/{run_id} shows it."""
        return SyncRunList(runs=[SyncRunOut.of(view) for view in runs.list(status, limit)])

    @app.post("/sync-runs/{run_id}/retry", status_code=202, response_model=SyncRunAccepted)
    def retry_sync(run_id: RunId) -> SyncRunAccepted:
        """Re-execute a failed run from its failed objects; succeeded objects are kept."""
        try:
            new_run_id = runs.retry(run_id)
        except RunNotFound as exc:
            raise HTTPException(404, str(exc)) from None
        except (RunStateConflict, RunRejected) as exc:
            raise HTTPException(409, str(exc)) from None
        return SyncRunAccepted(run_id=new_run_id, status=SyncStatus.PENDING)

    @app.post("/sync-runs/{run_id}/cancel", response_model=SyncRunOut)
    def cancel_sync(run_id: RunId) -> SyncRunOut:
        """Cancel a pending or running run (a running one stops after its current steps)."""
        try:
            runs.cancel(run_id)
            return SyncRunOut.of(runs.get(run_id))
        except RunNotFound as exc:
            raise HTTPException(404, str(exc)) from None
        except (RunStateConflict, RunRejected) as exc:
            raise HTTPException(409, str(exc)) from None

    return app
