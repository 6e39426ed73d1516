"""`python -m hubspot_pipeline.simulator`: announces its URL, serves, stops on SIGTERM."""

import signal
import socket
import subprocess
import sys

import httpx


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_cli_serves_and_stops_cleanly() -> None:
    port = _free_port()
    command = [
        sys.executable,
        "-m",
        "hubspot_pipeline.simulator",
        "--port",
        str(port),
        "--seed",
        "7",
        "--contacts",
        "200",
        "--companies",
        "50",
        "--deals",
        "80",
        "--tickets",
        "30",
        "--token",
        "cli-token",
        "--hot-day",
        "tickets:2026-01-02:120",
        "--end",
        "2026-07-31T12:00:00Z",
    ]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        line = process.stdout.readline().strip()
        assert line == f"simulator listening on http://127.0.0.1:{port}"
        response = httpx.get(
            f"http://127.0.0.1:{port}/crm/v3/objects/tickets",
            params={"limit": 100, "after": "0"},
            headers={"Authorization": "Bearer cli-token"},
        )
        assert response.status_code == 200
        assert len(response.json()["results"]) == 100
        total = httpx.post(
            f"http://127.0.0.1:{port}/crm/v3/objects/tickets/search",
            json={"limit": 1},
            headers={"Authorization": "Bearer cli-token"},
        ).json()["total"]
        assert total == 150
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=10) == 0


def test_cli_knob_flags_reach_the_server() -> None:
    port = _free_port()
    command = [
        sys.executable,
        "-m",
        "hubspot_pipeline.simulator",
        "--port",
        str(port),
        "--contacts",
        "50",
        "--companies",
        "5",
        "--deals",
        "5",
        "--tickets",
        "5",
        "--cars",
        "7",
        "--opaque-after",
        "--missing-scope",
        "owners",
        "--error-rate",
        "503:0",
        "--end",
        "2026-07-31T12:00:00Z",
    ]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    headers = {"Authorization": "Bearer any"}
    try:
        assert process.stdout is not None
        process.stdout.readline()
        cars = httpx.post(f"{base}/crm/v3/objects/2-3465404/search", json={}, headers=headers)
        owners = httpx.get(f"{base}/crm/v3/owners", headers=headers)
        page = httpx.get(f"{base}/crm/v3/objects/contacts", params={"limit": 10}, headers=headers)
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=10) == 0
    assert cars.json()["total"] == 7
    assert owners.status_code == 403
    assert not page.json()["paging"]["next"]["after"].isdigit()
