"""`GET /crm/v3/objects/{objectType}`: cursor paging, properties, limits and errors."""

import httpx
import pytest

from hubspot_pipeline.simulator import SimulatorServer

DEFAULTS = {
    "contacts": {
        "firstname",
        "lastname",
        "email",
        "createdate",
        "hs_object_id",
        "lastmodifieddate",
    },
    "companies": {"name", "domain", "createdate", "hs_object_id", "hs_lastmodifieddate"},
    "deals": {
        "dealname",
        "amount",
        "closedate",
        "pipeline",
        "dealstage",
        "createdate",
        "hs_object_id",
        "hs_lastmodifieddate",
    },
    "tickets": {
        "content",
        "hs_pipeline",
        "hs_pipeline_stage",
        "hs_ticket_category",
        "hs_ticket_priority",
        "subject",
        "createdate",
        "hs_object_id",
        "hs_lastmodifieddate",
    },
}


@pytest.mark.parametrize("object_type", ["contacts", "companies", "deals", "tickets"])
def test_paging_walks_every_id_once(
    server: SimulatorServer, client: httpx.Client, object_type: str
) -> None:
    seen: list[str] = []
    pages = 0
    params: dict = {"limit": 100}
    while True:
        response = client.get(f"/crm/v3/objects/{object_type}", params=params)
        assert response.status_code == 200
        body = response.json()
        pages += 1
        seen.extend(record["id"] for record in body["results"])
        if "paging" not in body:
            break
        assert set(body) == {"results", "paging"}
        assert len(body["results"]) == 100
        after = body["paging"]["next"]["after"]
        assert f"after={after}" in body["paging"]["next"]["link"]
        params["after"] = after
    expected = [record["id"] for record in server.portal.records(object_type)]
    assert seen == expected
    assert pages == -(-len(expected) // 100)


def test_default_limit_is_ten(client: httpx.Client, server: SimulatorServer) -> None:
    body = client.get("/crm/v3/objects/contacts").json()
    records = server.portal.records("contacts")
    assert [r["id"] for r in body["results"]] == [r["id"] for r in records[:10]]
    assert body["paging"]["next"]["after"] == records[10]["id"]


@pytest.mark.parametrize("object_type", sorted(DEFAULTS))
def test_default_properties(client: httpx.Client, object_type: str) -> None:
    body = client.get(f"/crm/v3/objects/{object_type}", params={"limit": 3}).json()
    for record in body["results"]:
        assert set(record["properties"]) == DEFAULTS[object_type]


@pytest.mark.parametrize(
    "query",
    [
        pytest.param("properties=email,city,nonexistent", id="comma-separated"),
        pytest.param("properties=email&properties=city&properties=nonexistent", id="repeated"),
        pytest.param("properties=email,city&properties=nonexistent", id="mixed"),
    ],
)
def test_requested_properties(client: httpx.Client, server: SimulatorServer, query: str) -> None:
    body = client.get(f"/crm/v3/objects/contacts?limit=5&{query}").json()
    records = server.portal.records("contacts")[:5]
    for got, stored in zip(body["results"], records, strict=True):
        assert set(got["properties"]) == {
            "email",
            "city",
            "createdate",
            "hs_object_id",
            "lastmodifieddate",
        }
        assert got["properties"]["city"] == stored["properties"]["city"]
        assert got["updatedAt"] == stored["updatedAt"]


def test_last_page_has_no_paging(client: httpx.Client, server: SimulatorServer) -> None:
    records = server.portal.records("tickets")
    body = client.get(
        "/crm/v3/objects/tickets", params={"limit": 100, "after": records[-3]["id"]}
    ).json()
    assert [r["id"] for r in body["results"]] == [r["id"] for r in records[-3:]]
    assert "paging" not in body


def test_object_type_id_works_like_name(client: httpx.Client) -> None:
    by_id = client.get("/crm/v3/objects/0-3", params={"limit": 5}).json()
    by_name = client.get("/crm/v3/objects/deals", params={"limit": 5}).json()
    assert by_id["results"] == by_name["results"]


def test_archived_lists_only_the_recycle_bin(client: httpx.Client, server) -> None:
    expected = server.portal.archived_records("deals")
    body = client.get(
        "/crm/v3/objects/deals", params={"archived": "true", "limit": 100, "properties": "dealname"}
    ).json()
    ids = [record["id"] for record in body["results"]]
    # 2% of 600 ordinary plus 3,000 hot-day deals.
    assert len(expected) == 72
    assert ids == [record["id"] for record in expected][: len(ids)]
    assert not set(ids) & server.portal.ids("deals")
    for record in body["results"]:
        assert record["archived"] is True
        assert record["archivedAt"] == record["updatedAt"]
        assert record["properties"]["hs_lastmodifieddate"] == record["archivedAt"]


@pytest.mark.parametrize(
    ("params", "status"),
    [
        pytest.param({"limit": 100}, 200, id="limit-100-ok"),
        pytest.param({"limit": 101}, 400, id="limit-over-100"),
        pytest.param({"limit": 0}, 400, id="limit-zero"),
        pytest.param({"limit": "ten"}, 400, id="limit-not-a-number"),
        pytest.param({"after": "abc"}, 400, id="after-not-a-cursor"),
    ],
)
def test_list_validation(client: httpx.Client, params: dict, status: int) -> None:
    response = client.get("/crm/v3/objects/contacts", params=params)
    assert response.status_code == status
    if status == 400:
        body = response.json()
        assert body["category"] == "VALIDATION_ERROR"
        assert body["status"] == "error"
        assert body["correlationId"] == response.headers["X-HubSpot-Correlation-Id"]


def test_unknown_object_type_is_404(client: httpx.Client) -> None:
    response = client.get("/crm/v3/objects/widgets")
    assert response.status_code == 404
    body = response.json()
    assert body["category"] == "OBJECT_NOT_FOUND"
    assert body["message"] == "Unable to infer object type from: widgets"


def test_get_one_record(client: httpx.Client, server: SimulatorServer) -> None:
    record = server.portal.records("companies")[7]
    body = client.get(f"/crm/v3/objects/companies/{record['id']}").json()
    assert body["id"] == record["id"]
    assert body["properties"]["name"] == record["properties"]["name"]
    missing = client.get("/crm/v3/objects/companies/1")
    assert missing.status_code == 404
    assert missing.json()["category"] == "OBJECT_NOT_FOUND"


@pytest.mark.parametrize("object_type", ["contacts", "companies", "deals", "tickets"])
def test_properties_endpoint(
    client: httpx.Client, server: SimulatorServer, object_type: str
) -> None:
    response = client.get(f"/crm/v3/properties/{object_type}")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json;charset=utf-8"
    assert response.json() == {"results": server.portal.properties(object_type)}
