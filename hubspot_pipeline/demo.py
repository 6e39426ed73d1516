"""`make demo`: start a seeded simulator, point the full sync at it, and check the counts."""

import os
import socket
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta

from hubspot_pipeline import full_sync

DEMO_PORTAL = {"contacts": 20_000, "companies": 5_000, "deals": 8_000, "tickets": 3_000}
DEMO_SEED = 7
DEMO_DAYS = 365
DEMO_TOKEN = "demo-simulator-token"
READY_TIMEOUT_SECONDS = 180


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_simulator(port: int) -> subprocess.Popen:
    counts = [arg for name, count in DEMO_PORTAL.items() for arg in (f"--{name}", str(count))]
    command = [
        sys.executable,
        "-m",
        "hubspot_pipeline.simulator",
        "--port",
        str(port),
        "--seed",
        str(DEMO_SEED),
        "--days",
        str(DEMO_DAYS),
        "--token",
        DEMO_TOKEN,
        *counts,
    ]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    deadline = time.monotonic() + READY_TIMEOUT_SECONDS
    assert process.stdout is not None
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if "listening on" in line:
            return process
        if not line and process.poll() is not None:
            raise RuntimeError(f"the simulator exited with code {process.returncode}")
    process.kill()
    raise RuntimeError(f"the simulator did not start within {READY_TIMEOUT_SECONDS}s")


def main() -> int:
    port = int(os.environ.get("SIMULATOR_PORT") or free_port())
    start_date = (datetime.now(UTC) - timedelta(days=DEMO_DAYS + 5)).date()
    print(f"Starting the HubSpot simulator on port {port} with {DEMO_PORTAL} (seed {DEMO_SEED})")
    simulator = start_simulator(port)
    try:
        os.environ.update(
            HUBSPOT_API_BASE_URL=f"http://127.0.0.1:{port}",
            HUBSPOT_ACCESS_TOKEN=DEMO_TOKEN,
            HUBSPOT_START_DATE=start_date.isoformat(),
        )
        return full_sync.main()
    finally:
        simulator.terminate()
        simulator.wait(timeout=30)


if __name__ == "__main__":
    sys.exit(main())
