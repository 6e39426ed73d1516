"""Dagster resources: configuration in, ready clients out. No HubSpot logic lives here."""

import logging
from pathlib import Path

import dagster as dg
from pydantic import Field

from hubspot_pipeline.hubspot.budget import BudgetConfig, SharedBudget, portal_key
from hubspot_pipeline.hubspot.client import DEFAULT_BASE_URL, HubSpotClient
from hubspot_pipeline.sync.load import Destination


class HubSpotResource(dg.ConfigurableResource):
    """Builds a HubSpot client that shares the portal's API budget with every other run."""

    access_token: str = Field(
        description="Private app or OAuth access token; pass it with EnvVar, never inline."
    )
    base_url: str = Field(
        default=DEFAULT_BASE_URL, description="HubSpot's API root, or the simulator's."
    )
    requests_per_ten_seconds: int = Field(
        default=190, description="The portal's 10-second limit for this app (100 to 250)."
    )
    search_requests_per_second: int = Field(
        default=5, description="HubSpot's search limit per portal."
    )
    budget_state_path: str = Field(
        default="data/hubspot_budget.sqlite",
        description="SQLite file where every process records the requests it sent.",
    )
    max_attempts: int = Field(default=8, description="Attempts per request on transient faults.")
    timeout_seconds: float = Field(default=30.0, description="Timeout of one HTTP request.")

    def build_client(self, logger: logging.Logger | None = None) -> HubSpotClient:
        budget = SharedBudget(
            Path(self.budget_state_path),
            portal_key(self.base_url, self.access_token),
            BudgetConfig(
                requests_per_ten_seconds=self.requests_per_ten_seconds,
                search_requests_per_second=self.search_requests_per_second,
            ),
        )
        return HubSpotClient(
            self.access_token,
            base_url=self.base_url,
            budget=budget,
            timeout_seconds=self.timeout_seconds,
            max_attempts=self.max_attempts,
            logger=logger,
        )


class WarehouseResource(dg.ConfigurableResource):
    """Where dlt loads: a DuckDB file by default, PostgreSQL when `postgres_url` is set."""

    duckdb_path: str = Field(
        default="data/warehouse.duckdb", description="DuckDB file of the embedded default."
    )
    postgres_url: str | None = Field(
        default=None, description="postgresql:// URL; pass it with EnvVar, it may hold a password."
    )
    dataset_name: str = Field(default="hubspot", description="Schema that holds the tables.")
    working_dir: str = Field(
        default="data/dlt", description="Parent of each run's own dlt working folder."
    )

    def destination(self) -> Destination:
        if self.postgres_url:
            return Destination.postgres(self.postgres_url, dataset_name=self.dataset_name)
        return Destination.duckdb(Path(self.duckdb_path), dataset_name=self.dataset_name)

    def run_working_dir(self, run_id: str, object_type: str) -> Path:
        """A folder no other run uses: dlt's state and files must not be shared."""
        return Path(self.working_dir) / run_id / object_type
