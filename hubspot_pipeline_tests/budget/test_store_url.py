"""Choosing the budget's store from HUBSPOT_BUDGET_URL."""

from pathlib import Path

import pytest

from hubspot_pipeline.hubspot.budget import BudgetConfig
from hubspot_pipeline.hubspot.budget_store import SQLiteBudgetStore, store_from_url


@pytest.mark.parametrize(
    "url",
    [
        pytest.param("budget.sqlite", id="plain-path"),
        pytest.param("sqlite:///{tmp}/budget.sqlite", id="sqlite-url"),
    ],
)
def test_paths_are_sqlite_files(tmp_path: Path, url: str, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    store = store_from_url(url.format(tmp=tmp_path))
    assert isinstance(store, SQLiteBudgetStore)


def test_an_unknown_scheme_is_named_without_its_password() -> None:
    with pytest.raises(ValueError) as raised:
        store_from_url("mysql://budget:hunter2@db.internal/limits")
    assert str(raised.value) == (
        "HUBSPOT_BUDGET_URL must be an SQLite path, postgresql:// or redis:// URL, "
        "got 'mysql://budget:***@db.internal/limits'"
    )


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        pytest.param(
            {"daily_reserved_share": 1.0},
            "daily_reserved_share must be at least 0 and below 1, got 1.0",
            id="share-of-one",
        ),
        pytest.param(
            {"headroom": -0.1},
            "headroom must be at least 0 and below 1, got -0.1",
            id="negative-headroom",
        ),
        pytest.param(
            {"reservation_age_ms": -1},
            "reservation_age_ms must not be negative, got -1",
            id="negative-reservation-age",
        ),
        pytest.param(
            {"portal_timezone": "Mars/Olympus"},
            "portal_timezone must be an IANA time zone like Europe/Berlin, got 'Mars/Olympus'",
            id="unknown-zone",
        ),
    ],
)
def test_bad_budget_config_is_named(overrides: dict, message: str) -> None:
    with pytest.raises(ValueError) as raised:
        BudgetConfig(**overrides)
    assert str(raised.value) == message
