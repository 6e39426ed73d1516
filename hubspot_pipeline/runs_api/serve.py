"""`hubspot-sync serve-api`: the sync-runs API under uvicorn, configured from the environment."""

import os
import sys

import uvicorn

from hubspot_pipeline.runs_api.app import create_app
from hubspot_pipeline.runs_api.graphql import DEFAULT_GRAPHQL_URL, DagsterRunsClient
from hubspot_pipeline.runs_api.service import SyncRuns

MISSING_TOKEN_HELP = (
    "SYNC_API_TOKEN is not set: set it to the bearer token that clients of the sync-runs "
    "API must send (any long random string, e.g. `openssl rand -hex 32`)."
)


def serve_api(host: str, port: int, graphql_url: str = DEFAULT_GRAPHQL_URL) -> int:
    token = os.environ.get("SYNC_API_TOKEN", "")
    if not token:
        print(MISSING_TOKEN_HELP, file=sys.stderr)
        return 2
    with DagsterRunsClient(graphql_url) as client:
        app = create_app(SyncRuns(client), token)
        # uvicorn's access log holds method, path and status only, never headers: the
        # token stays out of it.
        print(f"sync-runs API on http://{host}:{port} over {graphql_url}", flush=True)
        uvicorn.run(app, host=host, port=port, log_level="info")
    return 0
