"""The generated portal: determinism, timestamps, hot days and property catalogs."""

from collections import Counter
from datetime import timedelta

import pytest

from hubspot_pipeline.simulator import Portal, SimulatorServer
from hubspot_pipeline.simulator.objects import OBJECT_TYPES as ALL_TYPES
from hubspot_pipeline_tests.simulator.conftest import END, HOT_COUNT, HOT_DAY, small_config

OBJECT_TYPES = ["contacts", "companies", "deals", "tickets"]
LAST_MODIFIED = {
    "contacts": "lastmodifieddate",
    "companies": "hs_lastmodifieddate",
    "deals": "hs_lastmodifieddate",
    "tickets": "hs_lastmodifieddate",
}
CATALOG_FIELDS = {
    "name",
    "label",
    "type",
    "fieldType",
    "description",
    "groupName",
    "options",
    "displayOrder",
    "calculated",
    "externalOptions",
    "hasUniqueValue",
    "hidden",
    "hubspotDefined",
    "formField",
    "modificationMetadata",
    "createdAt",
    "updatedAt",
    "archived",
}
OPTIONAL_FIELDS = {"dataSensitivity", "referencedObjectType", "calculationFormula"}
CATALOG_SIZES = {"contacts": 253, "companies": 132, "deals": 88, "tickets": 46}


def test_same_seed_gives_identical_data() -> None:
    config = small_config(contacts=300, companies=50)
    first, second = Portal(config), Portal(config)
    for object_type in OBJECT_TYPES:
        assert first.records(object_type) == second.records(object_type)


def test_other_seed_gives_other_data() -> None:
    first = Portal(small_config(contacts=300))
    second = Portal(small_config(contacts=300, seed=8))
    assert first.records("contacts") != second.records("contacts")
    assert len(second.records("contacts")) == 300


def test_counts_and_ids(server: SimulatorServer) -> None:
    portal = server.portal
    expected = {"contacts": 10_500, "companies": 400, "deals": 600 + HOT_COUNT, "tickets": 300}
    for object_type, count in expected.items():
        ids = [record["id"] for record in portal.records(object_type)]
        assert len(ids) == count
        assert len(set(ids)) == count
        assert portal.ids(object_type) == set(ids)
        assert all(record_id.isdigit() for record_id in ids)
        assert ids == sorted(ids, key=int)


@pytest.mark.parametrize("object_type", OBJECT_TYPES)
def test_record_shape(server: SimulatorServer, object_type: str) -> None:
    last_modified = LAST_MODIFIED[object_type]
    assert server.portal.last_modified_property(object_type) == last_modified
    oldest = (END - timedelta(days=365)).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    newest = END.strftime("%Y-%m-%dT%H:%M:%S.000Z")
    nulls = 0
    for record in server.portal.records(object_type):
        props = record["properties"]
        assert set(record) == {"id", "properties", "createdAt", "updatedAt", "archived"}
        assert record["archived"] is False
        assert props["hs_object_id"] == record["id"]
        assert props["createdate"] == record["createdAt"]
        assert props[last_modified] == record["updatedAt"]
        assert record["createdAt"] <= record["updatedAt"] <= newest
        assert len(record["updatedAt"]) == 24
        assert record["updatedAt"].endswith("Z")
        assert all(value is None or isinstance(value, str) for value in props.values())
        nulls += sum(value is None for value in props.values())
        if object_type != "deals":  # deals include hot-day records created before the window
            assert record["createdAt"] >= oldest
    assert nulls > 0


def test_shared_timestamps_come_in_clusters() -> None:
    portal = Portal(small_config(contacts=2_000, shared_timestamp_share=0.1))
    stamps = Counter(record["updatedAt"] for record in portal.records("contacts"))
    shared = {stamp: n for stamp, n in stamps.items() if n > 1}
    # Exactly the planned share shares a millisecond, in clusters of 2 to 8 records.
    assert sum(shared.values()) == 200
    # A lone leftover joins the last cluster, so one cluster may hold 9.
    assert min(shared.values()) >= 2
    assert max(shared.values()) <= 9


def test_no_shared_timestamps_when_share_is_zero() -> None:
    portal = Portal(small_config(contacts=2_000, shared_timestamp_share=0.0))
    stamps = Counter(record["updatedAt"] for record in portal.records("contacts"))
    assert max(stamps.values()) == 1


def test_hot_day_adds_count_records_on_that_day(server: SimulatorServer) -> None:
    plain = Portal(small_config(contacts=10, companies=400, deals=600, tickets=300))

    def on_hot_day(portal: Portal) -> list[str]:
        prefix = HOT_DAY.isoformat()
        return [r["updatedAt"] for r in portal.records("deals") if r["updatedAt"][:10] == prefix]

    hot = on_hot_day(server.portal)
    assert len(hot) - len(on_hot_day(plain)) == HOT_COUNT
    clusters = Counter(hot)
    assert max(clusters.values()) >= 50
    assert sum(n for n in clusters.values() if n >= 50) >= HOT_COUNT - 50


def test_hot_day_does_not_change_ordinary_records(server: SimulatorServer) -> None:
    plain = Portal(small_config(contacts=10, companies=400, deals=600, tickets=300))
    assert server.portal.records("deals")[:600] == plain.records("deals")


def test_big_hot_day_generates_fast() -> None:
    config = small_config(contacts=1_000, hot_days=[("contacts", HOT_DAY, 12_000)])
    portal = Portal(config)
    day = [r for r in portal.records("contacts") if r["updatedAt"].startswith("2026-07-20")]
    assert len(day) >= 12_000


def test_hot_day_after_end_is_refused() -> None:
    with pytest.raises(ValueError, match="lies after the end"):
        Portal(small_config(hot_days=[("contacts", END.date() + timedelta(days=1), 10)]))


@pytest.mark.parametrize("object_type", OBJECT_TYPES)
def test_catalog_shape(server: SimulatorServer, object_type: str) -> None:
    catalog = server.portal.properties(object_type)
    by_name = {entry["name"]: entry for entry in catalog}
    assert len(catalog) == CATALOG_SIZES[object_type]
    assert len(by_name) == len(catalog)
    for entry in catalog:
        # Like HubSpot, custom properties carry no hubspotDefined flag (samples/properties_*).
        expected = (
            CATALOG_FIELDS if entry.get("hubspotDefined") else CATALOG_FIELDS - {"hubspotDefined"}
        )
        assert set(entry) - OPTIONAL_FIELDS == expected
        assert set(entry["modificationMetadata"]) == {
            "archivable",
            "readOnlyDefinition",
            "readOnlyValue",
        }
    assert by_name["createdate"]["type"] == "datetime"
    assert by_name["hs_object_id"]["type"] == "number"
    assert by_name[LAST_MODIFIED[object_type]]["type"] == "datetime"
    assert by_name["hubspot_owner_id"]["referencedObjectType"] == "OWNER"
    types = {entry["type"] for entry in catalog}
    assert {"string", "number", "enumeration", "bool", "date", "datetime"} <= types
    assert any(entry["fieldType"] == "checkbox" for entry in catalog)
    assert any(entry["calculated"] for entry in catalog)
    record_properties = set().union(*(r["properties"] for r in server.portal.records(object_type)))
    assert record_properties == set(by_name)


def test_contacts_carry_every_property_type(server: SimulatorServer) -> None:
    catalog = server.portal.properties("contacts")
    types = {entry["type"] for entry in catalog}
    field_types = {entry["fieldType"] for entry in catalog}
    assert types == {
        "string",
        "number",
        "date",
        "datetime",
        "enumeration",
        "bool",
        "phone_number",
        "json",
        "object_coordinates",
    }
    assert {"text", "textarea", "html", "file", "phonenumber", "number", "date", "select"} <= (
        field_types
    )
    assert {"radio", "checkbox", "booleancheckbox", "calculation_equation"} <= field_types
    calculated = [e for e in catalog if e["calculated"]]
    assert calculated
    assert all(e["fieldType"] == "calculation_equation" for e in calculated)
    assert all(e["calculationFormula"] for e in calculated)


def test_multi_select_values_are_known_options(server: SimulatorServer) -> None:
    options = {
        o["value"]
        for o in next(
            e for e in server.portal.properties("tickets") if e["name"] == "hs_ticket_category"
        )["options"]
    }
    values = [r["properties"]["hs_ticket_category"] for r in server.portal.records("tickets")]
    joined = [value for value in values if value and ";" in value]
    assert joined
    assert all(set(value.split(";")) <= options for value in values if value)


def test_same_seed_same_portal_for_every_object_type() -> None:
    first, second = Portal(small_config()), Portal(small_config())
    for object_type in ALL_TYPES:
        assert first.records(object_type) == second.records(object_type), object_type
        assert first.archived_records(object_type) == second.archived_records(object_type)
        assert first.merged_ids(object_type) == second.merged_ids(object_type)
    for contact in first.ids("contacts"):
        assert first.associations.edges("contacts", "companies", contact) == (
            second.associations.edges("contacts", "companies", contact)
        )
    other = Portal(small_config(seed=8))
    assert other.records("calls") != first.records("calls")
