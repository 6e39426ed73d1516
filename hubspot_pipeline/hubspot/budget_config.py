"""What the shared budget may spend: HubSpot's limit policies, their rates and the portal day.

Kept apart from `budget.py` (the counting) so that configuration can be built, checked and
shown without touching any store.
"""

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from pyrate_limiter import Duration, Rate


class Policy(StrEnum):
    """HubSpot's rate-limit policies, named after the `policyName` of its 429 bodies."""

    TEN_SECONDLY_ROLLING = "TEN_SECONDLY_ROLLING"
    SEARCH = "SECONDLY"
    DAILY = "DAILY"


@dataclass(frozen=True)
class BudgetConfig:
    """How much of each limit this deployment may spend.

    `headroom` keeps a few requests of every window free: HubSpot counts a request when it
    arrives, we count it when it leaves, and network jitter moves the two apart.
    `daily_limit` None means "learn it from HubSpot's `X-HubSpot-RateLimit-Daily`".
    """

    requests_per_ten_seconds: int = 190
    search_requests_per_second: int = 5
    headroom: float = 0.05
    daily_limit: int | None = None
    daily_reserved_share: float = 0.1
    portal_timezone: str = "UTC"

    def __post_init__(self) -> None:
        if not 0.0 <= self.daily_reserved_share < 1.0:
            raise ValueError(
                f"daily_reserved_share must be at least 0 and below 1, "
                f"got {self.daily_reserved_share}"
            )
        try:
            ZoneInfo(self.portal_timezone)
        except (KeyError, ValueError):
            raise ValueError(
                f"portal_timezone must be an IANA time zone like Europe/Berlin, "
                f"got {self.portal_timezone!r}"
            ) from None

    def rates(self, policy: Policy, limit: int | None = None) -> list[Rate]:
        if policy is Policy.SEARCH:
            # HubSpot counts search per second as requests arrive, we count them as they
            # leave: stretching the second by the headroom keeps arrival jitter inside it.
            interval_ms = int(Duration.SECOND * (1 + 2 * self.headroom))
            return [Rate(self.search_requests_per_second, interval_ms)]
        if policy is Policy.DAILY:
            return [Rate(self.daily_allowance(limit or 1), Duration.DAY)]
        limit = with_headroom(limit or self.requests_per_ten_seconds, self.headroom)
        return [Rate(limit, 10 * Duration.SECOND)]

    def daily_allowance(self, daily_limit: int) -> int:
        """What all of this portal's runs may spend in a day; the rest is for other apps."""
        return max(1, int(daily_limit * (1 - self.daily_reserved_share)))

    def next_reset(self, now: datetime) -> datetime:
        """The next midnight in the portal's time zone, when HubSpot renews the day."""
        zone = ZoneInfo(self.portal_timezone)
        local = now.astimezone(zone)
        midnight = datetime.combine(local.date() + timedelta(days=1), datetime.min.time())
        return midnight.replace(tzinfo=zone)

    def portal_day(self, now: datetime) -> str:
        return now.astimezone(ZoneInfo(self.portal_timezone)).strftime("%Y%m%d")


def with_headroom(limit: int, headroom: float) -> int:
    return max(1, int(limit * (1 - headroom)))


def portal_key(base_url: str, access_token: str) -> str:
    """A stable, non-reversible name for a portal's budget: never store the token itself."""
    digest = hashlib.sha256(f"{base_url}\n{access_token}".encode()).hexdigest()
    return digest[:16]


@dataclass(frozen=True)
class RateHeaders:
    """HubSpot's `X-HubSpot-RateLimit-*` headers of one response (absent on search)."""

    remaining: int | None
    maximum: int | None
    interval_ms: int | None
    daily: int | None
    daily_remaining: int | None

    @classmethod
    def parse(cls, headers: Mapping[str, str]) -> "RateHeaders":
        def number(name: str) -> int | None:
            value = headers.get(f"X-HubSpot-RateLimit-{name}")
            try:
                return int(value) if value is not None else None
            except ValueError:
                return None

        return cls(
            remaining=number("Remaining"),
            maximum=number("Max"),
            interval_ms=number("Interval-Milliseconds"),
            daily=number("Daily"),
            daily_remaining=number("Daily-Remaining"),
        )
