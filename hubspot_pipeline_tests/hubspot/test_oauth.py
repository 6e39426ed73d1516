"""OAuth: the simulator's token endpoint and the client's refresh, over real HTTP."""

import logging
import threading
import time
from datetime import UTC, datetime

import httpx
import pytest

from hubspot_pipeline.hubspot.client import HubSpotClient
from hubspot_pipeline.hubspot.errors import AuthError
from hubspot_pipeline.hubspot.oauth import OAuthCredentials, OAuthTokenAuth
from hubspot_pipeline.resources import HubSpotResource
from hubspot_pipeline.simulator import SimulatorConfig, SimulatorServer

CLIENT_ID = "client-id-1"
CLIENT_SECRET = "client-secret-do-not-log"
REFRESH_TOKEN = "refresh-token-do-not-log"
CREDENTIALS = OAuthCredentials(CLIENT_ID, CLIENT_SECRET, REFRESH_TOKEN)
END = datetime(2026, 7, 31, 12, tzinfo=UTC)


def _config(**overrides) -> SimulatorConfig:
    settings: dict = {
        "contacts": 30,
        "companies": 5,
        "deals": 5,
        "tickets": 5,
        "end": END,
        # Only tokens issued by the token endpoint are accepted.
        "token": "no-static-token-is-valid-here",
        "oauth_client_id": CLIENT_ID,
        "oauth_client_secret": CLIENT_SECRET,
        "oauth_refresh_token": REFRESH_TOKEN,
        "token_lifetime_seconds": 60,
    }
    settings.update(overrides)
    return SimulatorConfig(**settings)


def _refresh(base_url: str, **form) -> httpx.Response:
    data = {
        "grant_type": "refresh_token",
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "refresh_token": REFRESH_TOKEN,
        **form,
    }
    return httpx.post(f"{base_url}/oauth/v1/token", data=data)


def test_token_endpoint_issues_expiring_tokens() -> None:
    with SimulatorServer(_config(token_lifetime_seconds=1)) as server:
        issued = _refresh(server.base_url).json()
        headers = {"Authorization": f"Bearer {issued['access_token']}"}
        fresh = httpx.get(f"{server.base_url}/crm/v3/objects/contacts", headers=headers)
        time.sleep(1.1)
        expired = httpx.get(f"{server.base_url}/crm/v3/objects/contacts", headers=headers)
        refused = _refresh(server.base_url, refresh_token="wrong")

    assert issued["token_type"] == "bearer"
    assert issued["expires_in"] == 1
    assert issued["refresh_token"] == REFRESH_TOKEN
    assert fresh.status_code == 200
    # OAuth-authorized answers carry no daily rate-limit headers (FACTS §11).
    assert "X-HubSpot-RateLimit-Daily" not in fresh.headers
    assert expired.status_code == 401
    body = expired.json()
    assert body["category"] == "EXPIRED_AUTHENTICATION"
    assert body["message"].startswith("The OAuth token used to make this call expired ")
    assert list(body["context"]) == ["expire time"]
    assert refused.status_code == 400
    assert refused.json()["status"] == "BAD_REFRESH_TOKEN"


def _client(server: SimulatorServer, **auth_options) -> tuple[HubSpotClient, OAuthTokenAuth]:
    auth = OAuthTokenAuth(CREDENTIALS, server.base_url, **auth_options)
    return HubSpotClient(None, auth=auth, base_url=server.base_url, max_attempts=2), auth


def test_client_refreshes_before_the_token_expires() -> None:
    with SimulatorServer(_config(token_lifetime_seconds=3)) as server:
        client, auth = _client(server)
        with client:
            client.list_page("contacts", limit=1)
            time.sleep(2.8)  # past the refresh point (lifetime minus a tenth), before expiry
            client.list_page("contacts", limit=1)
        stats = server.stats()
    assert auth.refreshes == 2
    assert stats["http_401"] == 0


def test_client_refreshes_once_on_a_401() -> None:
    # A clock that never advances: the client believes its token is fresh forever.
    with SimulatorServer(_config(token_lifetime_seconds=1)) as server:
        client, auth = _client(server, clock=lambda: 0.0)
        with client:
            client.list_page("contacts", limit=1)
            time.sleep(1.1)
            page = client.list_page("contacts", limit=1)
        stats = server.stats()
    assert len(page["results"]) == 1
    assert auth.refreshes == 2
    assert stats["http_401"] == 1


def test_one_refresh_for_many_waiting_threads() -> None:
    with SimulatorServer(_config(latency_ms=50)) as server:
        client, auth = _client(server)
        barrier = threading.Barrier(8)
        failures: list[BaseException] = []

        def work() -> None:
            barrier.wait()
            try:
                client.list_page("contacts", limit=1)
            except BaseException as exc:  # collected for the assertion below
                failures.append(exc)

        threads = [threading.Thread(target=work) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        client.close()
        refreshes = server.token_refreshes
    assert failures == []
    assert auth.refreshes == 1
    assert refreshes == 1


def test_a_429_from_the_token_endpoint_is_waited_out() -> None:
    with SimulatorServer(_config(token_429s=2)) as server:
        client, auth = _client(server)
        started = time.monotonic()
        with client:
            client.list_page("contacts", limit=1)
        waited = time.monotonic() - started
        token_requests = server.stats()["by_endpoint"]["oauth_token"]
    assert token_requests == 3
    assert auth.refreshes == 1
    # Retry-After: 1 on each 429.
    assert waited >= 2.0


def test_refused_refresh_is_an_auth_error_without_secrets(caplog) -> None:
    caplog.set_level(logging.DEBUG)
    wrong = OAuthCredentials(CLIENT_ID, "wrong-secret-do-not-log", REFRESH_TOKEN)
    with SimulatorServer(_config()) as server:
        auth = OAuthTokenAuth(wrong, server.base_url)
        with (
            HubSpotClient(None, auth=auth, base_url=server.base_url) as client,
            pytest.raises(AuthError) as raised,
        ):
            client.list_page("contacts", limit=1)
    message = str(raised.value)
    assert "BAD_REFRESH_TOKEN" in message
    for secret in ("wrong-secret-do-not-log", REFRESH_TOKEN):
        assert secret not in message
        assert secret not in caplog.text
        assert secret not in repr(wrong)
        assert secret not in repr(auth)


def test_resource_with_oauth_fields_syncs_against_the_simulator(tmp_path) -> None:
    with SimulatorServer(_config()) as server:
        resource = HubSpotResource(
            base_url=server.base_url,
            client_id=CLIENT_ID,
            client_secret=CLIENT_SECRET,
            refresh_token=REFRESH_TOKEN,
            budget_state_path=str(tmp_path / "budget.sqlite"),
        )
        with resource.build_client() as client:
            catalog = client.get_properties("contacts")
    assert len(catalog) == len(server.portal.properties("contacts"))


def test_resource_without_any_credentials_names_the_problem(tmp_path) -> None:
    resource = HubSpotResource(
        base_url="http://127.0.0.1:9", budget_state_path=str(tmp_path / "b.sqlite")
    )
    with pytest.raises(Exception, match="access_token, or all of client_id"):
        resource.build_client()
