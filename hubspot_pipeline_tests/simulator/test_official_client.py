"""HubSpot's own Python client, generated from HubSpot's API specification, reads the
simulator into its models with client-side validation on: a check no one here wrote.
"""

import pytest
from hubspot import HubSpot
from hubspot.crm.associations.v4 import (
    BatchInputPublicFetchAssociationsBatchRequest,
    PublicFetchAssociationsBatchRequest,
)
from hubspot.crm.contacts import (
    BatchReadInputSimplePublicObjectId,
    Filter,
    FilterGroup,
    PublicObjectSearchRequest,
    SimplePublicObjectId,
)

from hubspot_pipeline.simulator import SimulatorServer


@pytest.fixture(scope="module")
def official(server: SimulatorServer) -> HubSpot:
    return HubSpot(access_token="test-token", host=server.base_url, client_side_validation=True)


def test_list_deserializes(official: HubSpot, server: SimulatorServer) -> None:
    page = official.crm.contacts.basic_api.get_page(
        limit=5, properties=["email", "hs_buying_role"], properties_with_history=["email"]
    )
    expected = server.portal.records("contacts")[:5]
    assert [r.id for r in page.results] == [r["id"] for r in expected]
    assert page.results[0].properties["email"] == expected[0]["properties"]["email"]
    assert page.paging.next.after == server.portal.records("contacts")[5]["id"]
    assert page.results[0].properties_with_history["email"][0].value is not None


def test_archived_list_deserializes(official: HubSpot, server: SimulatorServer) -> None:
    page = official.crm.deals.basic_api.get_page(limit=3, archived=True)
    assert [r.archived for r in page.results] == [True, True, True]
    assert all(r.archived_at is not None for r in page.results)


def test_search_deserializes(official: HubSpot, server: SimulatorServer) -> None:
    request = PublicObjectSearchRequest(
        filter_groups=[
            FilterGroup(
                filters=[Filter(property_name="lifecyclestage", operator="EQ", value="lead")]
            )
        ],
        properties=["email", "lifecyclestage"],
        limit=20,
    )
    result = official.crm.contacts.search_api.do_search(public_object_search_request=request)
    leads = [
        r for r in server.portal.records("contacts") if r["properties"]["lifecyclestage"] == "lead"
    ]
    assert result.total == len(leads)
    assert {r.properties["lifecyclestage"] for r in result.results} == {"lead"}


def test_batch_read_deserializes_including_207(official: HubSpot, server: SimulatorServer) -> None:
    ids = [r["id"] for r in server.portal.records("contacts")[:3]]
    request = BatchReadInputSimplePublicObjectId(
        inputs=[SimplePublicObjectId(id=i) for i in [*ids, "79999"]],
        properties=["email"],
        properties_with_history=[],
    )
    result = official.crm.contacts.batch_api.read(batch_read_input_simple_public_object_id=request)
    assert result.status == "COMPLETE"
    assert sorted(r.id for r in result.results) == sorted(ids)
    assert result.num_errors == 1
    assert result.errors[0].context == {"ids": ["79999"]}


def test_properties_deserialize(official: HubSpot, server: SimulatorServer) -> None:
    for object_type in ("contacts", "companies", "deals", "tickets", "line_items", "calls"):
        result = official.crm.properties.core_api.get_all(object_type=object_type)
        assert len(result.results) == len(server.portal.properties(object_type))
    calculated = [p for p in result.results if p.calculated]
    assert calculated == [] or all(p.field_type == "calculation_equation" for p in calculated)


def test_owners_deserialize(official: HubSpot) -> None:
    active = official.crm.owners.owners_api.get_page(limit=100)
    archived = official.crm.owners.owners_api.get_page(archived=True)
    assert len(active.results) == 20
    assert active.results[0].teams[0].primary is True
    assert [o.user_id for o in archived.results] == [None, None, None]


def test_pipelines_deserialize(official: HubSpot) -> None:
    deals = official.crm.pipelines.pipelines_api.get_all(object_type="deals")
    tickets = official.crm.pipelines.pipelines_api.get_all(object_type="tickets")
    assert [s.id for s in deals.results[0].stages][-2:] == ["closedwon", "closedlost"]
    assert tickets.results[0].stages[-1].metadata == {"ticketState": "CLOSED"}


def test_associations_deserialize(official: HubSpot, server: SimulatorServer) -> None:
    hub = server.portal.records("companies")[0]["id"]
    request = BatchInputPublicFetchAssociationsBatchRequest(
        inputs=[PublicFetchAssociationsBatchRequest(id=hub)]
    )
    result = official.crm.associations.v4.batch_api.get_page(
        from_object_type="companies",
        to_object_type="contacts",
        batch_input_public_fetch_associations_batch_request=request,
    )
    first = result.results[0]
    assert len(first.to) == 500
    assert first.paging.next.after
    assert first.to[0].association_types[0].category == "HUBSPOT_DEFINED"


def test_schemas_and_custom_objects_deserialize(official: HubSpot, server: SimulatorServer) -> None:
    schemas = official.crm.schemas.core_api.get_all()
    object_type = schemas.results[0].object_type_id
    page = official.crm.objects.basic_api.get_page(object_type=object_type, limit=2)
    assert schemas.results[0].fully_qualified_name == "p1234567_cars"
    assert [r.id for r in page.results] == [r["id"] for r in server.portal.records("cars")[:2]]


def test_single_read_follows_a_merged_id(official: HubSpot, server: SimulatorServer) -> None:
    merged_id, survivor = next(iter(server.portal.merged_ids("companies").items()))
    record = official.crm.companies.basic_api.get_by_id(company_id=merged_id)
    assert record.id == survivor
