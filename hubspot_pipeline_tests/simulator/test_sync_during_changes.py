"""The project's own sync, run while a test changes the portal through the mutation API."""

from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb

from hubspot_pipeline.hubspot.client import HubSpotClient
from hubspot_pipeline.objects.specs import get_spec
from hubspot_pipeline.simulator import SimulatorServer
from hubspot_pipeline.sync.load import Destination
from hubspot_pipeline.sync.service import SyncProgress, sync_object
from hubspot_pipeline.sync.windows import Window
from hubspot_pipeline_tests.simulator.conftest import AUTH, small_config


def test_records_changed_mid_sync_are_not_lost(tmp_path: Path) -> None:
    config = small_config(contacts=1_500, search_lag_seconds=0.0)
    with SimulatorServer(config) as server:
        before = server.portal.ids("contacts")
        victims = sorted(before, key=int)[-5:]
        changed: list[str] = []

        def change_once(progress: SyncProgress) -> None:
            # After the first page: touch records the keyset has not reached yet, add one.
            if changed:
                return
            for record_id in victims:
                server.portal.update("contacts", record_id, {"firstname": "Changed"})
            changed.append(server.portal.create("contacts", {"firstname": "New"})["id"])

        # The window reaches past now, so the changes land inside it (a change after its end
        # belongs to the next window and is the next run's to load).
        now = datetime.now(UTC)
        window = Window(config.end - timedelta(days=config.days), now + timedelta(hours=1))
        destination = Destination.duckdb(tmp_path / "warehouse.duckdb")
        token = AUTH["Authorization"].removeprefix("Bearer ")
        with HubSpotClient(token, base_url=server.base_url) as client:
            result = sync_object(
                client,
                get_spec("contacts"),
                window,
                destination,
                tmp_path / "dlt",
                on_progress=change_once,
            )

    with duckdb.connect(str(tmp_path / "warehouse.duckdb"), read_only=True) as conn:
        rows = dict(conn.execute("SELECT id, firstname FROM hubspot.contacts").fetchall())
    assert result.pages > 1
    assert set(rows) >= before
    assert set(rows) <= before | set(changed)
    assert all(rows[record_id] == "Changed" for record_id in victims)
