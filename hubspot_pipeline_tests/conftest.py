"""Fixtures shared by the suites: the simulator over real HTTP, real DuckDB files."""

import uuid
from pathlib import Path

import dagster as dg
import pytest

from hubspot_pipeline.resources import HubSpotResource, WarehouseResource

# dlt insists on a password; the trust-auth server ignores it.
POSTGRES_URL = "postgresql://postgres:unused@127.0.0.1:5432/test"


@pytest.fixture
def token() -> str:
    """A token of its own per test: the simulator counts its rate limits per token."""
    return f"test-{uuid.uuid4().hex}"


@pytest.fixture
def warehouse(tmp_path: Path) -> WarehouseResource:
    return WarehouseResource(
        duckdb_path=str(tmp_path / "warehouse.duckdb"), working_dir=str(tmp_path / "dlt")
    )


@pytest.fixture
def instance():
    with dg.instance_for_test() as test_instance:
        yield test_instance


def hubspot_resource(base_url: str, token: str, tmp_path: Path, **overrides) -> HubSpotResource:
    return HubSpotResource(
        access_token=token,
        base_url=base_url,
        budget_url=str(tmp_path / "budget.sqlite"),
        **overrides,
    )
