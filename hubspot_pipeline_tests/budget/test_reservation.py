"""The budget's queue: rooms taken in turn, and a pager's room reserved while it waits.

These run against pyrate-limiter's in-memory bucket and real threads; the cross-process
tests (`test_across_processes`) run the same code against every store.
"""

import threading
import time

from pyrate_limiter import InMemoryBucket, Limiter, Rate

from hubspot_pipeline.hubspot.reservation import (
    CONTENDED_WAIT_SECONDS,
    Paging,
    Reservations,
    acquire_in_turn,
)


def full_window(rooms: int, interval_ms: int) -> tuple[Limiter, InMemoryBucket]:
    bucket = InMemoryBucket([Rate(rooms, interval_ms)])
    limiter = Limiter(bucket)
    for _ in range(rooms):
        assert limiter.try_acquire("portal", blocking=False)
    return limiter, bucket


def test_a_window_with_room_is_taken_from_at_once() -> None:
    limiter = Limiter(bucket := InMemoryBucket([Rate(5, 1000)]))
    started = time.monotonic()

    assert acquire_in_turn(limiter, bucket, "portal", latecomer_delay=1.0)
    assert time.monotonic() - started < 0.5


def test_a_waiter_stops_waiting_when_told() -> None:
    limiter, bucket = full_window(1, 60_000)
    stop = threading.Event()
    threading.Timer(0.2, stop.set).start()
    started = time.monotonic()

    assert not acquire_in_turn(limiter, bucket, "portal", stop)
    assert time.monotonic() - started < 5


def test_the_waiter_that_came_first_gets_the_room_that_frees_first() -> None:
    """The newcomer comes just before room frees: with pyrate-limiter's own blocking wait
    both would wake at that moment and race for it."""
    limiter, bucket = full_window(1, 1000)
    granted: list[str] = []

    def wait(name: str) -> None:
        if acquire_in_turn(limiter, bucket, "portal", latecomer_delay=0.3):
            granted.append(name)

    early = threading.Thread(target=wait, args=("early",))
    late = threading.Thread(target=wait, args=("late",))
    early.start()
    time.sleep(0.85)
    late.start()
    for waiter in (early, late):
        waiter.join(timeout=10)

    assert granted == ["early", "late"]


class Rooms:
    """A window for `Reservations`: each room takes `wait` seconds to get, while `open`."""

    def __init__(self, wait: float) -> None:
        self.wait = wait
        self.taken = 0
        self.open = threading.Event()
        self.open.set()
        self._lock = threading.Lock()

    def take(self, stop: threading.Event | None) -> bool:
        while not self.open.wait(0.01):
            if stop is not None and stop.is_set():
                return False
        time.sleep(self.wait)
        with self._lock:
            self.taken += 1
        return True

    def settle(self, taken: int) -> None:
        """Wait until `taken` rooms are taken, then a little longer for any further one."""
        deadline = time.monotonic() + 5
        while self.taken < taken and time.monotonic() < deadline:
            time.sleep(0.01)
        time.sleep(self.wait * 3 + 0.1)


def contended_pager(max_age: float, clock=time.monotonic) -> tuple[Rooms, Reservations]:
    """A pager whose first room was slow to come: it now holds its second page's room."""
    rooms = Rooms(wait=CONTENDED_WAIT_SECONDS * 3)
    reservations = Reservations(rooms.take, max_age_seconds=max_age, clock=clock)
    reservations.acquire(Paging())
    rooms.settle(2)
    return rooms, reservations


def test_an_uncontended_window_reserves_nothing() -> None:
    rooms = Rooms(wait=0.0)
    reservations = Reservations(rooms.take, max_age_seconds=1.0)

    for _ in range(3):
        reservations.acquire(Paging())
    rooms.settle(3)

    assert rooms.taken == 3
    reservations.close()


def test_a_contended_pager_holds_the_next_room_and_no_more() -> None:
    rooms, reservations = contended_pager(max_age=5.0)
    assert rooms.taken == 2  # this request's room, and the next one's

    started = time.monotonic()
    reservations.acquire(Paging())
    assert time.monotonic() - started < CONTENDED_WAIT_SECONDS  # the reserved room
    rooms.settle(3)
    assert rooms.taken == 3

    reservations.acquire(Paging(pages_left=0))
    rooms.settle(3)
    assert rooms.taken == 3  # the last page takes the room held for it, and holds none
    reservations.acquire()
    rooms.settle(4)
    assert rooms.taken == 4  # not a pager: its own room, and none held either
    reservations.close()


def test_a_room_older_than_its_age_is_not_used() -> None:
    """HubSpot counts a request when it arrives: a room granted long before would let a
    window's requests arrive over a span longer than the limiter's."""
    later = [0.0]
    rooms, reservations = contended_pager(0.5, clock=lambda: time.monotonic() + later[0])

    later[0] = 10.0
    rooms.wait = 0.0
    reservations.acquire(Paging())
    rooms.settle(3)

    # The stale room stays spent and a fresh one is taken; that one came at once, so the
    # window is no longer contended and nothing more is reserved.
    assert rooms.taken == 3
    reservations.close()


def test_close_stops_a_waiter_that_has_no_room_yet() -> None:
    rooms, reservations = contended_pager(max_age=5.0)
    rooms.open.clear()  # the window fills up: the next room's waiter waits
    reservations.acquire(Paging())

    closing = threading.Thread(target=reservations.close)
    closing.start()
    closing.join(timeout=5)

    assert not closing.is_alive()
    assert rooms.taken == 2


def test_a_waiter_keeps_its_place_from_one_bucket_to_the_next() -> None:
    """A waiter that waited for the second's room is no newcomer to the window's queue."""
    limiter, bucket = full_window(1, 300)
    came = time.monotonic() - 5.0
    started = time.monotonic()

    assert acquire_in_turn(limiter, bucket, "portal", latecomer_delay=2.0, since=came)
    assert time.monotonic() - started < 1.5
