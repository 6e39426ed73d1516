"""Webhook deliveries: changes to the portal POSTed as HubSpot-shaped, signed event batches.

Events collect for `webhook_flush_seconds`, then go out in batches of at most 100 (FACTS
§13), each signed with `X-HubSpot-Signature-v3` (and the older v1 header). A failed
delivery is retried with `attemptNumber` raised, up to 3 times here (HubSpot: 10 over 24 h).
"""

import base64
import hashlib
import hmac
import itertools
import json
import logging
import threading
import time
from urllib.parse import unquote

import httpx

from hubspot_pipeline.simulator.objects import PORTAL_ID

MAX_BATCH = 100
APP_ID = 500001
_ATTEMPTS = 3
_SUBSCRIPTION_IDS = {
    "creation": 2001,
    "propertyChange": 2002,
    "deletion": 2003,
    "merge": 2004,
    "associationChange": 2005,
}
# HubSpot decodes these escapes in the URI before signing (D-validate); `?` stays.
_DECODED = ("%3A", "%2F", "%3F", "%40", "%21", "%24", "%27", "%28", "%29", "%2A", "%2C", "%3B")

log = logging.getLogger(__name__)


def _signed_uri(uri: str) -> str:
    for escape in _DECODED:
        uri = uri.replace(escape, unquote(escape)).replace(escape.lower(), unquote(escape))
    return uri


def sign_v3(secret: str, method: str, uri: str, body: bytes, timestamp_ms: int) -> str:
    """base64(HMAC-SHA256(secret, method + uri + body + timestamp)) (FACTS §13)."""
    message = method.encode() + _signed_uri(uri).encode() + body + str(timestamp_ms).encode()
    digest = hmac.new(secret.encode(), message, hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def sign_v1(secret: str, body: bytes) -> str:
    """hex(SHA-256(secret + body)), the older signature HubSpot still sends."""
    return hashlib.sha256(secret.encode() + body).hexdigest()


def _subscription_type(object_type: str, kind: str) -> str:
    singular = {"companies": "company", "line_items": "line_item"}.get(
        object_type, object_type.rstrip("s")
    )
    return f"{singular}.{kind}"


class WebhookSender:
    """Collects change events from the portal and delivers them from a thread of its own."""

    def __init__(self, url: str, secret: str, flush_seconds: float) -> None:
        self._url = url
        self._secret = secret
        self._flush = flush_seconds
        self._pending: list[dict] = []
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._event_ids = itertools.count(100_001)
        self._thread: threading.Thread | None = None
        self.delivered_batches = 0
        self.failed_deliveries = 0

    def on_change(self, object_type: str, kind: str, fields: dict) -> None:
        """Portal listener: turn one change into one event."""
        event = {
            "eventId": next(self._event_ids),
            "subscriptionId": _SUBSCRIPTION_IDS[kind],
            "portalId": PORTAL_ID,
            "appId": APP_ID,
            "occurredAt": time.time_ns() // 1_000_000,
            "subscriptionType": _subscription_type(object_type, kind),
            "attemptNumber": 0,
            "changeSource": "API",
            "sourceId": "simulator",
            **fields,
        }
        with self._lock:
            self._pending.append(event)
        self._wake.set()

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="simulator-webhooks", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Deliver what is pending, then end the thread."""
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=10)

    def _run(self) -> None:
        with httpx.Client(timeout=5.0) as http:
            while not self._stop.is_set():
                self._wake.wait()
                self._wake.clear()
                if not self._stop.is_set():
                    time.sleep(self._flush)
                self._drain(http)

    def _drain(self, http: httpx.Client) -> None:
        with self._lock:
            pending, self._pending = self._pending, []
        for start in range(0, len(pending), MAX_BATCH):
            self._deliver(http, pending[start : start + MAX_BATCH])

    def _deliver(self, http: httpx.Client, events: list[dict]) -> None:
        for attempt in range(_ATTEMPTS):
            batch = [{**event, "attemptNumber": attempt} for event in events]
            body = json.dumps(batch, separators=(",", ":")).encode()
            stamp = time.time_ns() // 1_000_000
            headers = {
                "Content-Type": "application/json",
                "X-HubSpot-Request-Timestamp": str(stamp),
                "X-HubSpot-Signature-v3": sign_v3(self._secret, "POST", self._url, body, stamp),
                "X-HubSpot-Signature": sign_v1(self._secret, body),
                "X-HubSpot-Signature-Version": "v1",
            }
            try:
                response = http.post(self._url, content=body, headers=headers)
                if response.status_code < 400:
                    self.delivered_batches += 1
                    return
            except httpx.HTTPError as exc:
                log.warning("webhook delivery failed: %s", type(exc).__name__)
            time.sleep(0.1 * (attempt + 1))
        self.failed_deliveries += 1
