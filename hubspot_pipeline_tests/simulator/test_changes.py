"""The mutation API (HubSpot's write endpoints) and signed webhook deliveries."""

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import httpx
import pytest

from hubspot_pipeline.simulator import SimulatorServer
from hubspot_pipeline.simulator.webhooks import sign_v1, sign_v3
from hubspot_pipeline_tests.simulator.conftest import AUTH, small_config

FIXTURES = Path(__file__).parent / "fixtures"
SECRET = "webhook-test-secret"


def test_signer_matches_the_test_vector() -> None:
    vector = json.loads((FIXTURES / "webhook_batch.headers.json").read_text())
    body = (FIXTURES / "webhook_batch.body.txt").read_bytes()
    headers = vector["headers"]
    secret = vector["client_secret_synthetic"]

    v3 = sign_v3(secret, "POST", vector["uri"], body, int(headers["X-HubSpot-Request-Timestamp"]))

    assert v3 == headers["X-HubSpot-Signature-v3"]
    assert sign_v1(secret, body) == headers["X-HubSpot-Signature"]


@pytest.fixture
def http_server() -> Iterator[SimulatorServer]:
    with SimulatorServer(small_config()) as server:
        yield server


def test_create_update_archive_through_the_api(http_server: SimulatorServer) -> None:
    with httpx.Client(base_url=http_server.base_url, headers=AUTH) as http:
        created = http.post(
            "/crm/v3/objects/contacts", json={"properties": {"firstname": "Ada", "email": "a@x.io"}}
        )
        record_id = created.json()["id"]
        updated = http.patch(
            f"/crm/v3/objects/contacts/{record_id}", json={"properties": {"firstname": "Grace"}}
        )
        read = http.get(f"/crm/v3/objects/contacts/{record_id}").json()
        deleted = http.delete(f"/crm/v3/objects/contacts/{record_id}")
        gone = http.get(f"/crm/v3/objects/contacts/{record_id}")
        binned = http.get("/crm/v3/objects/contacts", params={"archived": "true", "limit": 100})
        unknown = http.patch("/crm/v3/objects/contacts/1", json={"properties": {"firstname": "x"}})
        bad = http.post("/crm/v3/objects/contacts", json={"properties": {"no_such": "x"}})

    assert created.status_code == 201
    assert int(record_id) > max(int(i) for i in http_server.portal.ids("contacts"))
    assert created.json()["properties"]["email"] == "a@x.io"
    assert updated.status_code == 200
    assert read["properties"]["firstname"] == "Grace"
    assert read["updatedAt"] >= created.json()["updatedAt"]
    assert read["properties"]["lastmodifieddate"] == read["updatedAt"]
    assert deleted.status_code == 204
    assert gone.status_code == 404
    assert record_id in [r["id"] for r in binned.json()["results"]]
    assert record_id not in http_server.portal.ids("contacts")
    assert unknown.status_code == 404
    assert bad.status_code == 400


def test_merge_keeps_the_primary_and_redirects_the_old_id(http_server: SimulatorServer) -> None:
    primary, other = (r["id"] for r in http_server.portal.records("companies")[:2])
    with httpx.Client(base_url=http_server.base_url, headers=AUTH) as http:
        merged = http.post(
            "/crm/v3/objects/companies/merge",
            json={"primaryObjectId": primary, "objectIdToMerge": other},
        ).json()
        by_old = http.get(
            f"/crm/v3/objects/companies/{other}", params={"properties": "hs_merged_object_ids"}
        ).json()
    assert merged["id"] == primary
    assert by_old["id"] == primary
    assert other in by_old["properties"]["hs_merged_object_ids"].split(";")
    assert other not in http_server.portal.ids("companies")


def test_associate_through_the_api(http_server: SimulatorServer) -> None:
    contact = http_server.portal.records("contacts")[-1]["id"]
    deal = http_server.portal.records("deals")[-1]["id"]
    with httpx.Client(base_url=http_server.base_url, headers=AUTH) as http:
        put = http.put(f"/crm/v4/objects/contacts/{contact}/associations/default/deals/{deal}")
        read = http.post(
            "/crm/v4/associations/deals/contacts/batch/read", json={"inputs": [{"id": deal}]}
        ).json()
    assert put.status_code == 200
    targets = {to["toObjectId"]: to["associationTypes"] for to in read["results"][0]["to"]}
    assert targets[int(contact)] == [{"category": "HUBSPOT_DEFINED", "typeId": 3, "label": None}]


def test_changes_while_a_list_walk_runs_are_seen_by_later_pages(
    http_server: SimulatorServer,
) -> None:
    with httpx.Client(base_url=http_server.base_url, headers=AUTH) as http:
        first = http.get("/crm/v3/objects/contacts", params={"limit": 10}).json()
        http_server.portal.create("contacts", {"firstname": "Late"})
        rest, after = [], first["paging"]["next"]["after"]
        while after:
            page = http.get("/crm/v3/objects/contacts", params={"limit": 10, "after": after})
            rest.extend(page.json()["results"])
            after = page.json().get("paging", {}).get("next", {}).get("after")
    assert rest[-1]["properties"]["firstname"] == "Late"


def test_an_update_moves_the_record_into_an_incremental_search(
    http_server: SimulatorServer,
) -> None:
    record = http_server.portal.records("deals")[0]
    since = str(int(time.time() * 1000) - 1)
    body = {
        "filterGroups": [
            {
                "filters": [
                    {"propertyName": "hs_lastmodifieddate", "operator": "GTE", "value": since}
                ]
            }
        ]
    }
    with httpx.Client(base_url=http_server.base_url, headers=AUTH) as http:
        before = http.post("/crm/v3/objects/deals/search", json=body).json()
        http.patch(f"/crm/v3/objects/deals/{record['id']}", json={"properties": {"amount": "7"}})
        after = http.post("/crm/v3/objects/deals/search", json=body).json()
    assert before["total"] == 0
    assert [r["id"] for r in after["results"]] == [record["id"]]
    assert after["results"][0]["properties"]["amount"] == "7"


class _Receiver(BaseHTTPRequestHandler):
    received: ClassVar[list[tuple[dict, bytes]]] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.received.append((dict(self.headers), body))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def receiver() -> Iterator[tuple[str, list]]:
    received: ClassVar[list[tuple[dict, bytes]]] = []
    handler = type("Receiver", (_Receiver,), {"received": received})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/hubspot/webhook", received
    finally:
        server.shutdown()
        server.server_close()


def _wait_for(received: list, count: int) -> list[dict]:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        events = [event for _, body in received for event in json.loads(body)]
        if len(events) >= count:
            return events
        time.sleep(0.05)
    raise AssertionError(f"expected {count} webhook events, got {len(events)}")


def test_webhooks_deliver_signed_batches_of_at_most_100(receiver) -> None:
    url, received = receiver
    config = small_config(webhook_url=url, webhook_secret=SECRET, webhook_flush_seconds=0.3)
    with SimulatorServer(config) as server:
        contacts = [r["id"] for r in server.portal.records("contacts")[:3]]
        for n in range(130):
            server.portal.create("deals", {"dealname": f"Deal {n}"})
        server.portal.update("contacts", contacts[0], {"lifecyclestage": "customer"})
        server.portal.archive("contacts", contacts[1])
        server.portal.merge("contacts", contacts[0], contacts[2])
        events = _wait_for(received, 133)

    assert all(len(json.loads(body)) <= 100 for _, body in received)
    assert len(received) >= 2
    kinds = [event["subscriptionType"] for event in events]
    assert kinds.count("deal.creation") == 130
    assert kinds[-3:] == ["contact.propertyChange", "contact.deletion", "contact.merge"]
    change = events[-3]
    assert (change["objectId"], change["propertyName"], change["propertyValue"]) == (
        int(contacts[0]),
        "lifecyclestage",
        "customer",
    )
    assert events[-1]["mergedObjectIds"] == [int(contacts[2])]
    for headers, body in received:
        stamp = int(headers["X-HubSpot-Request-Timestamp"])
        assert headers["X-HubSpot-Signature-v3"] == sign_v3(SECRET, "POST", url, body, stamp)
        assert headers["X-HubSpot-Signature"] == sign_v1(SECRET, body)
