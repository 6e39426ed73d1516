"""`hubspot-sync`: the project's command line.

`run`, `status` and `list` talk to Dagster's GraphQL API (`--graphql-url`, default
`DAGSTER_GRAPHQL_URL` or http://localhost:3000/graphql) and need no other server;
`serve-api` starts the sync-runs HTTP API.
"""

import argparse
import json
import os
import sys
from dataclasses import asdict

from hubspot_pipeline.runs_api.graphql import DEFAULT_GRAPHQL_URL

EXIT_RUN_FAILED = 1
EXIT_BAD_REQUEST = 2
EXIT_DAGSTER_UNAVAILABLE = 3


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="hubspot-sync", description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument(
        "--graphql-url",
        default=os.environ.get("DAGSTER_GRAPHQL_URL") or DEFAULT_GRAPHQL_URL,
        help="Dagster's GraphQL endpoint",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("sync", help="sync every CRM object's full history through Dagster")
    commands.add_parser("demo", help="the same sync against a seeded HubSpot simulator")

    run = commands.add_parser("run", help="launch one sync run through Dagster")
    run.add_argument("--objects", required=True, help="comma-separated, e.g. contacts,deals")
    run.add_argument(
        "--partitions",
        default="latest",
        help="latest (today, UTC), all, or comma-separated consecutive days (YYYY-MM-DD)",
    )
    run.add_argument("--priority", choices=["high", "normal", "low"], default="normal")
    run.add_argument("--wait", action="store_true", help="follow the run with progress bars")

    status = commands.add_parser("status", help="show one sync run")
    status.add_argument("run_id")
    status.add_argument("--json", action="store_true", help="print the run as JSON")

    listing = commands.add_parser("list", help="list sync runs, newest first")
    listing.add_argument(
        "--status",
        choices=[
            "pending",
            "processing",
            "completed",
            "failed",
            "retrying",
            "partially_completed",
            "canceled",
        ],
    )
    listing.add_argument("--limit", type=int, default=20)

    serve = commands.add_parser("serve-api", help="serve the sync-runs HTTP API")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    return parser


def _partitions(text: str) -> str | list[str]:
    return text if text in ("latest", "all") else [day.strip() for day in text.split(",")]


def _runs_command(args: argparse.Namespace) -> int:
    from rich.console import Console

    from hubspot_pipeline.runs_api import console as views
    from hubspot_pipeline.runs_api.graphql import (
        DagsterRunsClient,
        DagsterUnavailable,
        RunNotFound,
        RunRejected,
    )
    from hubspot_pipeline.runs_api.service import InvalidSyncRequest, SyncRequest, SyncRuns
    from hubspot_pipeline.runs_api.tracking import SyncStatus

    console = Console()
    with DagsterRunsClient(args.graphql_url) as client:
        runs = SyncRuns(client)
        try:
            if args.command == "run":
                objects = [name.strip() for name in args.objects.split(",") if name.strip()]
                request = SyncRequest(objects, _partitions(args.partitions), args.priority)
                run_id, _ = runs.launch(request, trigger="cli")
                console.print(f"Launched sync run {run_id}")
                if not args.wait:
                    return 0
                view = views.follow_run(console, runs, run_id)
                views.show_run(console, view)
                return 0 if view.status == SyncStatus.COMPLETED else EXIT_RUN_FAILED
            if args.command == "status":
                view = runs.get(args.run_id)
                if args.json:
                    print(json.dumps(asdict(view), default=str, indent=2))
                else:
                    views.show_run(console, view)
                return 0
            status = SyncStatus(args.status) if args.status else None
            views.show_runs(console, runs.list(status, args.limit))
            return 0
        except (InvalidSyncRequest, RunNotFound, RunRejected) as exc:
            console.print(f"[red]{exc}[/red]")
            return EXIT_BAD_REQUEST
        except DagsterUnavailable as exc:
            console.print(f"[red]{exc}. Is dagster-webserver running (make serve)?[/red]")
            return EXIT_DAGSTER_UNAVAILABLE


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)

    if args.command == "sync":
        from hubspot_pipeline import full_sync

        return full_sync.main()
    if args.command == "demo":
        from hubspot_pipeline import demo

        return demo.main()
    if args.command == "serve-api":
        from hubspot_pipeline.runs_api.serve import serve_api

        return serve_api(args.host, args.port, args.graphql_url)
    return _runs_command(args)


if __name__ == "__main__":
    sys.exit(main())
