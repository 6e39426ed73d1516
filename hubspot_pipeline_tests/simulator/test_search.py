"""`POST /crm/v3/objects/{objectType}/search`: filters, sorts, offset paging and the cap.

Expected results are computed here straight from the generated records, independently of
the simulator's own indexes.
"""

from collections.abc import Callable
from datetime import UTC, datetime

import httpx
import pytest

from hubspot_pipeline.simulator import SimulatorServer
from hubspot_pipeline_tests.simulator.conftest import HOT_COUNT, HOT_DAY

JULY_1_MS = int(datetime(2026, 7, 1, tzinfo=UTC).timestamp() * 1000)
JULY_15_MS = int(datetime(2026, 7, 15, tzinfo=UTC).timestamp() * 1000)


def ms(iso: str | None) -> int | None:
    if iso is None:
        return None
    return int(datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp() * 1000)


def search(client: httpx.Client, object_type: str, body: dict) -> httpx.Response:
    return client.post(f"/crm/v3/objects/{object_type}/search", json=body)


def one_group(*filters: dict) -> dict:
    return {"filterGroups": [{"filters": list(filters)}]}


Record = dict
CASES: list = [
    pytest.param(
        "deals",
        one_group(
            {"propertyName": "hs_lastmodifieddate", "operator": "GTE", "value": str(JULY_1_MS)}
        ),
        lambda r: ms(r["updatedAt"]) >= JULY_1_MS,
        id="lastmodified-gte-epoch-ms",
    ),
    pytest.param(
        "contacts",
        one_group(
            {
                "propertyName": "lastmodifieddate",
                "operator": "BETWEEN",
                "value": "2026-07-01T00:00:00.000Z",
                "highValue": "2026-07-15T00:00:00Z",
            }
        ),
        lambda r: JULY_1_MS <= ms(r["updatedAt"]) <= JULY_15_MS,
        id="lastmodified-between-iso",
    ),
    pytest.param(
        "deals",
        one_group({"propertyName": "dealstage", "operator": "EQ", "value": "closedwon"}),
        lambda r: r["properties"]["dealstage"] == "closedwon",
        id="enumeration-eq",
    ),
    pytest.param(
        "deals",
        one_group({"propertyName": "dealstage", "operator": "EQ", "value": "CLOSEDWON"}),
        lambda r: False,
        id="enumeration-eq-is-case-sensitive",
    ),
    pytest.param(
        "contacts",
        one_group({"propertyName": "firstname", "operator": "EQ", "value": "JAMES"}),
        lambda r: (r["properties"]["firstname"] or "").lower() == "james",
        id="string-eq-ignores-case",
    ),
    pytest.param(
        "tickets",
        one_group(
            {"propertyName": "hs_ticket_priority", "operator": "IN", "values": ["HIGH", "URGENT"]}
        ),
        lambda r: r["properties"]["hs_ticket_priority"] in ("HIGH", "URGENT"),
        id="in",
    ),
    pytest.param(
        "tickets",
        one_group(
            {
                "propertyName": "hs_ticket_priority",
                "operator": "NOT_IN",
                "values": ["HIGH", "URGENT"],
            }
        ),
        lambda r: r["properties"]["hs_ticket_priority"] not in ("HIGH", "URGENT"),
        id="not-in-includes-empty",
    ),
    pytest.param(
        "tickets",
        one_group(
            {"propertyName": "hs_ticket_category", "operator": "EQ", "value": "BILLING_ISSUE"}
        ),
        lambda r: "BILLING_ISSUE" in (r["properties"]["hs_ticket_category"] or "").split(";"),
        id="multi-select-eq-matches-one-option",
    ),
    pytest.param(
        "companies",
        one_group({"propertyName": "annualrevenue", "operator": "NOT_HAS_PROPERTY"}),
        lambda r: r["properties"]["annualrevenue"] is None,
        id="not-has-property",
    ),
    pytest.param(
        "companies",
        one_group(
            {"propertyName": "numberofemployees", "operator": "GT", "value": "15000"},
            {"propertyName": "is_public", "operator": "EQ", "value": "true"},
        ),
        lambda r: (
            float(r["properties"]["numberofemployees"] or 0) > 15000
            and r["properties"]["is_public"] == "true"
        ),
        id="number-gt-and-bool",
    ),
    pytest.param(
        "deals",
        {
            "filterGroups": [
                {
                    "filters": [
                        {"propertyName": "dealstage", "operator": "EQ", "value": "closedwon"}
                    ]
                },
                {"filters": [{"propertyName": "amount", "operator": "LT", "value": "1000"}]},
            ]
        },
        lambda r: (
            r["properties"]["dealstage"] == "closedwon"
            or float(r["properties"]["amount"] or 10**9) < 1000
        ),
        id="groups-are-ored",
    ),
    pytest.param(
        "contacts",
        one_group(
            {"propertyName": "hs_object_id", "operator": "GT", "value": "10020000"},
            {"propertyName": "hs_object_id", "operator": "LTE", "value": "10020100"},
        ),
        lambda r: 10020000 < int(r["id"]) <= 10020100,
        id="object-id-range-is-numeric",
    ),
    pytest.param(
        "contacts",
        one_group({"propertyName": "nonexistent", "operator": "HAS_PROPERTY"}),
        lambda r: False,
        id="unknown-property-has-no-value",
    ),
]


@pytest.mark.parametrize(("object_type", "body", "matches"), CASES)
def test_filters(
    client: httpx.Client,
    server: SimulatorServer,
    object_type: str,
    body: dict,
    matches: Callable[[Record], bool],
) -> None:
    expected = [r for r in server.portal.records(object_type) if matches(r)]
    expected.sort(key=lambda r: (r["createdAt"], int(r["id"])))
    got: list[str] = []
    after = "0"
    while True:
        response = search(client, object_type, {**body, "limit": 200, "after": after})
        assert response.status_code == 200
        page = response.json()
        assert page["total"] == len(expected)
        got.extend(record["id"] for record in page["results"])
        if "paging" not in page:
            break
        after = page["paging"]["next"]["after"]
        assert after == str(len(got))
    assert got == [r["id"] for r in expected]


@pytest.mark.parametrize(
    ("sorts", "descending"),
    [
        pytest.param(
            [{"propertyName": "hs_lastmodifieddate", "direction": "ASCENDING"}],
            False,
            id="object-ascending",
        ),
        pytest.param(
            [{"propertyName": "hs_lastmodifieddate", "direction": "DESCENDING"}],
            True,
            id="object-descending",
        ),
        pytest.param(["hs_lastmodifieddate"], False, id="string-ascending"),
        pytest.param(["-hs_lastmodifieddate"], True, id="string-descending"),
    ],
)
def test_sort_on_last_modified_breaks_ties_by_id(
    client: httpx.Client, server: SimulatorServer, sorts: list, descending: bool
) -> None:
    day_start = int(datetime(2026, 7, 20, tzinfo=UTC).timestamp() * 1000)
    body = one_group(
        {
            "propertyName": "hs_lastmodifieddate",
            "operator": "BETWEEN",
            "value": str(day_start),
            "highValue": str(day_start + 86_399_999),
        }
    )
    records = [r for r in server.portal.records("deals") if r["updatedAt"][:10] == "2026-07-20"]
    records.sort(key=lambda r: int(r["id"]))
    records.sort(key=lambda r: r["updatedAt"], reverse=descending)
    got = []
    for after in range(0, len(records), 200):
        page = search(
            client, "deals", {**body, "sorts": sorts, "limit": 200, "after": str(after)}
        ).json()
        got.extend(r["id"] for r in page["results"])
    assert got == [r["id"] for r in records]


def test_hot_day_is_visible_to_search(client: httpx.Client, server: SimulatorServer) -> None:
    day_start = int(datetime.combine(HOT_DAY, datetime.min.time(), UTC).timestamp() * 1000)
    body = one_group(
        {"propertyName": "hs_lastmodifieddate", "operator": "GTE", "value": str(day_start)},
        {
            "propertyName": "hs_lastmodifieddate",
            "operator": "LT",
            "value": str(day_start + 86_400_000),
        },
    )
    total = search(client, "deals", body).json()["total"]
    on_day = [r for r in server.portal.records("deals") if r["updatedAt"][:10] == "2026-07-20"]
    assert total == len(on_day)
    assert total >= HOT_COUNT


def test_sort_on_number_descending(client: httpx.Client, server: SimulatorServer) -> None:
    page = search(
        client, "deals", {"sorts": ["-amount"], "limit": 5, "properties": ["amount"]}
    ).json()
    records = [r for r in server.portal.records("deals") if r["properties"]["amount"]]
    records.sort(key=lambda r: int(r["id"]))
    records.sort(key=lambda r: float(r["properties"]["amount"]), reverse=True)
    assert [r["id"] for r in page["results"]] == [r["id"] for r in records[:5]]


def test_default_properties_and_shape(client: httpx.Client, server: SimulatorServer) -> None:
    page = search(client, "companies", {"limit": 2}).json()
    first = min(server.portal.records("companies"), key=lambda r: (r["createdAt"], int(r["id"])))
    assert page["total"] == 400
    assert page["paging"] == {"next": {"after": "2"}}
    assert page["results"][0] == {
        "id": first["id"],
        "properties": {
            name: first["properties"][name]
            for name in ("createdate", "domain", "hs_lastmodifieddate", "hs_object_id", "name")
        },
        "createdAt": first["createdAt"],
        "updatedAt": first["updatedAt"],
        "archived": False,
    }


def test_search_has_no_rate_limit_headers(client: httpx.Client) -> None:
    response = search(client, "contacts", {"limit": 1})
    assert not [name for name in response.headers if name.lower().startswith("x-hubspot")]


@pytest.mark.parametrize(
    ("after", "limit", "status"),
    [
        pytest.param("9800", 200, 200, id="last-page-below-cap"),
        pytest.param("9999", 1, 200, id="result-10000"),
        pytest.param("10000", 1, 400, id="after-10000"),
        pytest.param("9900", 200, 400, id="page-crosses-cap"),
        pytest.param("20000", 10, 400, id="far-beyond"),
    ],
)
def test_paging_cap_at_10000(client: httpx.Client, after: str, limit: int, status: int) -> None:
    response = search(client, "contacts", {"limit": limit, "after": after})
    assert response.status_code == status
    body = response.json()
    if status == 200:
        assert body["total"] == 10_500
        assert body["paging"]["next"]["after"] == "10000"
    else:
        assert body["status"] == "error"
        assert body["category"] == "VALIDATION_ERROR"
        assert "10000" in body["message"]


def _filters(count: int) -> list[dict]:
    return [{"propertyName": "amount", "operator": "GT", "value": str(n)} for n in range(count)]


@pytest.mark.parametrize(
    ("body", "status"),
    [
        pytest.param({"limit": 200}, 200, id="limit-200"),
        pytest.param({"limit": 201}, 400, id="limit-201"),
        pytest.param({"filterGroups": [{"filters": _filters(1)}] * 5}, 200, id="5-groups"),
        pytest.param({"filterGroups": [{"filters": _filters(1)}] * 6}, 400, id="6-groups"),
        pytest.param({"filterGroups": [{"filters": _filters(6)}]}, 200, id="6-filters"),
        pytest.param({"filterGroups": [{"filters": _filters(7)}]}, 400, id="7-filters"),
        pytest.param({"filterGroups": [{"filters": _filters(6)}] * 3}, 200, id="18-total"),
        pytest.param({"filterGroups": [{"filters": _filters(5)}] * 4}, 400, id="20-total"),
        pytest.param({"sorts": ["amount", "dealname"]}, 400, id="two-sorts"),
        pytest.param(
            one_group({"propertyName": "amount", "operator": "LIKE", "value": "1"}),
            400,
            id="unknown-operator",
        ),
        pytest.param(
            one_group({"propertyName": "closedate", "operator": "GT", "value": "soon"}),
            400,
            id="bad-datetime-value",
        ),
        pytest.param({"after": "ten"}, 400, id="after-not-integer"),
    ],
)
def test_search_validation(client: httpx.Client, body: dict, status: int) -> None:
    response = search(client, "deals", body)
    assert response.status_code == status
    if status == 400:
        assert response.json()["category"] == "VALIDATION_ERROR"


def test_free_text_query(client: httpx.Client, server: SimulatorServer) -> None:
    name = server.portal.records("companies")[3]["properties"]["name"]
    word = name.split()[0].strip(",").lower()
    expected = [
        r
        for r in server.portal.records("companies")
        if any(
            word in (r["properties"][p] or "").lower()
            for p in ("name", "domain", "website", "phone")
        )
    ]
    page = search(client, "companies", {"query": word, "limit": 200}).json()
    assert page["total"] == len(expected)
