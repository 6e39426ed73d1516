"""Dagster resources: configuration in, ready clients out. No HubSpot logic lives here."""

import logging
import os
from pathlib import Path

import dagster as dg
from pydantic import Field

from hubspot_pipeline.hubspot.budget import BudgetConfig, SharedBudget, portal_key
from hubspot_pipeline.hubspot.client import DEFAULT_BASE_URL, HubSpotClient
from hubspot_pipeline.hubspot.oauth import OAuthCredentials, OAuthTokenAuth
from hubspot_pipeline.sync.load import Destination


class HubSpotResource(dg.ConfigurableResource):
    """Builds a HubSpot client that shares the portal's API budget with every other run."""

    access_token: str | None = Field(
        default=None,
        description="Private app or OAuth access token; pass it with EnvVar, never inline. "
        "Leave it unset to use OAuth refresh (client_id, client_secret, refresh_token).",
    )
    client_id: str | None = Field(default=None, description="OAuth app client id (EnvVar).")
    client_secret: str | None = Field(
        default=None, description="OAuth app client secret; pass it with EnvVar."
    )
    refresh_token: str | None = Field(
        default=None, description="OAuth refresh token of the portal; pass it with EnvVar."
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

    def _auth(self) -> tuple[str | None, OAuthTokenAuth | None, str]:
        """The access token or the OAuth auth, plus what names the portal's budget."""
        if self.access_token:
            return self.access_token, None, self.access_token
        oauth = (self.client_id, self.client_secret, self.refresh_token)
        if not all(oauth):
            raise dg.DagsterInvalidConfigError(
                "HubSpotResource needs access_token, or all of client_id, client_secret and "
                "refresh_token (HUBSPOT_ACCESS_TOKEN or HUBSPOT_CLIENT_ID, "
                "HUBSPOT_CLIENT_SECRET, HUBSPOT_REFRESH_TOKEN)",
                [],
                None,
            )
        credentials = OAuthCredentials(*oauth)  # type: ignore[arg-type]
        auth = OAuthTokenAuth(credentials, self.base_url)
        return None, auth, f"oauth\n{self.client_id}\n{self.refresh_token}"

    def build_client(self, logger: logging.Logger | None = None) -> HubSpotClient:
        access_token, auth, identity = self._auth()
        budget = SharedBudget(
            Path(self.budget_state_path),
            portal_key(self.base_url, identity),
            BudgetConfig(
                requests_per_ten_seconds=self.requests_per_ten_seconds,
                search_requests_per_second=self.search_requests_per_second,
            ),
        )
        return HubSpotClient(
            access_token,
            auth=auth,
            base_url=self.base_url,
            budget=budget,
            timeout_seconds=self.timeout_seconds,
            max_attempts=self.max_attempts,
            logger=logger,
        )


def hubspot_credentials_from_env() -> dict[str, dg.EnvVar]:
    """EnvVars of the access token, or of OAuth when only the OAuth variables are set."""
    if not os.environ.get("HUBSPOT_ACCESS_TOKEN") and os.environ.get("HUBSPOT_REFRESH_TOKEN"):
        return {
            "client_id": dg.EnvVar("HUBSPOT_CLIENT_ID"),
            "client_secret": dg.EnvVar("HUBSPOT_CLIENT_SECRET"),
            "refresh_token": dg.EnvVar("HUBSPOT_REFRESH_TOKEN"),
        }
    return {"access_token": dg.EnvVar("HUBSPOT_ACCESS_TOKEN")}


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
