import threading

import pytest

from hubspot_pipeline.sync.read_ahead import read_ahead


class Pager:
    """Pages 0..n-1, failing at `fail_at`; records how far it was read and whether closed."""

    def __init__(self, pages: int, fail_at: int | None = None) -> None:
        self.pages = pages
        self.fail_at = fail_at
        self.read = 0
        self.closed = threading.Event()
        self.threads: set[str] = set()

    def __iter__(self):
        try:
            for number in range(self.pages):
                self.threads.add(threading.current_thread().name)
                if number == self.fail_at:
                    raise RuntimeError(f"page {number} failed")
                self.read += 1
                yield number
        finally:
            self.closed.set()


def test_yields_every_page_in_order_from_a_worker_thread():
    pager = Pager(100)

    assert list(read_ahead(iter(pager), depth=4)) == list(range(100))
    assert pager.threads == {"hubspot-read-ahead"}
    assert pager.closed.is_set()


def test_an_error_comes_after_the_pages_read_before_it():
    pager = Pager(10, fail_at=6)
    seen = []

    with pytest.raises(RuntimeError, match="page 6 failed"):
        for page in read_ahead(iter(pager), depth=2):
            seen.append(page)

    assert seen == [0, 1, 2, 3, 4, 5]


def test_reads_at_most_depth_pages_ahead_of_the_consumer():
    pager = Pager(1000)
    pages = read_ahead(iter(pager), depth=5)

    assert next(pages) == 0
    # The worker fills the queue, then holds one more page until there is room.
    for _ in range(100):
        if pager.read == 1 + 5 + 1:
            break
        threading.Event().wait(0.01)
    threading.Event().wait(0.1)

    assert pager.read == 1 + 5 + 1
    pages.close()


def test_a_consumer_that_stops_early_stops_the_reader_and_closes_it():
    pager = Pager(1000)
    pages = read_ahead(iter(pager), depth=3)

    assert [next(pages), next(pages)] == [0, 1]
    pages.close()

    assert pager.closed.wait(5)
    read = pager.read
    threading.Event().wait(0.2)
    assert pager.read == read < 10


def test_depth_below_one_is_refused():
    with pytest.raises(ValueError, match="read-ahead depth must be at least 1, got 0"):
        next(read_ahead(iter([1]), depth=0))
