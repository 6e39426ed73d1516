"""Shared pieces of the sync-runs tests: the API over a real Dagster webserver."""

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from hubspot_pipeline.runs_api.app import create_app
from hubspot_pipeline.runs_api.graphql import DagsterRunsClient
from hubspot_pipeline.runs_api.service import SyncRuns

API_TOKEN = "test-sync-api-token"
AUTH = {"Authorization": f"Bearer {API_TOKEN}"}


def api_client(graphql_url: str) -> Iterator[TestClient]:
    """The sync-runs API in this process (ASGI), talking GraphQL to a real webserver."""
    with DagsterRunsClient(graphql_url) as client:
        app = create_app(SyncRuns(client), API_TOKEN)
        with TestClient(app, headers=AUTH) as test_client:
            yield test_client


@pytest.fixture(scope="module")
def module_tmp(tmp_path_factory):
    return tmp_path_factory.mktemp("runs_api")
