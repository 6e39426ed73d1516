"""Every response kind the project uses, checked against JSON schemas of our own that were
written from the facts sheet; the facts sheet's samples pass the same schemas.
"""

import json
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource

from hubspot_pipeline.simulator import SimulatorServer
from hubspot_pipeline_tests.simulator.conftest import AUTH, small_config

SCHEMAS = Path(__file__).parent / "schemas"
SAMPLES = Path(__file__).parents[1] / "fixtures" / "hubspot_samples"
FIXTURES = Path(__file__).parent / "fixtures"


def _registry() -> Registry:
    resources = []
    for path in SCHEMAS.glob("*.json"):
        schema = json.loads(path.read_text())
        resources.append((schema["$id"], Resource.from_contents(schema)))
    return Registry().with_resources(resources)


REGISTRY = _registry()


def validate(kind: str, body: object) -> None:
    schema = json.loads((SCHEMAS / f"{kind}.json").read_text())
    Draft202012Validator(schema, registry=REGISTRY, format_checker=FormatChecker()).validate(body)


def _first(server: SimulatorServer, object_type: str) -> str:
    return server.portal.records(object_type)[0]["id"]


Call = Callable[[httpx.Client, SimulatorServer], httpx.Response]

CASES: list[tuple[str, str, int, Call]] = [
    ("list-contacts", "list_page", 200, lambda c, s: c.get("/crm/v3/objects/contacts?limit=100")),
    (
        "list-all-properties",
        "list_page",
        200,
        lambda c, s: c.get(
            "/crm/v3/objects/contacts",
            params={"properties": ",".join(p["name"] for p in s.portal.properties("contacts"))},
        ),
    ),
    (
        "list-with-history",
        "list_page",
        200,
        lambda c, s: c.get("/crm/v3/objects/deals?propertiesWithHistory=amount,dealstage"),
    ),
    ("list-archived", "list_page", 200, lambda c, s: c.get("/crm/v3/objects/deals?archived=true")),
    ("list-custom-object", "list_page", 200, lambda c, s: c.get("/crm/v3/objects/2-3465404")),
    ("list-calls", "list_page", 200, lambda c, s: c.get("/crm/v3/objects/calls")),
    (
        "get-one",
        "record",
        200,
        lambda c, s: c.get(f"/crm/v3/objects/tickets/{_first(s, 'tickets')}"),
    ),
    (
        "search",
        "search_page",
        200,
        lambda c, s: c.post("/crm/v3/objects/contacts/search", json={"limit": 200}),
    ),
    (
        "batch-read",
        "batch_read",
        200,
        lambda c, s: c.post(
            "/crm/v3/objects/deals/batch/read",
            json={"inputs": [{"id": r["id"]} for r in s.portal.records("deals")[:100]]},
        ),
    ),
    (
        "batch-read-207",
        "batch_read",
        207,
        lambda c, s: c.post(
            "/crm/v3/objects/deals/batch/read",
            json={"inputs": [{"id": _first(s, "deals")}, {"id": "1"}]},
        ),
    ),
    ("properties", "properties", 200, lambda c, s: c.get("/crm/v3/properties/contacts")),
    ("properties-quotes", "properties", 200, lambda c, s: c.get("/crm/v3/properties/quotes")),
    ("owners", "owners_page", 200, lambda c, s: c.get("/crm/v3/owners?limit=5")),
    ("owners-archived", "owners_page", 200, lambda c, s: c.get("/crm/v3/owners?archived=true")),
    ("pipelines-deals", "pipelines", 200, lambda c, s: c.get("/crm/v3/pipelines/deals")),
    ("pipelines-tickets", "pipelines", 200, lambda c, s: c.get("/crm/v3/pipelines/tickets")),
    ("schemas", "schemas", 200, lambda c, s: c.get("/crm-object-schemas/v3/schemas")),
    (
        "associations",
        "assoc_v4_batch",
        200,
        lambda c, s: c.post(
            "/crm/v4/associations/companies/contacts/batch/read",
            json={"inputs": [{"id": r["id"]} for r in s.portal.records("companies")[:3]]},
        ),
    ),
    ("error-404", "error", 404, lambda c, s: c.get("/crm/v3/objects/contacts/1")),
    (
        "error-400",
        "error",
        400,
        lambda c, s: c.post(
            "/crm/v3/objects/contacts/search", json={"filterGroups": [{"filters": [{}]}]}
        ),
    ),
    (
        "error-401",
        "error",
        401,
        lambda c, s: httpx.get(f"{s.base_url}/crm/v3/objects/contacts"),
    ),
]


@pytest.mark.parametrize(
    ("kind", "status", "call"), [case[1:] for case in CASES], ids=[case[0] for case in CASES]
)
def test_response_matches_its_schema(
    client: httpx.Client, server: SimulatorServer, kind: str, status: int, call: Call
) -> None:
    response = call(client, server)
    assert response.status_code == status
    validate(kind, response.json())


@pytest.mark.parametrize(
    ("knobs", "path", "kind", "status"),
    [
        pytest.param(
            {"missing_scopes": ["deals"]}, "/crm/v3/objects/deals", "error", 403, id="403"
        ),
        pytest.param(
            {"daily_limit": 0}, "/crm/v3/objects/deals", "rate_limit_error", 429, id="429"
        ),
        pytest.param({"error_rates": {500: 1.0}}, "/crm/v3/owners", "error", 500, id="500"),
        pytest.param(
            {"search_per_second": 0},
            "/crm/v3/objects/deals/search",
            "rate_limit_error",
            429,
            id="search-429",
        ),
    ],
)
def test_error_kinds_match_their_schemas(knobs: dict, path: str, kind: str, status: int) -> None:
    with SimulatorServer(small_config(**knobs)) as server:
        if path.endswith("/search"):
            response = httpx.post(f"{server.base_url}{path}", json={}, headers=AUTH)
        else:
            response = httpx.get(f"{server.base_url}{path}", headers=AUTH)
    assert response.status_code == status
    validate(kind, response.json())


def test_oauth_answers_match_their_schemas() -> None:
    secrets = {"oauth_client_id": "id", "oauth_client_secret": "s", "oauth_refresh_token": "r"}
    with SimulatorServer(small_config(token_lifetime_seconds=1, **secrets)) as server:
        form = {"grant_type": "refresh_token", "client_id": "id", "client_secret": "s"}
        token = httpx.post(f"{server.base_url}/oauth/v1/token", data={**form, "refresh_token": "r"})
        time.sleep(1.1)
        expired = httpx.get(
            f"{server.base_url}/crm/v3/objects/contacts",
            headers={"Authorization": f"Bearer {token.json()['access_token']}"},
        )
    validate("oauth_token", token.json())
    assert expired.status_code == 401
    validate("error", expired.json())


@pytest.mark.parametrize(
    ("sample", "kind"),
    [
        ("list_contacts_page.json", "list_page"),
        ("list_contacts_last_page.json", "list_page"),
        ("list_archived_deals_page.json", "list_page"),
        ("search_deals_page.json", "search_page"),
        ("batch_read_contacts_200.json", "batch_read"),
        ("error_401_expired_authentication.json", "error"),
        ("error_403_missing_scopes.json", "error"),
        ("error_404_object_not_found.json", "error"),
        ("error_429_daily.json", "rate_limit_error"),
        ("error_429_ten_secondly.json", "rate_limit_error"),
    ],
)
def test_facts_samples_match_the_same_schemas(sample: str, kind: str) -> None:
    path = SAMPLES / sample
    if not path.exists():
        pytest.skip(f"{sample} is not among the copied samples")
    validate(kind, json.loads(path.read_text())["response"]["body"])


def test_the_webhook_sample_matches_its_schema() -> None:
    validate("webhook_batch", json.loads((FIXTURES / "webhook_batch.body.txt").read_text()))


def test_a_schema_rejects_a_wrong_shape() -> None:
    with pytest.raises(Exception, match="is a required property"):
        validate("list_page", {"results": [{"id": "1", "properties": {}}]})
