"""The code location loads, and the commands refuse to start without what they need."""

import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import dagster as dg
import pytest

from hubspot_pipeline.definitions import CRM_SYNC_JOB, defs
from hubspot_pipeline.partitions import crm_daily_partitions

REPO = Path(__file__).parents[2]


def test_definitions_load_with_one_asset_per_crm_object():
    dg.Definitions.validate_loadable(defs)

    keys = {key.to_user_string() for key in defs.resolve_asset_graph().get_all_asset_keys()}
    assert keys == {"contacts", "companies", "deals", "tickets"}
    assert defs.resolve_job_def(CRM_SYNC_JOB) is not None


def test_dagster_definitions_validate_passes_on_the_workspace(tmp_path):
    env = {**os.environ, "DAGSTER_HOME": str(tmp_path)}
    env.pop("HUBSPOT_ACCESS_TOKEN", None)

    completed = subprocess.run(
        [
            str(Path(sys.executable).parent / "dagster"),
            "definitions",
            "validate",
            "-w",
            "workspace.yaml",
        ],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )

    assert completed.returncode == 0, completed.stdout + completed.stderr


def test_partitions_are_utc_days_with_today_included():
    partitions = crm_daily_partitions("2026-11-01")

    keys = partitions.get_partition_keys(current_time=datetime(2026, 11, 3, 15, tzinfo=UTC))

    assert keys == ["2026-11-01", "2026-11-02", "2026-11-03"]


@pytest.mark.parametrize("value", ["2026-13-01", "yesterday", "01/02/2026"])
def test_a_malformed_start_date_names_the_variable(value, monkeypatch):
    monkeypatch.setenv("HUBSPOT_START_DATE", value)

    with pytest.raises(ValueError, match="HUBSPOT_START_DATE"):
        crm_daily_partitions()


def test_make_sync_without_a_token_stops_before_any_call_and_says_what_to_set(tmp_path):
    env = {
        **os.environ,
        "DAGSTER_HOME": str(tmp_path),
        "HUBSPOT_API_BASE_URL": "http://127.0.0.1:9",
    }
    env.pop("HUBSPOT_ACCESS_TOKEN", None)

    completed = subprocess.run(
        [sys.executable, "-m", "hubspot_pipeline.full_sync"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert completed.returncode == 2
    assert "HUBSPOT_ACCESS_TOKEN" in completed.stdout
    assert not any(tmp_path.iterdir()), "nothing may be written before the token check"
