"""Owners, pipelines, custom object schemas and v4 associations."""

import httpx
import pytest

from hubspot_pipeline.simulator import SimulatorServer


def test_owners_page_and_archived(client: httpx.Client, server: SimulatorServer) -> None:
    first = client.get("/crm/v3/owners", params={"limit": 15}).json()
    second = client.get(
        "/crm/v3/owners", params={"limit": 15, "after": first["paging"]["next"]["after"]}
    ).json()
    archived = client.get("/crm/v3/owners", params={"archived": "true"}).json()["results"]

    ids = [o["id"] for o in first["results"] + second["results"]]
    assert ids == [str(81_000_001 + n) for n in range(20)]
    assert "paging" not in second
    owner_ids = {r["properties"]["hubspot_owner_id"] for r in server.portal.records("deals")}
    assert owner_ids - {None} <= set(ids)
    assert len(archived) == 3
    assert all(o["archived"] and o["userId"] is None for o in archived)
    assert all(o["userIdIncludingInactive"] for o in archived)


def test_owners_by_email(client: httpx.Client) -> None:
    owner = client.get("/crm/v3/owners", params={"limit": 1}).json()["results"][0]
    found = client.get("/crm/v3/owners", params={"email": owner["email"]}).json()["results"]
    assert found == [owner]


@pytest.mark.parametrize(
    ("object_type", "pipeline_id", "stages", "metadata_key"),
    [
        pytest.param("deals", "default", 7, "probability", id="deals"),
        pytest.param("tickets", "0", 4, "ticketState", id="tickets"),
    ],
)
def test_pipelines_match_the_stage_values_records_use(
    client: httpx.Client,
    server: SimulatorServer,
    object_type: str,
    pipeline_id: str,
    stages: int,
    metadata_key: str,
) -> None:
    pipelines = client.get(f"/crm/v3/pipelines/{object_type}").json()["results"]
    single = client.get(f"/crm/v3/pipelines/{object_type}/{pipeline_id}").json()

    assert [p["id"] for p in pipelines] == [pipeline_id]
    assert single == pipelines[0]
    stage_ids = {s["id"] for s in pipelines[0]["stages"]}
    assert len(stage_ids) == stages
    assert all(metadata_key in s["metadata"] for s in pipelines[0]["stages"])
    stage_property = "dealstage" if object_type == "deals" else "hs_pipeline_stage"
    used = {r["properties"][stage_property] for r in server.portal.records(object_type)}
    assert used == stage_ids


def test_pipelines_of_a_type_without_them_is_404(client: httpx.Client) -> None:
    assert client.get("/crm/v3/pipelines/contacts").status_code == 404


@pytest.mark.parametrize(
    "path",
    ["/crm/v3/schemas", "/crm-object-schemas/v3/schemas"],
    ids=["short-path", "official-client-path"],
)
def test_schemas_describe_the_custom_object(client: httpx.Client, path: str) -> None:
    schemas = client.get(path).json()["results"]
    assert [s["objectTypeId"] for s in schemas] == ["2-3465404"]
    assert schemas[0]["fullyQualifiedName"] == "p1234567_cars"
    listed = client.get("/crm/v3/properties/2-3465404").json()["results"]
    assert schemas[0]["properties"] == listed
    single = client.get("/crm-object-schemas/v3/schemas/p1234567_cars").json()
    assert single == schemas[0]


def _assoc(client: httpx.Client, pair: str, inputs: list[dict]) -> httpx.Response:
    return client.post(f"/crm/v4/associations/{pair}/batch/read", json={"inputs": inputs})


def test_association_types_carry_ids_categories_and_labels(
    client: httpx.Client, server: SimulatorServer
) -> None:
    contacts = [r["id"] for r in server.portal.records("contacts")[:200]]
    body = _assoc(client, "contacts/companies", [{"id": i} for i in contacts]).json()

    kinds = {
        (t["category"], t["typeId"], t["label"])
        for result in body["results"]
        for to in result["to"]
        for t in to["associationTypes"]
    }
    assert kinds == {
        ("HUBSPOT_DEFINED", 1, "Primary"),
        ("HUBSPOT_DEFINED", 279, None),
        ("USER_DEFINED", 1001, "Billing contact"),
    }
    assert all(isinstance(to["toObjectId"], int) for r in body["results"] for to in r["to"])
    companies = server.portal.ids("companies")
    assert all(str(to["toObjectId"]) in companies for r in body["results"] for to in r["to"])


def test_associations_are_symmetric(client: httpx.Client, server: SimulatorServer) -> None:
    deal = server.portal.records("deals")[0]["id"]
    forward = _assoc(client, "deals/contacts", [{"id": deal}]).json()["results"][0]["to"]
    contact = str(forward[0]["toObjectId"])
    back = _assoc(client, "contacts/deals", [{"id": contact}]).json()["results"][0]["to"]
    assert int(deal) in [to["toObjectId"] for to in back]
    assert forward[0]["associationTypes"] == [
        {"category": "HUBSPOT_DEFINED", "typeId": 3, "label": None}
    ]


def test_more_than_500_associations_page_per_record(
    client: httpx.Client, server: SimulatorServer
) -> None:
    hub = server.portal.records("companies")[0]["id"]
    seen: list[int] = []
    after = None
    pages = 0
    while True:
        item = {"id": hub, **({"after": after} if after else {})}
        result = _assoc(client, "companies/contacts", [item]).json()["results"][0]
        seen.extend(to["toObjectId"] for to in result["to"])
        pages += 1
        if "paging" not in result:
            break
        after = result["paging"]["next"]["after"]

    expected = [e.to_id for e in server.portal.associations.edges("companies", "contacts", hub)]
    assert len(expected) > 600
    assert pages == (len(expected) + 499) // 500
    assert [str(i) for i in seen] == expected


def test_association_batch_read_for_unknown_ids_is_207(
    client: httpx.Client, server: SimulatorServer
) -> None:
    deal = server.portal.records("deals")[0]["id"]
    response = _assoc(client, "deals/companies", [{"id": deal}, {"id": "1"}])
    assert response.status_code == 207
    assert response.json()["numErrors"] == 1


def test_association_labels(client: httpx.Client) -> None:
    labels = client.get("/crm/v4/associations/contacts/companies/labels").json()["results"]
    assert labels == [
        {"category": "HUBSPOT_DEFINED", "typeId": 279, "label": None},
        {"category": "HUBSPOT_DEFINED", "typeId": 1, "label": "Primary"},
        {"category": "USER_DEFINED", "typeId": 1001, "label": "Billing contact"},
    ]


def test_the_paging_link_of_a_record_serves_its_next_page(
    client: httpx.Client, server: SimulatorServer
) -> None:
    hub = server.portal.records("companies")[0]["id"]
    first = _assoc(client, "companies/contacts", [{"id": hub}]).json()["results"][0]
    link = first["paging"]["next"]["link"]
    following = client.get(link).json()

    expected = [e.to_id for e in server.portal.associations.edges("companies", "contacts", hub)]
    assert [str(to["toObjectId"]) for to in following["results"]] == expected[500:1000]
    assert link.startswith(f"{server.base_url}/crm/v4/objects/0-2/{hub}/associations/0-1?")
