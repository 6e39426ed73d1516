"""Both read plans load every record of a window exactly once, and `auto` picks the faster."""

from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import duckdb
import pytest

from hubspot_pipeline.objects import get_spec
from hubspot_pipeline.simulator import HotDay, SimulatorConfig, SimulatorServer
from hubspot_pipeline.simulator.timefmt import parse_to_ms
from hubspot_pipeline.sync.list_reader import iter_list_pages
from hubspot_pipeline.sync.load import Destination
from hubspot_pipeline.sync.service import sync_object
from hubspot_pipeline.sync.windows import Window
from hubspot_pipeline_tests.conftest import hubspot_resource

END = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
HOT = date(2026, 11, 20)
PORTAL = SimulatorConfig(
    seed=5,
    contacts=1_500,
    companies=0,
    deals=0,
    tickets=0,
    days=30,
    end=END,
    shared_timestamp_share=0.3,
    hot_days=[HotDay("contacts", HOT, 400)],
)
WHOLE = Window(datetime(2026, 10, 1, tzinfo=UTC), datetime(2026, 12, 1, tzinfo=UTC))
HOT_AND_NEXT = Window(
    datetime.combine(HOT, datetime.min.time(), UTC),
    datetime.combine(HOT + timedelta(days=2), datetime.min.time(), UTC),
)


@pytest.fixture(scope="module")
def simulator():
    with SimulatorServer(PORTAL) as server:
        yield server


def expected_ids(server: SimulatorServer, window: Window) -> set[str]:
    return {
        record["id"]
        for record in server.portal.records("contacts")
        if window.start_ms <= parse_to_ms(record["properties"]["lastmodifieddate"]) < window.end_ms
    }


@pytest.mark.parametrize(
    ("plan", "window", "chosen"),
    [
        pytest.param("search", WHOLE, "search", id="search-whole-portal"),
        pytest.param("list", WHOLE, "list", id="list-whole-portal"),
        pytest.param("list", HOT_AND_NEXT, "list", id="list-two-days-with-a-hot-day"),
        pytest.param("auto", WHOLE, "list", id="auto-whole-portal-scans"),
        pytest.param("auto", HOT_AND_NEXT, "search", id="auto-two-days-searches"),
    ],
)
def test_plan_loads_each_record_of_the_window_once(
    simulator, token, tmp_path: Path, plan: str, window: Window, chosen: str
) -> None:
    hubspot = hubspot_resource(simulator.base_url, token, tmp_path)
    database = tmp_path / "warehouse.duckdb"

    with hubspot.build_client() as client:
        result = sync_object(
            client,
            get_spec("contacts"),
            window,
            Destination.duckdb(database, dataset_name="hubspot"),
            tmp_path / "dlt",
            plan=plan,
        )

    with duckdb.connect(str(database), read_only=True) as conn:
        ids = [row[0] for row in conn.execute("SELECT id FROM hubspot.contacts").fetchall()]
    expected = expected_ids(simulator, window)
    assert result.plan == chosen
    assert Counter(ids).most_common(1)[0][1] == 1
    assert set(ids) == expected
    assert (result.records, result.hubspot_total) == (len(expected), len(expected))


def test_a_whole_portal_scan_tells_the_budget_how_many_pages_are_left(
    simulator, token, tmp_path: Path
) -> None:
    """The last page reserves no room for a page that will not come."""
    hubspot = hubspot_resource(simulator.base_url, token, tmp_path)
    total = len(expected_ids(simulator, WHOLE))
    told: list[int | None] = []

    with hubspot.build_client() as client:
        list_page = client.list_page

        def recording_list_page(*args, **kwargs):
            told.append(kwargs.get("pages_left"))
            return list_page(*args, **kwargs)

        client.list_page = recording_list_page
        pages = list(iter_list_pages(client, get_spec("contacts"), WHOLE, ["email"], total))

    assert sum(len(page.records) for page in pages) == total == 1_900
    assert told == list(range(18, -1, -1))
