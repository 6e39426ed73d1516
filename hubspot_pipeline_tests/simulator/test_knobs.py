"""Behaviour knobs: paging quirks, server faults, search lag and order, URL length."""

import time

import httpx
import pytest

from hubspot_pipeline.simulator import SimulatorServer
from hubspot_pipeline_tests.simulator.conftest import AUTH, small_config


def _walk(server: SimulatorServer, limit: int) -> tuple[list[str], list[int], list[str]]:
    """Ids, page lengths and `after` values of a full list walk."""
    ids, lengths, afters = [], [], []
    params: dict = {"limit": limit}
    with httpx.Client(base_url=server.base_url, headers=AUTH) as http:
        for _ in range(200):
            body = http.get("/crm/v3/objects/contacts", params=params).json()
            ids.extend(r["id"] for r in body["results"])
            lengths.append(len(body["results"]))
            if "paging" not in body:
                return ids, lengths, afters
            afters.append(body["paging"]["next"]["after"])
            params["after"] = afters[-1]
    raise AssertionError("the walk did not end")


def test_short_and_empty_pages_still_carry_paging() -> None:
    config = small_config(contacts=120, short_page_share=0.7, opaque_after=True)
    with SimulatorServer(config) as server:
        ids, lengths, afters = _walk(server, limit=10)
        expected = sorted(server.portal.ids("contacts"), key=int)

    assert ids == expected
    assert 0 in lengths[:-1], "some page before the last is empty"
    assert any(0 < n < 10 for n in lengths[:-1]), "some page before the last is short"
    assert not any(after.isdigit() for after in afters), "after is opaque"


def test_same_seed_same_pages() -> None:
    config = dict(contacts=60, short_page_share=0.5, opaque_after=True)
    walks = []
    for _ in range(2):
        with SimulatorServer(small_config(**config)) as server:
            walks.append(_walk(server, limit=7))
    assert walks[0] == walks[1]


def test_plain_paging_has_full_pages_and_a_last_page_without_paging() -> None:
    with SimulatorServer(small_config(contacts=25)) as server:
        _ids, lengths, afters = _walk(server, limit=10)
    assert lengths == [10, 10, 5]
    assert all(after.isdigit() for after in afters)


@pytest.mark.parametrize(
    ("status", "content_type"),
    [
        pytest.param(500, "application/json;charset=utf-8", id="500-json"),
        pytest.param(502, "text/html; charset=utf-8", id="502-html"),
        pytest.param(503, "text/html; charset=utf-8", id="503-html"),
        pytest.param(504, "text/html; charset=utf-8", id="504-html"),
    ],
)
def test_server_error_rates(status: int, content_type: str) -> None:
    with SimulatorServer(small_config(error_rates={status: 1.0})) as server:
        response = httpx.get(f"{server.base_url}/crm/v3/objects/contacts", headers=AUTH)
        faults = server.stats()["faults"]
    assert response.status_code == status
    assert response.headers["content-type"] == content_type
    assert faults == {str(status): 1}


def test_a_share_of_errors_is_seeded() -> None:
    runs = []
    for _ in range(2):
        with SimulatorServer(small_config(error_rates={503: 0.3})) as server:
            statuses = [
                httpx.get(f"{server.base_url}/crm/v3/objects/deals", headers=AUTH).status_code
                for _ in range(40)
            ]
            runs.append(statuses)
            assert server.stats()["faults"].get("503", 0) == statuses.count(503)
    assert runs[0] == runs[1]
    assert 4 <= runs[0].count(503) <= 20
    assert set(runs[0]) == {200, 503}


def test_timeout_stalls_until_the_client_gives_up() -> None:
    with SimulatorServer(small_config(timeout_share=1.0, timeout_seconds=20)) as server:
        started = time.monotonic()
        with pytest.raises(httpx.ReadTimeout):
            httpx.get(f"{server.base_url}/crm/v3/objects/contacts", headers=AUTH, timeout=0.3)
        assert server.stats()["faults"] == {"timeout": 1}
    # The server stopped without waiting out its 20 s stall.
    assert time.monotonic() - started < 10


@pytest.mark.parametrize(
    ("knob", "errors"),
    [
        pytest.param("reset_share", (httpx.ReadError, httpx.RemoteProtocolError), id="reset"),
        pytest.param("truncate_share", (httpx.RemoteProtocolError,), id="truncated-body"),
    ],
)
def test_connection_faults(knob: str, errors: tuple[type[Exception], ...]) -> None:
    with SimulatorServer(small_config(**{knob: 1.0})) as server:
        with pytest.raises(errors):
            httpx.get(f"{server.base_url}/crm/v3/objects/contacts", headers=AUTH)
        server.configure(**{knob: 0.0})
        after = httpx.get(f"{server.base_url}/crm/v3/objects/contacts", headers=AUTH)
    assert after.status_code == 200


def _search_first_names(http: httpx.Client, name: str) -> list[str]:
    body = {
        "filterGroups": [
            {"filters": [{"propertyName": "firstname", "operator": "EQ", "value": name}]}
        ]
    }
    return [
        r["id"] for r in http.post("/crm/v3/objects/contacts/search", json=body).json()["results"]
    ]


def test_search_index_lags_behind_writes() -> None:
    with SimulatorServer(small_config(search_lag_seconds=1.0)) as server:
        record = server.portal.records("contacts")[0]
        with httpx.Client(base_url=server.base_url, headers=AUTH) as http:
            http.patch(
                f"/crm/v3/objects/contacts/{record['id']}",
                json={"properties": {"firstname": "Zebulon"}},
            ).raise_for_status()
            read = http.get(f"/crm/v3/objects/contacts/{record['id']}").json()
            at_once = _search_first_names(http, "Zebulon")
            time.sleep(1.2)
            later = _search_first_names(http, "Zebulon")
    assert read["properties"]["firstname"] == "Zebulon"
    assert at_once == []
    assert later == [record["id"]]


def test_search_results_out_of_order() -> None:
    body = {"sorts": [{"propertyName": "hs_object_id", "direction": "ASCENDING"}], "limit": 20}
    pages = []
    for share in (0.0, 1.0):
        with SimulatorServer(small_config(search_shuffle_share=share)) as server:
            response = httpx.post(
                f"{server.base_url}/crm/v3/objects/contacts/search", json=body, headers=AUTH
            )
            pages.append([int(r["id"]) for r in response.json()["results"]])
    ordered, shuffled = pages
    assert ordered == sorted(ordered)
    assert shuffled != ordered
    assert sorted(shuffled) == ordered


@pytest.mark.parametrize(
    ("properties", "status"),
    [
        pytest.param(["email"], 200, id="short-url"),
        pytest.param([f"property_{n}" for n in range(40)], 414, id="long-url"),
    ],
)
def test_url_length_limit(properties: list[str], status: int) -> None:
    with SimulatorServer(small_config(max_url_length=300)) as server:
        response = httpx.get(
            f"{server.base_url}/crm/v3/objects/contacts",
            params={"properties": ",".join(properties)},
            headers=AUTH,
        )
    assert response.status_code == status


def test_latency_per_request_and_per_property() -> None:
    with SimulatorServer(small_config(latency_ms=150, latency_per_property_ms=20)) as server:
        started = time.monotonic()
        httpx.get(f"{server.base_url}/crm/v3/objects/contacts", headers=AUTH)
        plain = time.monotonic() - started
        names = ",".join(p["name"] for p in server.portal.properties("contacts")[:20])
        started = time.monotonic()
        httpx.get(
            f"{server.base_url}/crm/v3/objects/contacts", params={"properties": names}, headers=AUTH
        )
        wide = time.monotonic() - started
    # 150 ms plus 20 ms for each of the 3 always-added properties; then 20 properties.
    assert plain >= 0.21
    assert wide >= 0.15 + 0.02 * 21


@pytest.mark.parametrize(
    ("properties", "status"),
    [
        pytest.param(["email"], 200, id="short-body"),
        pytest.param([f"property_{n}" for n in range(300)], 400, id="body-over-3000-chars"),
    ],
)
def test_search_body_length_limit(properties: list[str], status: int) -> None:
    with SimulatorServer(small_config(max_search_body_chars=3000)) as server:
        response = httpx.post(
            f"{server.base_url}/crm/v3/objects/contacts/search",
            json={"properties": properties},
            headers=AUTH,
        )
    assert response.status_code == status
