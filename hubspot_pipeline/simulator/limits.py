"""Per-token rolling rate limits, injected 429s, and the statistics a benchmark reads.

HubSpot counts private-app traffic in a rolling 10-second window per token, search
separately per second, and everything against a daily budget per account (FACTS §11).
Rejected requests do not use up a window. Whether search counts toward the daily budget is
UNVERIFIED; here it does.
"""

import random
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from threading import Lock

from hubspot_pipeline.simulator.config import SimulatorConfig

TEN_SECONDLY = "TEN_SECONDLY_ROLLING"
SECONDLY = "SECONDLY"
DAILY = "DAILY"
TEN_SECONDS = 10.0
ONE_SECOND = 1.0


@dataclass(slots=True)
class Decision:
    """Whether a request may proceed; `policy` names the limit that refused it."""

    allowed: bool
    policy: str | None = None
    injected: bool = False
    headers: dict[str, str] = field(default_factory=dict)


def _prune(window: deque[float], now: float, span: float) -> None:
    while window and window[0] <= now - span:
        window.popleft()


@dataclass(slots=True)
class _Stats:
    requests: dict[str, int] = field(
        default_factory=lambda: {"ten_secondly": 0, "search": 0, "total": 0}
    )
    http_429: dict[str, int] = field(
        default_factory=lambda: {TEN_SECONDLY: 0, SECONDLY: 0, DAILY: 0, "injected": 0}
    )
    http_401: int = 0
    faults: dict[str, int] = field(default_factory=dict)
    max_ten_secondly: int = 0
    max_search: int = 0
    first_request_at: float | None = None
    last_request_at: float | None = None
    by_endpoint: dict[str, int] = field(default_factory=dict)
    accepted_at: dict[str, list[float]] = field(
        default_factory=lambda: {"ten_secondly": [], "search": []}
    )
    # Admitted requests of each object type (both policies), for a benchmark's timeline.
    accepted_by_object: dict[str, list[float]] = field(default_factory=dict)
    # Windows of their own, so a reset starts the maxima afresh while limits stay in force.
    windows: dict[tuple[str, bool], deque[float]] = field(default_factory=dict)


class RateLimiter:
    """Decides 429s and keeps statistics; safe to call from the server and test threads."""

    def __init__(
        self,
        config: SimulatorConfig,
        clock: Callable[[], float] = time.monotonic,
        wall_clock: Callable[[], float] = time.time,
    ) -> None:
        self._config = config
        self._clock = clock
        self._wall = wall_clock
        self._lock = Lock()
        self._share = config.rate_429_share
        self._fault_rng = random.Random(f"{config.seed}:faults")
        self._windows: dict[tuple[str, bool], deque[float]] = {}
        self._daily: dict[str, int] = {}
        self._stats = _Stats()

    def set_rate_429_share(self, share: float) -> None:
        if not 0.0 <= share <= 1.0:
            raise ValueError("rate_429_share must be between 0 and 1")
        with self._lock:
            self._share = share

    def note_request(self, endpoint: str) -> None:
        """Count any API request, whatever its outcome."""
        now = self._wall()
        with self._lock:
            stats = self._stats
            stats.requests["total"] += 1
            stats.by_endpoint[endpoint] = stats.by_endpoint.get(endpoint, 0) + 1
            if stats.first_request_at is None:
                stats.first_request_at = now
            stats.last_request_at = now

    def note_unauthorized(self) -> None:
        with self._lock:
            self._stats.http_401 += 1

    def note_fault(self, kind: str) -> None:
        """Count an injected fault: a 5xx status, "timeout", "reset" or "truncate"."""
        with self._lock:
            self._stats.faults[kind] = self._stats.faults.get(kind, 0) + 1

    def check(self, token: str, search: bool, object_type: str | None = None) -> Decision:
        """Admit or refuse one authenticated request, and count it if admitted.

        `object_type` is the request's, where its path names one.
        """
        now = self._clock()
        day = datetime.now(UTC).date().isoformat()
        limit = self._config.search_per_second if search else self._config.ten_second_limit
        span = ONE_SECOND if search else TEN_SECONDS
        with self._lock:
            window = self._windows.setdefault((token, search), deque())
            _prune(window, now, span)
            used_today = self._daily.get(day, 0)

            decision = Decision(allowed=True)
            if self._fault_rng.random() < self._share:
                decision = Decision(False, SECONDLY if search else TEN_SECONDLY, injected=True)
                self._stats.http_429["injected"] += 1
            elif used_today >= self._config.daily_limit:
                decision = Decision(False, DAILY)
                self._stats.http_429[DAILY] += 1
            elif len(window) >= limit:
                decision = Decision(False, SECONDLY if search else TEN_SECONDLY)
                self._stats.http_429[decision.policy] += 1
            else:
                window.append(now)
                used_today += 1
                self._daily = {day: used_today}
                self._count_accepted(token, search, now, object_type)

            if not search:
                decision.headers = self._headers(window, now, used_today)
            return decision

    def _count_accepted(
        self, token: str, search: bool, now: float, object_type: str | None
    ) -> None:
        stats = self._stats
        policy = "search" if search else "ten_secondly"
        stats.requests[policy] += 1
        wall = self._wall()
        stats.accepted_at[policy].append(wall)
        stats.accepted_by_object.setdefault(object_type or "other", []).append(wall)
        window = stats.windows.setdefault((token, search), deque())
        _prune(window, now, ONE_SECOND if search else TEN_SECONDS)
        window.append(now)
        if search:
            stats.max_search = max(stats.max_search, len(window))
        else:
            stats.max_ten_secondly = max(stats.max_ten_secondly, len(window))

    def _headers(self, window: deque[float], now: float, used_today: int) -> dict[str, str]:
        """HubSpot's rate-limit headers; the Secondly pair is deprecated but still sent."""
        limit = self._config.ten_second_limit
        secondly = max(1, limit // 10)
        last_second = sum(1 for stamp in reversed(window) if stamp > now - ONE_SECOND)
        return {
            "X-HubSpot-RateLimit-Daily": str(self._config.daily_limit),
            "X-HubSpot-RateLimit-Daily-Remaining": str(
                max(0, self._config.daily_limit - used_today)
            ),
            "X-HubSpot-RateLimit-Interval-Milliseconds": "10000",
            "X-HubSpot-RateLimit-Max": str(limit),
            "X-HubSpot-RateLimit-Remaining": str(max(0, limit - len(window))),
            "X-HubSpot-RateLimit-Secondly": str(secondly),
            "X-HubSpot-RateLimit-Secondly-Remaining": str(max(0, secondly - last_second)),
        }

    def stats(self, include_timestamps: bool = False) -> dict:
        """Counters since start or the last reset.

        `http_429` counts limit refusals per policy; injected 429s are counted only under
        `injected`. `requests.total` counts every API request (401s and 429s included).
        """
        with self._lock:
            stats = self._stats
            result = {
                "requests": dict(stats.requests),
                "http_429": dict(stats.http_429),
                "http_401": stats.http_401,
                "faults": dict(stats.faults),
                "max_in_any_10s_window": stats.max_ten_secondly,
                "max_search_in_any_1s_window": stats.max_search,
                "first_request_at": stats.first_request_at,
                "last_request_at": stats.last_request_at,
                "by_endpoint": dict(stats.by_endpoint),
                "limits": {
                    "ten_second_limit": self._config.ten_second_limit,
                    "search_per_second": self._config.search_per_second,
                    "daily_limit": self._config.daily_limit,
                    "rate_429_share": self._share,
                },
            }
            if include_timestamps:
                result["accepted_at"] = {
                    policy: list(stamps) for policy, stamps in stats.accepted_at.items()
                }
                result["accepted_by_object"] = {
                    name: list(stamps) for name, stamps in stats.accepted_by_object.items()
                }
            return result

    def reset_stats(self) -> None:
        """Start the statistics afresh; the rate-limit windows themselves keep running."""
        with self._lock:
            self._stats = _Stats()
