"""Requests the next pages from HubSpot while the current ones are being processed.

A cursor-paged read cannot ask for page n+1 before page n has answered, but it need not
wait for page n to be typed and written either. The consumer of a sync's pages works in
bursts: it collects pages for nothing, then builds and hands dlt a whole Arrow batch of
thousands of records at once. A reader that waited for it would stop asking HubSpot for
the length of every burst, and its share of the API budget would go to waste. A worker
thread therefore pages on by itself into a bounded queue: memory stays bounded by
`depth` pages, and the step asks for pages nearly as fast as HubSpot answers them.

The standard library's thread and queue do the work; packages that offer a threaded
prefetching iterator add a dependency for these few lines.
"""

import queue
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TypeVar

T = TypeVar("T")

# Pages held at most: a contacts page of 100 records with 250 properties is about 1 MB of
# Python objects, and a batch of 5,000 records (50 pages) takes a second or two to build.
DEFAULT_DEPTH = 32
# How often a blocked worker looks whether its consumer has gone.
_POLL_SECONDS = 0.1


@dataclass(frozen=True, slots=True)
class _Failed:
    error: BaseException


_DONE = object()


def read_ahead(pages: Iterator[T], depth: int = DEFAULT_DEPTH) -> Iterator[T]:
    """Yield `pages` in order while a worker thread reads up to `depth` pages ahead.

    Only the worker advances `pages`, so the page iterator needs no locking. An error it
    raises comes out of this iterator after the pages read before it, as it would without
    the worker. A consumer that stops early (or fails) stops the worker: it finishes the
    one request in flight, if any, reads no further and closes `pages`.
    """
    if depth < 1:
        raise ValueError(f"read-ahead depth must be at least 1, got {depth}")

    buffer: queue.Queue = queue.Queue(maxsize=depth)
    stopped = threading.Event()

    def offer(item: object) -> bool:
        while not stopped.is_set():
            try:
                buffer.put(item, timeout=_POLL_SECONDS)
                return True
            except queue.Full:
                continue
        return False

    def work() -> None:
        try:
            for page in pages:
                if not offer(page):
                    break
            else:
                offer(_DONE)
        except BaseException as error:  # handed to the consumer, raised there
            offer(_Failed(error))
        finally:
            # A generator is closed in the thread that ran it, so its own clean-up runs
            # now, not whenever it is garbage-collected.
            close = getattr(pages, "close", None)
            if close is not None:
                close()

    worker = threading.Thread(target=work, name="hubspot-read-ahead", daemon=True)
    worker.start()
    try:
        while (item := buffer.get()) is not _DONE:
            if isinstance(item, _Failed):
                raise item.error
            yield item
    finally:
        stopped.set()
        worker.join()
