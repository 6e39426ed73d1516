"""Real `dagster-webserver` and `dagster-daemon` processes over a throwaway instance.

Each stack gets its own DAGSTER_HOME and working folder (temp dirs) and, with PostgreSQL,
its own database on the machine's server, dropped afterwards. Processes run in their own
process group so that the finalizer also ends the code servers and run workers they
started.
"""

import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import psycopg2

from hubspot_pipeline.runs_api.graphql import DagsterGraphQLError, DagsterRunsClient

POSTGRES_ADMIN_DSN = "host=127.0.0.1 port=5432 user=postgres dbname=test"
# SQLAlchemy 2.1 reads a bare postgresql:// as psycopg 3, which is not installed.
POSTGRES_URL = "postgresql+psycopg2://postgres:unused@127.0.0.1:5432/{database}"
START_TIMEOUT_SECONDS = 120
BIN = Path(sys.executable).parent
WORKSPACE = ["-w", "workspace.yaml"]

INSTANCE_YAML = """\
telemetry:
  enabled: false
{storage}
run_coordinator:
  module: dagster.core.run_coordinator
  class: QueuedRunCoordinator
  config:
    max_concurrent_runs: 4
    dequeue_interval_seconds: 1
run_retries:
  enabled: true
  max_retries: 1
  retry_on_asset_or_op_failure: false
"""

POSTGRES_STORAGE = """\
storage:
  postgres:
    postgres_url: "{url}"
"""

WORKSPACE_YAML = """\
load_from:
  - python_module:
      module_name: hubspot_pipeline.definitions
      location_name: hubspot_pipeline
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def postgres_database() -> Iterator[str]:
    """A fresh database on the machine's PostgreSQL, dropped (connections and all) after."""
    name = f"dagster_{uuid.uuid4().hex[:12]}"
    admin = psycopg2.connect(POSTGRES_ADMIN_DSN)
    admin.autocommit = True
    try:
        with admin.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{name}"')
        yield POSTGRES_URL.format(database=name)
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def write_instance(root: Path, postgres_url: str | None) -> Path:
    """DAGSTER_HOME with its dagster.yaml, and a workspace.yaml, under `root`."""
    home = root / "dagster_home"
    home.mkdir(parents=True, exist_ok=True)
    storage = POSTGRES_STORAGE.format(url=postgres_url) if postgres_url else ""
    (home / "dagster.yaml").write_text(INSTANCE_YAML.format(storage=storage))
    (root / "workspace.yaml").write_text(WORKSPACE_YAML)
    return home


def _start(command: list[str], root: Path, env: dict[str, str], log_name: str) -> subprocess.Popen:
    log = (root / log_name).open("w")
    return subprocess.Popen(
        command, cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )


def _stop(process: subprocess.Popen) -> None:
    """End a process and everything it started (its process group)."""
    for sig, wait in ((signal.SIGTERM, 20), (signal.SIGKILL, 10)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        try:
            process.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            continue


def _wait_for_job(url: str, job: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    with DagsterRunsClient(url, timeout_seconds=5) as client:
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"dagster-webserver exited:\n{log.read_text()[-3000:]}")
            try:
                client.job(job)
                return
            except (DagsterGraphQLError, httpx.HTTPError):
                time.sleep(0.5)
    raise RuntimeError(f"dagster-webserver did not load {job}:\n{log.read_text()[-3000:]}")


@contextmanager
def dagster_stack(
    root: Path, env: dict[str, str], postgres_url: str | None, *, daemon: bool = True
) -> Iterator[str]:
    """Start the webserver (and the daemon); yields the GraphQL URL once the job is loaded."""
    home = write_instance(root, postgres_url)
    env = {**os.environ, **env, "DAGSTER_HOME": str(home)}
    port = free_port()
    processes = []
    try:
        webserver = _start(
            [str(BIN / "dagster-webserver"), "-h", "127.0.0.1", "-p", str(port), *WORKSPACE],
            root,
            env,
            "webserver.log",
        )
        processes.append(webserver)
        if daemon:
            processes.append(
                _start(
                    [str(BIN / "dagster-daemon"), "run", *WORKSPACE],
                    root,
                    env,
                    "daemon.log",
                )
            )
        url = f"http://127.0.0.1:{port}/graphql"
        _wait_for_job(url, "hubspot_crm_sync", webserver, root / "webserver.log")
        yield url
    finally:
        for process in reversed(processes):
            _stop(process)
