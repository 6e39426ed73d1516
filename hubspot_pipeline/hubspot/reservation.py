"""Keeps a pager's place in the budget's queue while its last request is still answering.

A pager cannot send page n+1 before page n has answered. If it asked for room only then,
pagers would share a full window by how soon they come back: the object with the fewest
properties (the quickest answers) would take the most, finish first, and leave the
slowest object reading alone at the end, with most of the budget unused. A pager that
waits for its next room even while its request is in flight keeps its place in the
queue (`acquire_in_turn`) and gets close to an equal share.

The cost is that a room may be granted some time before its request leaves, while
HubSpot counts the request when it arrives. A room older than `max_age_seconds` (by
which `BudgetConfig` stretches the window) is therefore not used: the request takes a
fresh one, and the stale room stays counted, unused. Rooms go stale mostly when the
window has room anyway, so reserving stops until a request has to wait again.
"""

import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

from pyrate_limiter import AbstractBucket, Limiter, RateItem

# A fresh room that took longer than this to get means the window is full.
CONTENDED_WAIT_SECONDS = 0.02
# How long a waiter that came to a full window lets those already waiting go first. The
# closer to a pager's fair turn (4 pagers sharing 186 per 10.3 s: 0.22 s), the closer to
# round robin: on `make bench-budget` 0.03 s gave 0.89, 0.08 s 0.88-0.92, 0.15 s 0.92-0.93.
# Above the turn it would cost: 2 quick pagers that fill the window wait it out in turn.
LATECOMER_DELAY_SECONDS = 0.15
_MIN_POLL_SECONDS = 0.002


def acquire_in_turn(
    limiter: Limiter,
    bucket: AbstractBucket,
    name: str,
    stop: threading.Event | None = None,
    *,
    latecomer_delay: float = LATECOMER_DELAY_SECONDS,
    since: float | None = None,
    clock: Callable[[], float] = time.monotonic,
) -> bool:
    """Wait for room, letting those who waited longer go first; False if `stop` came first.

    pyrate-limiter's own blocking wait wakes every waiter at the moment room frees and
    lets the quickest process take it, so a step on a busy CPU may lose any number of
    times in a row. Here a waiter that came to a full window tries no sooner than
    `latecomer_delay` after it came, then the moment room frees. Those who have waited
    longer take the rooms that free first, in every process that shares the bucket:
    room goes roughly first come, first served, and a pager gets its turn a steady while
    after its last request. A window with room is taken at once. `since` is when the
    waiter came, if before this call (while it waited for an earlier bucket).

    A strictly ordered queue would need a queue of waiters in the budget's store beside
    pyrate-limiter's buckets; measured on `make bench-budget`, waiting in proportion to
    how long one has waited (a closer approximation) lost more than it gained.
    """
    stop = stop or threading.Event()
    started = clock() if since is None else since
    while not limiter.try_acquire(name, blocking=False):
        until_room = bucket.waiting(RateItem(name, int(bucket.now()))) / 1000
        waited = clock() - started
        if stop.wait(max(until_room, latecomer_delay - waited, _MIN_POLL_SECONDS)):
            return False
    return True


@dataclass(frozen=True, slots=True)
class Paging:
    """A pager's request: the next one follows its answer at once, unless none is left.

    `pages_left` is the pager's estimate of the pages it reads after this one, None if
    it cannot tell. A pager that expects none reserves no room it would not use.
    """

    pages_left: int | None = None

    @property
    def has_next(self) -> bool:
        return self.pages_left is None or self.pages_left > 0


class Reservations:
    """Rooms of one budget policy, taken in advance for one pager (thread-safe)."""

    def __init__(
        self,
        take_room: Callable[[threading.Event | None], bool],
        max_age_seconds: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """`take_room(stop)` blocks until it has room (True) or `stop` is set (False)."""
        self._take_room = take_room
        self._max_age = max_age_seconds
        self._clock = clock
        self._lock = threading.Lock()
        self._room: Future | None = None
        self._waiter: ThreadPoolExecutor | None = None
        self._contended = False
        self._closed = threading.Event()

    def acquire(self, paging: Paging | None = None) -> None:
        """Take the reserved room if a fresh one is there, else wait for one now.

        For a pager with a next page, wait for that page's room meanwhile, as long as the
        window is contended.
        """
        if not self._take_reserved():
            started = self._clock()
            self._take_room(None)
            waited = self._clock() - started
            with self._lock:
                self._contended = waited > CONTENDED_WAIT_SECONDS

        if paging is not None and paging.has_next:
            self._reserve()

    def close(self) -> None:
        """Stop waiting; a waiter that is taking room at this moment finishes first."""
        with self._lock:
            self._closed.set()
            waiter, self._waiter = self._waiter, None
            self._room = None
        if waiter is not None:
            waiter.shutdown(wait=True)

    def _take_reserved(self) -> bool:
        with self._lock:
            room, self._room = self._room, None
        if room is None:
            return False

        granted_at = room.result()
        if granted_at is None:
            return False
        if self._clock() - granted_at > self._max_age:
            # Granted long before it was used: the window had room, or the answer was slow.
            with self._lock:
                self._contended = False
            return False
        return True

    def _reserve(self) -> None:
        with self._lock:
            if self._closed.is_set() or not self._contended or self._room is not None:
                return
            if self._waiter is None:
                self._waiter = ThreadPoolExecutor(
                    max_workers=1, thread_name_prefix="hubspot-budget-reservation"
                )
            self._room = self._waiter.submit(self._wait_for_room)

    def _wait_for_room(self) -> float | None:
        """The time room was granted, or None if the pager finished first."""
        if self._take_room(self._closed):
            return self._clock()
        return None
