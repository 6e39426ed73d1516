"""How `hubspot-sync` shows runs in a terminal: tables, and live progress bars (rich)."""

import time

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from hubspot_pipeline.runs_api.service import SyncRuns
from hubspot_pipeline.runs_api.tracking import RunView, SyncStatus

POLL_SECONDS = 1.0
FINAL = {
    SyncStatus.COMPLETED,
    SyncStatus.FAILED,
    SyncStatus.PARTIALLY_COMPLETED,
    SyncStatus.CANCELED,
}


def show_run(console: Console, view: RunView) -> None:
    table = Table(title=f"Sync run {view.run_id}: {view.status}", show_header=False)
    table.add_column("field")
    table.add_column("value")
    for name in (
        "objects",
        "current_object",
        "records_processed",
        "started_at",
        "finished_at",
        "duration_seconds",
        "retry_count",
        "error_category",
        "error_message",
        "worker",
        "parent_run_id",
        "retried_by",
    ):
        value = getattr(view, name)
        if isinstance(value, list):
            value = ", ".join(value)
        table.add_row(name, "-" if value is None else str(value))
    console.print(table)

    objects = Table(title="objects")
    for column in ("object", "status", "records", "of", "retries", "error"):
        objects.add_column(column)
    for item in view.object_progress:
        objects.add_row(
            item.object,
            item.status,
            str(item.records_processed),
            "-" if item.records_total is None else str(item.records_total),
            str(item.retry_count),
            item.error_category or "",
        )
    console.print(objects)


def show_runs(console: Console, views: list[RunView]) -> None:
    table = Table(title="sync runs, newest first")
    for column in ("run id", "status", "objects", "started", "seconds", "error"):
        table.add_column(column)
    for view in views:
        table.add_row(
            view.run_id,
            str(view.status),
            ", ".join(view.objects),
            view.started_at.strftime("%Y-%m-%d %H:%M:%S") if view.started_at else "-",
            "-" if view.duration_seconds is None else f"{view.duration_seconds:.1f}",
            view.error_category or "",
        )
    console.print(table)


def follow_run(console: Console, runs: SyncRuns, run_id: str) -> RunView:
    """A live bar per object until the run ends; returns the final view."""
    columns = (
        TextColumn("{task.description:<12}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[state]}"),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=console, transient=False) as progress:
        tasks: dict[str, int] = {}
        while True:
            view = runs.get(run_id)
            for item in view.object_progress:
                if item.object not in tasks:
                    tasks[item.object] = progress.add_task(item.object, total=None, state="")
                progress.update(
                    tasks[item.object],
                    completed=item.records_processed,
                    total=item.records_total,
                    state=item.status,
                )
            if view.status in FINAL:
                return view
            time.sleep(POLL_SECONDS)
