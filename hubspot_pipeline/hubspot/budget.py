"""The API budget of a portal, shared by every process that calls HubSpot for it.

HubSpot limits a token, not a process: two Dagster steps that each kept their own count
would together overrun the 10-second window. The counts therefore live outside the
process, in pyrate-limiter buckets: a file-locked SQLite file in the embedded default.
Each limit policy of each portal gets its own bucket (table), so that search's
per-second limit never consumes the general 10-second budget and vice versa.
"""

import hashlib
import threading
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from pyrate_limiter import Duration, Limiter, Rate, SQLiteBucket


class Policy(StrEnum):
    """HubSpot's rate-limit policies, named after the `policyName` of its 429 bodies."""

    TEN_SECONDLY_ROLLING = "TEN_SECONDLY_ROLLING"
    SEARCH = "SECONDLY"


@dataclass(frozen=True)
class BudgetConfig:
    """How much of each limit this deployment may spend.

    `headroom` keeps a few requests of every window free: HubSpot counts a request when it
    arrives, we count it when it leaves, and network jitter moves the two apart.
    """

    requests_per_ten_seconds: int = 190
    search_requests_per_second: int = 5
    headroom: float = 0.05

    def rates(self, policy: Policy) -> list[Rate]:
        if policy is Policy.SEARCH:
            # HubSpot counts search per second as requests arrive, we count them as they
            # leave: stretching the second by the headroom keeps arrival jitter inside it.
            interval_ms = int(Duration.SECOND * (1 + 2 * self.headroom))
            return [Rate(self.search_requests_per_second, interval_ms)]
        limit = _with_headroom(self.requests_per_ten_seconds, self.headroom)
        return [Rate(limit, 10 * Duration.SECOND)]


def _with_headroom(limit: int, headroom: float) -> int:
    return max(1, int(limit * (1 - headroom)))


def portal_key(base_url: str, access_token: str) -> str:
    """A stable, non-reversible name for a portal's budget: never store the token itself."""
    digest = hashlib.sha256(f"{base_url}\n{access_token}".encode()).hexdigest()
    return digest[:16]


class SharedBudget:
    """Blocks a caller until its policy's window has room, across every process."""

    def __init__(self, state_path: Path, portal: str, config: BudgetConfig) -> None:
        state_path.parent.mkdir(parents=True, exist_ok=True)
        self._limiters: dict[Policy, Limiter] = {}
        self._lock = threading.Lock()
        self._state_path = state_path
        self._portal = portal
        self._config = config

    def acquire(self, policy: Policy) -> None:
        self._limiter(policy).try_acquire(self._portal, blocking=True)

    def _limiter(self, policy: Policy) -> Limiter:
        with self._lock:
            limiter = self._limiters.get(policy)
            if limiter is None:
                bucket = SQLiteBucket.init_from_file(
                    self._config.rates(policy),
                    table=f"budget_{self._portal}_{policy.value.lower()}",
                    db_path=str(self._state_path),
                    use_file_lock=True,
                )
                limiter = Limiter(bucket)
                self._limiters[policy] = limiter
            return limiter

    def close(self) -> None:
        with self._lock:
            for limiter in self._limiters.values():
                limiter.close()
            self._limiters.clear()
