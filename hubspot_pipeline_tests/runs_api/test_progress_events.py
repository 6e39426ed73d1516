"""Progress observations and failure tags written by the object assets, run in process."""

import os
import socket
from datetime import UTC, datetime

import pytest

from hubspot_pipeline.run_tags import ERROR_CATEGORY_TAG, WORKER_TAG
from hubspot_pipeline.simulator import SimulatorConfig, SimulatorServer
from hubspot_pipeline_tests.conftest import hubspot_resource
from hubspot_pipeline_tests.pipeline.helpers import materialize_range, metadata_of

PORTAL = SimulatorConfig(
    seed=5,
    contacts=1_000,
    companies=10,
    deals=10,
    tickets=10,
    days=10,
    end=datetime(2026, 11, 30, 12, 0, tzinfo=UTC),
    token="progress-token",
)


@pytest.fixture(scope="module")
def simulator():
    with SimulatorServer(PORTAL) as server:
        yield server


def observations(result, object_type: str) -> list[dict]:
    events = [
        event.asset_observation_data.asset_observation
        for event in result.all_events
        if event.event_type_value == "ASSET_OBSERVATION" and event.step_key == object_type
    ]
    return [{key: value.value for key, value in obs.metadata.items()} for obs in events]


@pytest.mark.parametrize(
    ("seconds", "expect_every_page"),
    [pytest.param("0", True, id="every-page"), pytest.param("3600", False, id="first-page-only")],
)
def test_progress_is_observed_at_the_first_page_then_throttled(
    simulator, warehouse, instance, tmp_path, monkeypatch, seconds, expect_every_page
):
    monkeypatch.setenv("HUBSPOT_PROGRESS_SECONDS", seconds)
    # The search plan pins the page size (200); `auto` would scan this whole history by list.
    hubspot = hubspot_resource(simulator.base_url, "progress-token", tmp_path, sync_plan="search")

    result = materialize_range(PORTAL, hubspot, warehouse, instance, objects=["contacts"])

    assert result.success
    final = metadata_of(result, "contacts")
    seen = observations(result, "contacts")
    assert final["pages"] == 5  # 1,000 records, 200 per search page
    assert len(seen) == (final["pages"] if expect_every_page else 1)
    assert [obs["records"] for obs in seen] == [200, 400, 600, 800, 1000][: len(seen)]
    assert seen[0]["hubspot_total"] == 1_000
    # In process, the step's process is this one.
    assert {obs["worker"] for obs in seen} == {f"{socket.gethostname()}:{os.getpid()}"}
    assert instance.get_run_by_id(result.run_id).tags[WORKER_TAG] == seen[0]["worker"]


@pytest.mark.parametrize(
    ("token", "category"),
    [pytest.param("a-wrong-token", "auth", id="auth"), pytest.param(None, None, id="success")],
)
def test_a_failed_step_tags_its_run_with_the_error_category(
    simulator, warehouse, instance, tmp_path, token, category
):
    hubspot = hubspot_resource(simulator.base_url, token or "progress-token", tmp_path)

    result = materialize_range(PORTAL, hubspot, warehouse, instance, objects=["deals"])

    assert result.success is (category is None)
    assert instance.get_run_by_id(result.run_id).tags.get(ERROR_CATEGORY_TAG) == category
