"""Dagster resources: configuration in, ready clients out. No HubSpot logic lives here."""

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import dagster as dg
from pydantic import Field

from hubspot_pipeline.hubspot.budget import BudgetConfig, SharedBudget, portal_key
from hubspot_pipeline.hubspot.budget_store import DEFAULT_BUDGET_URL, store_from_url
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
    budget_url: str = Field(
        default=DEFAULT_BUDGET_URL,
        description="Where every process records the requests it sent: an SQLite file path, "
        "or a postgresql:// or redis:// URL shared by several machines.",
    )
    daily_limit: int | None = Field(
        default=None,
        description="The portal's daily limit; unset, it is learned from HubSpot's headers.",
    )
    daily_reserved_share: float = Field(
        default=0.1, description="Share of the daily limit kept for the portal's other apps."
    )
    portal_timezone: str = Field(
        default="UTC", description="The portal's time zone: its daily limit resets at midnight."
    )
    sync_plan: str = Field(
        default="auto",
        description="How a window is read: search, list (a full scan), or auto (the faster).",
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

    def budget_config(self) -> BudgetConfig:
        return BudgetConfig(
            requests_per_ten_seconds=self.requests_per_ten_seconds,
            search_requests_per_second=self.search_requests_per_second,
            daily_limit=self.daily_limit,
            daily_reserved_share=self.daily_reserved_share,
            portal_timezone=self.portal_timezone,
        )

    @contextmanager
    def exclusive_sync(self, object_type: str) -> Iterator[None]:
        """Held for a whole sync of one object: no two steps sync it for this portal at once."""
        budget = SharedBudget(
            store_from_url(self.budget_url),
            self._portal(),
            self.budget_config(),
        )
        try:
            with budget.object_lock(object_type):
                yield
        finally:
            budget.close()

    def _portal(self) -> str:
        return portal_key(self.base_url, self._auth()[2])

    def build_client(self, logger: logging.Logger | None = None) -> HubSpotClient:
        access_token, auth, identity = self._auth()
        budget = SharedBudget(
            store_from_url(self.budget_url),
            portal_key(self.base_url, identity),
            self.budget_config(),
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


OAUTH_VARIABLES = ("HUBSPOT_CLIENT_ID", "HUBSPOT_CLIENT_SECRET", "HUBSPOT_REFRESH_TOKEN")


def hubspot_credentials_present() -> bool:
    """Whether the environment names an access token, or every OAuth variable."""
    return bool(os.environ.get("HUBSPOT_ACCESS_TOKEN")) or all(
        os.environ.get(name) for name in OAUTH_VARIABLES
    )


def hubspot_credential_values_from_env() -> dict[str, str]:
    """The credentials themselves, for code that runs outside a Dagster run (`make sync`)."""
    return {
        name: str(variable.get_value()) for name, variable in hubspot_credentials_from_env().items()
    }


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
