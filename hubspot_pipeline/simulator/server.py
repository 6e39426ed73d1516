"""Running the simulator under uvicorn in a background thread, for tests and the CLI."""

import socket
import threading
import time
from types import TracebackType

import uvicorn

from hubspot_pipeline.simulator.app import SimulatorState, create_app
from hubspot_pipeline.simulator.config import SimulatorConfig
from hubspot_pipeline.simulator.portal import Portal
from hubspot_pipeline.simulator.webhooks import WebhookSender

_START_TIMEOUT_S = 15.0


class SimulatorServer:
    """A live simulator on a local port; use as a context manager.

    The data is generated when the object is created; `start()` (or `with`) only opens
    the port. Port 0 picks a free one.
    """

    def __init__(self, config: SimulatorConfig, host: str = "127.0.0.1", port: int = 0) -> None:
        self.config = config
        self.portal = Portal(config)
        self.app = create_app(config, self.portal)
        self._host = host
        self._port = port
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self.webhooks: WebhookSender | None = None
        if config.webhook_url:
            if not config.webhook_secret:
                raise ValueError("webhook_url needs webhook_secret (the app's client secret)")
            self.webhooks = WebhookSender(
                config.webhook_url, config.webhook_secret, config.webhook_flush_seconds
            )
            self.portal.subscribe(self.webhooks.on_change)

    @property
    def _state(self) -> SimulatorState:
        return self.app.state.simulator

    @property
    def base_url(self) -> str:
        return f"http://{self._host}:{self._port}"

    def start(self) -> "SimulatorServer":
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((self._host, self._port))
        self._port = sock.getsockname()[1]
        # Access logs stay off: request lines are noise in test output.
        config = uvicorn.Config(
            self.app, log_level="warning", access_log=False, lifespan="off", timeout_keep_alive=30
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._server.run,
            kwargs={"sockets": [sock]},
            name="hubspot-simulator",
            daemon=True,
        )
        self._thread.start()
        if self.webhooks is not None:
            self.webhooks.start()
        deadline = time.monotonic() + _START_TIMEOUT_S
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the HubSpot simulator did not start")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        if self.webhooks is not None:
            self.webhooks.stop()
        if self._server is not None and self._thread is not None:
            self._server.should_exit = True
            self._thread.join(timeout=10)
        self._server = None
        self._thread = None

    def __enter__(self) -> "SimulatorServer":
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def stats(self, include_timestamps: bool = False) -> dict:
        """The same dict as `GET /_simulator/stats`."""
        return self._state.limiter.stats(include_timestamps=include_timestamps)

    def reset_stats(self) -> None:
        self._state.limiter.reset_stats()

    def set_fail_object_types(self, object_types: tuple[str, ...]) -> None:
        """Make every request for these object types answer 503 from now on (empty: none)."""
        self.config.fail_object_types = tuple(object_types)

    def set_token(self, token: str | None) -> None:
        """Accept only this bearer token from now on (None: any)."""
        self.config.token = token

    def set_rate_429_share(self, share: float) -> None:
        """Change the share of injected 429s while the server runs."""
        self._state.limiter.set_rate_429_share(share)

    def configure(self, **knobs: object) -> None:
        """Change behaviour knobs of the running server, e.g. `configure(error_rates={503: 0.2})`.

        Takes `SimulatorConfig` field names; data-shaping fields (counts, seed, days) have no
        effect once the portal is generated.
        """
        config = self.config
        for name, value in knobs.items():
            if not hasattr(config, name):
                raise ValueError(f"unknown simulator knob {name!r}")
            setattr(config, name, value)
        config.__post_init__()

    @property
    def token_refreshes(self) -> int:
        """How many access tokens the OAuth token endpoint has issued."""
        return self._state.tokens.refreshes
