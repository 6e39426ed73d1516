"""The API budget of a portal, shared by every process that calls HubSpot for it.

HubSpot limits a token, not a process: two Dagster steps that each kept their own count
would together overrun the 10-second window. The counts therefore live outside the
process, in pyrate-limiter buckets (`budget_store`: an SQLite file in the embedded
default, PostgreSQL or Redis in production). Each limit policy of each portal gets its
own bucket, so search's per-second limit never consumes the general 10-second budget.

The daily limit is shared by every app of the portal and resets at midnight in the
portal's time zone, which a rolling window cannot express: its bucket is named after the
portal's current day, so each day starts an empty one. Part of the day is kept for the
portal's other apps. What HubSpot's headers say others already spent is written into the
buckets as requests of their own, so every process slows down, not only the one that
read the headers.
"""

import logging
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime

from pyrate_limiter import AbstractBucket, Limiter, Rate, RateItem

from hubspot_pipeline.hubspot.budget_config import (
    BudgetConfig,
    Policy,
    RateHeaders,
    portal_key,
    with_headroom,
)
from hubspot_pipeline.hubspot.budget_store import BudgetStore
from hubspot_pipeline.hubspot.errors import DailyLimitExhaustedError
from hubspot_pipeline.hubspot.reservation import Paging, Reservations, acquire_in_turn

__all__ = ["BudgetConfig", "Paging", "Policy", "SharedBudget", "portal_key"]

log = logging.getLogger(__name__)

# Requests HubSpot may count before our bucket does (a request in flight at the edge of a
# window); a smaller gap between its count and ours is not someone else's spending.
EDGE_TOLERANCE = 2
# The daily count is reconciled with HubSpot's headers at most this often per process.
DAILY_RECONCILE_SECONDS = 5.0
OTHERS = "others"
# The key of the bucket that spreads the 10-second window over its seconds.
PACE = "pace"
CONTENTION_PAUSE_SECONDS = 0.01


class SharedBudget:
    """Blocks a caller until its policy's window has room, across every process."""

    def __init__(
        self,
        store: BudgetStore,
        portal: str,
        config: BudgetConfig,
        *,
        wall_clock=lambda: datetime.now(UTC),
    ) -> None:
        self._store = store
        self._portal = portal
        self._config = config
        self._now = wall_clock
        self._lock = threading.Lock()
        self._limiters: dict[Policy | str, Limiter] = {}
        self._buckets: dict[Policy | str, AbstractBucket] = {}
        self._daily_day: str | None = None
        self._daily_limit = config.daily_limit
        self._ten_second_limit = config.requests_per_ten_seconds
        self._last_reconcile = 0.0
        self._reserved: dict[Policy, Reservations] = {}

    @property
    def config(self) -> BudgetConfig:
        return self._config

    def acquire(self, policy: Policy, *, paging: Paging | None = None) -> None:
        """Take one request from the day's budget, then wait for room in the policy's window.

        Raises `DailyLimitExhaustedError` at once, without waiting, when the day is spent.
        `paging` is for a pager, whose next request follows this one's answer: it keeps
        the pager's place in the queue meanwhile (see `reservation`).
        """
        self._take_from_day()
        self._reservations(policy).acquire(paging)

    def _reservations(self, policy: Policy) -> Reservations:
        with self._lock:
            reservations = self._reserved.get(policy)
            if reservations is None:

                def take_room(stop: threading.Event | None) -> bool:
                    # The second's room first: the window's room is counted as the request
                    # leaves, not while it waits for its second. The waiter keeps its place
                    # in the queue from one bucket to the next.
                    came = time.monotonic()
                    if policy is Policy.TEN_SECONDLY_ROLLING:
                        pace, bucket = self._shared_limiter(
                            PACE,
                            f"budget_{self._portal}_ten_secondly_pace",
                            lambda: self._config.pace_rates(self._ten_second_limit),
                        )
                        if not acquire_in_turn(pace, bucket, self._portal, stop, since=came):
                            return False
                    window, bucket = self._window(policy)
                    return acquire_in_turn(window, bucket, self._portal, since=came)

                reservations = Reservations(take_room, self._config.reservation_age_ms / 1000)
                self._reserved[policy] = reservations
            return reservations

    def _take_from_day(self) -> None:
        daily = self._daily_limiter()
        if daily is None:
            return
        bucket = self._bucket(Policy.DAILY)
        allowance = self._config.daily_allowance(self._daily_limit or 1)
        # A refusal is either a spent day or, with PostgreSQL, another process holding the
        # bucket's table lock at that instant (its bucket does not wait for the lock): only
        # the count tells them apart.
        while not daily.try_acquire(self._portal, blocking=False):
            if bucket is None or int(bucket.count()) >= allowance:
                raise self.daily_exhausted_error()
            time.sleep(CONTENTION_PAUSE_SECONDS)

    def observe(self, headers: Mapping[str, str]) -> None:
        """Learn from a response's rate-limit headers what others spent and what the limits are."""
        seen = RateHeaders.parse(headers)
        if seen.maximum is not None and seen.interval_ms == 10_000:
            self._adapt_ten_second_window(seen.maximum, seen.remaining)
        if seen.daily is not None and seen.daily_remaining is not None:
            self._adapt_daily(seen.daily, seen.daily_remaining)

    def mark_daily_exhausted(self) -> None:
        """HubSpot refused a request for the day: fill the day so no process asks again."""
        if self._daily_limit is None:
            # Without a known daily limit there is no bucket to fill; remember one that
            # admits nothing more today.
            self._daily_limit = 1
        bucket = self._bucket(Policy.DAILY)
        if bucket is not None:
            _consume(bucket, OTHERS, self._config.daily_allowance(self._daily_limit))

    def daily_exhausted_error(self) -> DailyLimitExhaustedError:
        now = self._now()
        reset = self._config.next_reset(now)
        wait = reset - now
        hours, minutes = divmod(int(wait.total_seconds()) // 60, 60)
        limit = self._daily_limit or 0
        message = (
            f"HubSpot's daily API budget for this portal is spent: this deployment may use "
            f"{self._config.daily_allowance(limit) if limit else 0} of its {limit} daily "
            f"requests ({self._config.daily_reserved_share:.0%} kept for the portal's other "
            f"apps). It resets at {reset.isoformat()} (midnight {self._config.portal_timezone})"
            f", in {hours}h{minutes:02d}m; retry after that."
        )
        return DailyLimitExhaustedError(message, policy_name=Policy.DAILY.value)

    @contextmanager
    def object_lock(self, object_type: str) -> Iterator[None]:
        """Held while one object of this portal is synced: one sync per object at a time."""
        with self._store.exclusive(f"sync_{self._portal}_{object_type}"):
            yield

    def close(self) -> None:
        # A reservation still waiting for room holds its limiter: let it finish first.
        with self._lock:
            reserved = list(self._reserved.values())
            self._reserved.clear()
        for reservations in reserved:
            reservations.close()
        with self._lock:
            for limiter in self._limiters.values():
                limiter.close()
            self._limiters.clear()
            self._buckets.clear()
        self._store.close()

    def _adapt_ten_second_window(self, maximum: int, remaining: int | None) -> None:
        if maximum < self._ten_second_limit:
            log.warning(
                "HubSpot allows %d requests per 10 s, fewer than the configured %d: "
                "following HubSpot",
                maximum,
                self._ten_second_limit,
            )
            self._ten_second_limit = maximum
            with self._lock:
                bucket = self._buckets.get(Policy.TEN_SECONDLY_ROLLING)
                if bucket is not None:
                    bucket.rates = self._config.rates(Policy.TEN_SECONDLY_ROLLING, maximum)
                pace = self._buckets.get(PACE)
                if pace is not None:
                    pace.rates = self._config.pace_rates(maximum)
        if remaining is None:
            return

        # HubSpot counted `maximum - remaining` in its window; our bucket never admits
        # more than its own limit there. Anything beyond that was spent with this token
        # by someone who does not share our bucket: record it, so every process waits.
        ours_at_most = with_headroom(self._ten_second_limit, self._config.headroom)
        unseen = (maximum - remaining) - ours_at_most - EDGE_TOLERANCE
        if unseen > 0:
            log.info("HubSpot counts %d requests of this window that we did not send", unseen)
            _consume(self._bucket(Policy.TEN_SECONDLY_ROLLING), OTHERS, unseen)

    def _adapt_daily(self, daily: int, daily_remaining: int) -> None:
        if self._daily_limit != daily:
            self._daily_limit = daily
            with self._lock:
                self._daily_day = None  # rebuilt with the limit HubSpot reports
        if time.monotonic() - self._last_reconcile < DAILY_RECONCILE_SECONDS:
            return
        self._last_reconcile = time.monotonic()

        bucket = self._bucket(Policy.DAILY)
        if bucket is None:
            return
        # Today's bucket counts the portal's requests that we know of (ours and others'
        # recorded before); HubSpot's remaining count covers every app of the portal.
        spent_by_portal = daily - daily_remaining
        unseen = spent_by_portal - int(bucket.count())
        if unseen > 0:
            log.info("Other apps of this portal spent %d requests of today's budget", unseen)
            _consume(bucket, OTHERS, unseen)

    def _daily_limiter(self) -> Limiter | None:
        if self._daily_limit is None:
            return None
        day = self._config.portal_day(self._now())
        with self._lock:
            if self._daily_day != day:
                old = self._limiters.pop(Policy.DAILY, None)
                if old is not None:
                    old.close()
                bucket = self._store.bucket(
                    f"budget_{self._portal}_daily_{day}",
                    self._config.rates(Policy.DAILY, self._daily_limit),
                )
                self._buckets[Policy.DAILY] = bucket
                self._limiters[Policy.DAILY] = Limiter(bucket)
                self._daily_day = day
            return self._limiters[Policy.DAILY]

    def _bucket(self, policy: Policy) -> AbstractBucket | None:
        if policy is Policy.DAILY:
            self._daily_limiter()
        else:
            self._limiter(policy)
        with self._lock:
            return self._buckets.get(policy)

    def _limiter(self, policy: Policy) -> Limiter:
        return self._window(policy)[0]

    def _window(self, policy: Policy) -> tuple[Limiter, AbstractBucket]:
        limit = self._ten_second_limit if policy is Policy.TEN_SECONDLY_ROLLING else None
        return self._shared_limiter(
            policy,
            f"budget_{self._portal}_{policy.value.lower()}",
            lambda: self._config.rates(policy, limit),
        )

    def _shared_limiter(
        self, key: Policy | str, name: str, rates: Callable[[], list[Rate]]
    ) -> tuple[Limiter, AbstractBucket]:
        """The limiter over the store's bucket `name`, made on first use."""
        with self._lock:
            limiter = self._limiters.get(key)
            if limiter is None:
                bucket = self._store.bucket(name, rates())
                limiter = Limiter(bucket)
                self._buckets[key] = bucket
                self._limiters[key] = limiter
            return limiter, self._buckets[key]


def _consume(bucket: AbstractBucket | None, name: str, weight: int) -> None:
    """Record `weight` requests that someone else sent, as far as the window has room.

    pyrate-limiter admits a weight whole or not at all, so the weight is halved until
    the rest fits: what does not fit was already over the limit and needs no recording.
    """
    if bucket is None:
        return
    remaining = min(weight, max(rate.limit for rate in bucket.rates))
    chunk = remaining
    while remaining >= 1 and chunk >= 1:
        chunk = min(chunk, remaining)
        if bucket.put(RateItem(name, int(bucket.now()), weight=chunk)):
            remaining -= chunk
        else:
            chunk //= 2
