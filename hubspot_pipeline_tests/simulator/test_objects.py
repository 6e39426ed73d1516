"""Every object type, batch read, single reads of merged ids, history, scopes, daily limit."""

import httpx
import pytest

from hubspot_pipeline.simulator import SimulatorServer
from hubspot_pipeline_tests.simulator.conftest import AUTH, small_config

ALL_TYPES = {
    "contacts": "0-1",
    "companies": "0-2",
    "deals": "0-3",
    "tickets": "0-5",
    "products": "0-7",
    "line_items": "0-8",
    "quotes": "0-14",
    "calls": "0-48",
    "emails": "0-49",
    "meetings": "0-47",
    "notes": "0-46",
    "tasks": "0-27",
    "cars": "2-3465404",
}


@pytest.mark.parametrize(("object_type", "type_id"), ALL_TYPES.items(), ids=list(ALL_TYPES))
def test_every_object_type_lists_searches_and_has_properties(
    client: httpx.Client, server: SimulatorServer, object_type: str, type_id: str
) -> None:
    expected = server.portal.records(object_type)[:3]

    listed = client.get(f"/crm/v3/objects/{type_id}", params={"limit": 3}).json()
    searched = client.post(f"/crm/v3/objects/{object_type}/search", json={"limit": 3}).json()
    catalog = client.get(f"/crm/v3/properties/{object_type}").json()["results"]

    assert [r["id"] for r in listed["results"]] == [r["id"] for r in expected]
    assert searched["total"] == len(server.portal.records(object_type))
    assert {"createdate", "hs_object_id", "hs_merged_object_ids"} <= {p["name"] for p in catalog}


def test_custom_object_answers_to_its_fully_qualified_name(client: httpx.Client) -> None:
    by_fqn = client.get("/crm/v3/objects/p1234567_cars", params={"limit": 2}).json()
    by_id = client.get("/crm/v3/objects/2-3465404", params={"limit": 2}).json()
    assert by_fqn["results"] == by_id["results"]
    assert set(by_fqn["results"][0]["properties"]) == {
        "model",
        "createdate",
        "hs_object_id",
        "hs_lastmodifieddate",
    }


def _batch(client: httpx.Client, object_type: str, body: dict, **params) -> httpx.Response:
    return client.post(f"/crm/v3/objects/{object_type}/batch/read", json=body, params=params)


def test_batch_read_returns_the_requested_records(
    client: httpx.Client, server: SimulatorServer
) -> None:
    wanted = [r["id"] for r in server.portal.records("contacts")[:100]]
    response = _batch(
        client, "contacts", {"inputs": [{"id": i} for i in wanted], "properties": ["email"]}
    )
    body = response.json()
    assert response.status_code == 200
    assert body["status"] == "COMPLETE"
    assert [r["id"] for r in body["results"]] == wanted
    assert set(body["results"][0]["properties"]) == {
        "email",
        "createdate",
        "hs_object_id",
        "lastmodifieddate",
    }
    assert "errors" not in body


def test_batch_read_with_missing_ids_is_207(client: httpx.Client, server: SimulatorServer) -> None:
    known = server.portal.records("contacts")[0]["id"]
    response = _batch(client, "contacts", {"inputs": [{"id": known}, {"id": "79999"}]})
    body = response.json()
    assert response.status_code == 207
    assert [r["id"] for r in body["results"]] == [known]
    assert body["numErrors"] == 1
    assert body["errors"][0]["category"] == "OBJECT_NOT_FOUND"
    assert body["errors"][0]["context"] == {"ids": ["79999"]}
    assert body["errors"][0]["message"].startswith("Could not get some CONTACT objects")


def test_batch_read_with_no_id_found_is_404(client: httpx.Client) -> None:
    response = _batch(client, "deals", {"inputs": [{"id": "1"}, {"id": "2"}]})
    assert response.status_code == 404
    assert response.json()["category"] == "OBJECT_NOT_FOUND"


@pytest.mark.parametrize(
    ("inputs", "history", "status"),
    [
        pytest.param(100, False, 200, id="100-inputs-ok"),
        pytest.param(101, False, 400, id="101-inputs"),
        pytest.param(50, True, 200, id="50-with-history-ok"),
        pytest.param(51, True, 400, id="51-with-history"),
    ],
)
def test_batch_read_input_limits(
    client: httpx.Client, server: SimulatorServer, inputs: int, history: bool, status: int
) -> None:
    ids = [r["id"] for r in server.portal.records("contacts")[:inputs]]
    body: dict = {"inputs": [{"id": i} for i in ids], "properties": ["email"]}
    if history:
        body["propertiesWithHistory"] = ["email"]
    assert _batch(client, "contacts", body).status_code == status


def test_batch_read_by_unique_property(client: httpx.Client, server: SimulatorServer) -> None:
    record = next(r for r in server.portal.records("contacts") if r["properties"]["email"])
    body = _batch(
        client,
        "contacts",
        {"inputs": [{"id": record["properties"]["email"]}], "idProperty": "email"},
    ).json()
    assert [r["id"] for r in body["results"]] == [record["id"]]


def test_batch_read_of_archived_records(client: httpx.Client, server: SimulatorServer) -> None:
    archived = server.portal.archived_records("companies")[0]
    body = _batch(client, "companies", {"inputs": [{"id": archived["id"]}]}, archived="true")
    assert body.json()["results"][0]["archivedAt"] == archived["archivedAt"]


def test_merged_away_id_answers_with_the_survivor(
    client: httpx.Client, server: SimulatorServer
) -> None:
    merged_id, survivor_id = next(iter(server.portal.merged_ids("contacts").items()))
    body = client.get(
        f"/crm/v3/objects/contacts/{merged_id}", params={"properties": "hs_merged_object_ids"}
    ).json()
    assert body["id"] == survivor_id
    assert merged_id in body["properties"]["hs_merged_object_ids"].split(";")
    assert merged_id not in server.portal.ids("contacts")


def test_merged_share_sets_the_number_of_merged_ids(server: SimulatorServer) -> None:
    # 1% of 10,500 contacts.
    assert len(server.portal.merged_ids("contacts")) == 105


def test_properties_with_history(client: httpx.Client, server: SimulatorServer) -> None:
    record = next(r for r in server.portal.records("deals") if r["properties"]["amount"])
    body = client.get(
        f"/crm/v3/objects/deals/{record['id']}",
        params={"propertiesWithHistory": "amount,createdate"},
    ).json()
    history = body["propertiesWithHistory"]
    assert set(history) == {"amount", "createdate"}
    assert history["amount"][0]["value"] == record["properties"]["amount"]
    assert history["amount"][0]["timestamp"] == record["updatedAt"]
    assert history["createdate"] == [
        {
            "value": record["createdAt"],
            "timestamp": record["createdAt"],
            **{
                k: v for k, v in history["createdate"][0].items() if k not in ("value", "timestamp")
            },
        }
    ]
    stamps = [version["timestamp"] for version in history["amount"]]
    assert stamps == sorted(stamps, reverse=True)


def test_list_with_history_pages_by_50(client: httpx.Client) -> None:
    body = client.get(
        "/crm/v3/objects/contacts", params={"limit": 100, "propertiesWithHistory": "email"}
    ).json()
    assert len(body["results"]) == 50
    assert all("email" in r["propertiesWithHistory"] for r in body["results"])


@pytest.mark.parametrize(
    ("path", "scope"),
    [
        pytest.param("/crm/v3/objects/deals", "crm.objects.deals.read", id="list-deals"),
        pytest.param("/crm/v3/properties/deals", "crm.objects.deals.read", id="properties"),
        pytest.param("/crm/v3/owners", "crm.objects.owners.read", id="owners"),
    ],
)
def test_missing_scopes_answer_403(path: str, scope: str) -> None:
    with SimulatorServer(small_config(missing_scopes=["deals", "owners"])) as server:
        response = httpx.get(f"{server.base_url}{path}", headers=AUTH)
        contacts = httpx.get(f"{server.base_url}/crm/v3/objects/contacts", headers=AUTH)
    body = response.json()
    assert response.status_code == 403
    assert body["category"] == "MISSING_SCOPES"
    assert body["errors"][0]["context"] == {"requiredScopes": [scope]}
    assert contacts.status_code == 200


def test_daily_limit_answers_429_daily() -> None:
    with SimulatorServer(small_config(daily_limit=3)) as server:
        statuses = [
            httpx.get(f"{server.base_url}/crm/v3/objects/contacts", headers=AUTH) for _ in range(4)
        ]
    assert [r.status_code for r in statuses] == [200, 200, 200, 429]
    assert statuses[2].headers["X-HubSpot-RateLimit-Daily-Remaining"] == "0"
    assert statuses[3].json()["policyName"] == "DAILY"
