"""A real Dagster deployment for the queue tests: `dagster dev` (webserver, daemon, code
server) over a DAGSTER_HOME of its own, with the repository's dagster.yaml.

The test process reads the same instance (SQLite storage) to watch runs and steps, and
talks to the webserver over GraphQL, as a user or a webhook service would.
"""

import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import dagster as dg
import httpx
import yaml

REPO_ROOT = Path(__file__).resolve().parents[2]
LOCATION = "queue_tests"
START_TIMEOUT_SECONDS = 120


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def write_instance_yaml(home: Path, max_concurrent_runs: int, pool_limit: int) -> None:
    """The repository's dagster.yaml with the test's limits and a quick run monitor."""
    config = yaml.safe_load((REPO_ROOT / "dagster.yaml").read_text())
    config["concurrency"]["runs"]["max_concurrent_runs"] = max_concurrent_runs
    config["concurrency"]["pools"]["default_limit"] = pool_limit
    config["run_monitoring"]["poll_interval_seconds"] = 1
    config["run_retries"]["enabled"] = False
    (home / "dagster.yaml").write_text(yaml.safe_dump(config))


def write_workspace(path: Path, module: str) -> None:
    workspace = {
        "load_from": [
            {
                "python_module": {
                    "module_name": module,
                    "working_directory": str(REPO_ROOT),
                    "location_name": LOCATION,
                }
            }
        ]
    }
    path.write_text(yaml.safe_dump(workspace))


@dataclass
class Deployment:
    home: Path
    url: str
    process: subprocess.Popen
    instance: dg.DagsterInstance

    def graphql(self, query: str, variables: dict | None = None) -> dict:
        response = httpx.post(
            f"{self.url}/graphql", json={"query": query, "variables": variables or {}}, timeout=60
        )
        response.raise_for_status()
        body = response.json()
        if body.get("errors"):
            raise RuntimeError(f"GraphQL errors: {body['errors']}")
        return body["data"]

    def dagster_cli(self, *args: str) -> str:
        env = {**os.environ, "DAGSTER_HOME": str(self.home)}
        return subprocess.run(
            [str(Path(sys.executable).parent / "dagster"), *args],
            env=env,
            check=True,
            capture_output=True,
            text=True,
            timeout=60,
        ).stdout

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        self.instance.dispose()


def start_deployment(
    tmp: Path,
    env: dict[str, str],
    *,
    max_concurrent_runs: int,
    pool_limit: int,
    module: str = "hubspot_pipeline_tests.queue.location",
) -> Deployment:
    home = tmp / "dagster_home"
    home.mkdir(parents=True)
    write_instance_yaml(home, max_concurrent_runs, pool_limit)
    write_workspace(tmp / "workspace.yaml", module)
    # The storage is created here, before `dagster dev` starts: two processes creating
    # one SQLite storage at once can both stamp its schema version and break it.
    instance = dg.DagsterInstance.from_config(str(home))
    instance.get_runs(limit=1)
    port = free_port()
    log = (tmp / "dagster-dev.log").open("w")
    process = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "dagster"),
            "dev",
            "-w",
            str(tmp / "workspace.yaml"),
            "-h",
            "127.0.0.1",
            "-p",
            str(port),
        ],
        cwd=REPO_ROOT,
        # A busy machine (2 cores, other test suites) can take over a minute to start a
        # run's process; the default 60 s gRPC timeout would then fail the launch.
        env={**os.environ, "DAGSTER_GRPC_TIMEOUT_SECONDS": "300", **env, "DAGSTER_HOME": str(home)},
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    deployment = Deployment(home=home, url=url, process=process, instance=instance)
    try:
        wait_until_loaded(deployment)
    except BaseException:
        deployment.stop()
        raise
    return deployment


def wait_until_loaded(deployment: Deployment) -> None:
    query = """
    { workspaceOrError { ... on Workspace { locationEntries {
        name locationOrLoadError { __typename } } } } }
    """
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if deployment.process.poll() is not None:
            raise RuntimeError("dagster dev exited; see dagster-dev.log")
        try:
            entries = deployment.graphql(query)["workspaceOrError"]["locationEntries"]
            loaded = [e for e in entries if e["locationOrLoadError"]]
            if loaded and loaded[0]["locationOrLoadError"]["__typename"] == "RepositoryLocation":
                return
            if loaded:
                raise RuntimeError(f"the code location did not load: {loaded}")
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"dagster dev did not load the code location in {START_TIMEOUT_SECONDS}s")
