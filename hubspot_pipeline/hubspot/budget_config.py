"""What the shared budget may spend: HubSpot's limit policies, their rates and the portal day.

Kept apart from `budget.py` (the counting) so that configuration can be built, checked and
shown without touching any store.
"""

import hashlib
import math
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

    HubSpot counts a request when it arrives, we count it when it leaves, and jitter on
    the way moves the two apart. Every window is therefore stretched by
    `arrival_jitter_ms`: if no 10.1 s of departures hold more than the limit, no 10 s of
    arrivals do either unless one request is delayed 100 ms more than another. A pager's
    room may also be granted up to `reservation_age_ms` before its request leaves (see
    `reservation`), which stretches the 10-second window further; search is not paged
    with reservations. `headroom` keeps a share of the 10-second window free for
    requests of the portal's other apps that HubSpot's headers have not reported yet.
    Together the defaults cap this deployment at 186 requests per 10.3 s (about 95% of
    HubSpot's 190 per 10 s), so the budget can be used up and still answer no 429.
    `daily_limit` None means "learn it from HubSpot's `X-HubSpot-RateLimit-Daily`".
    """

    requests_per_ten_seconds: int = 190
    search_requests_per_second: int = 5
    headroom: float = 0.02
    arrival_jitter_ms: int = 100
    reservation_age_ms: int = 200
    daily_limit: int | None = None
    daily_reserved_share: float = 0.1
    portal_timezone: str = "UTC"

    def __post_init__(self) -> None:
        if not 0.0 <= self.headroom < 1.0:
            raise ValueError(f"headroom must be at least 0 and below 1, got {self.headroom}")
        for name in ("arrival_jitter_ms", "reservation_age_ms"):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} must not be negative, got {getattr(self, name)}")
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
            interval_ms = Duration.SECOND + self.arrival_jitter_ms
            return [Rate(self.search_requests_per_second, interval_ms)]
        if policy is Policy.DAILY:
            return [Rate(self.daily_allowance(limit or 1), Duration.DAY)]
        limit = with_headroom(limit or self.requests_per_ten_seconds, self.headroom)
        stretch = self.arrival_jitter_ms + self.reservation_age_ms
        return [Rate(limit, 10 * Duration.SECOND + stretch)]

    def pace_rates(self, limit: int | None = None) -> list[Rate]:
        """The 10-second window's requests spread over its seconds.

        A rolling window alone admits a burst: steps that answer quickly spend the whole
        window in its first seconds, then every step waits for the oldest requests to
        expire, and the pattern repeats window after window. Within a burst nobody waits,
        so each step takes as much as its own latency allows and the quickest object
        finishes far ahead of the slowest. Capping every second at a tenth of the window
        (rounded up, so the 10-second window still binds) keeps the steps queued all the
        time, sharing evenly, and spares HubSpot the bursts.
        """
        window = self.rates(Policy.TEN_SECONDLY_ROLLING, limit)[0]
        return [Rate(math.ceil(window.limit * Duration.SECOND / window.interval), Duration.SECOND)]

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
