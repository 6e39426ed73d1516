"""Where the shared budget's counts live: an SQLite file, PostgreSQL or Redis.

Every backend is one of pyrate-limiter's own buckets, so the counting and its atomicity
across processes are the library's: the SQLite bucket under a file lock, the PostgreSQL
bucket under a table lock, the Redis bucket in a Lua script. This module only picks the
backend from a URL and names the buckets.
"""

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

from filelock import FileLock
from pyrate_limiter import AbstractBucket, Rate, SQLiteBucket

DEFAULT_BUDGET_URL = "data/hubspot_budget.sqlite"
POSTGRES_SCHEMES = ("postgresql", "postgres")
REDIS_SCHEMES = ("redis", "rediss")


def describe_url(url: str) -> str:
    """The URL without its password, for logs and error messages."""
    parts = urlsplit(url)
    if not parts.scheme or parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
    return parts._replace(netloc=netloc).geturl()


class BudgetStore:
    """Builds pyrate-limiter buckets in one backend, and a lock per name in the same one."""

    kind = "abstract"

    def bucket(self, name: str, rates: list[Rate]) -> AbstractBucket:
        raise NotImplementedError

    @contextmanager
    def exclusive(self, name: str) -> Iterator[None]:
        """Holds a lock shared with every process that uses this store."""
        raise NotImplementedError
        yield

    def close(self) -> None:
        """Frees connections; buckets built by this store are unusable afterwards."""


class SQLiteBudgetStore(BudgetStore):
    """One SQLite file; pyrate-limiter serializes its processes with a file lock."""

    kind = "sqlite"

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._path = path

    def bucket(self, name: str, rates: list[Rate]) -> AbstractBucket:
        return SQLiteBucket.init_from_file(
            rates, table=name, db_path=str(self._path), use_file_lock=True
        )

    @contextmanager
    def exclusive(self, name: str) -> Iterator[None]:
        with FileLock(f"{self._path}.{name}.lock"):
            yield


class PostgresBudgetStore(BudgetStore):
    """Tables in a PostgreSQL database, through one small connection pool per process."""

    kind = "postgresql"

    def __init__(self, url: str) -> None:
        from psycopg_pool import ConnectionPool

        # The bucket locks its table per transaction; the pool commits each one.
        self._url = url
        self._pool = ConnectionPool(url, min_size=1, max_size=4, open=True)

    def bucket(self, name: str, rates: list[Rate]) -> AbstractBucket:
        from pyrate_limiter import PostgresBucket

        return PostgresBucket(self._pool, name, rates)

    @contextmanager
    def exclusive(self, name: str) -> Iterator[None]:
        import psycopg
        from pyrate_limiter.buckets.postgres import advisory_lock_id

        # A session-level advisory lock on a connection of its own: PostgreSQL frees it
        # if this process dies, and no pooled transaction stays open while it is held.
        with psycopg.connect(self._url, autocommit=True) as conn:
            key = advisory_lock_id(f"hubspot_pipeline_{name}")
            conn.execute("SELECT pg_advisory_lock(%s)", (key,))
            try:
                yield
            finally:
                conn.execute("SELECT pg_advisory_unlock(%s)", (key,))

    def close(self) -> None:
        self._pool.close()


class RedisBudgetStore(BudgetStore):
    """Sorted sets in Redis, one key per bucket."""

    kind = "redis"
    # A lock held by a process that died must expire; a live holder renews it.
    LOCK_TIMEOUT_SECONDS = 60.0

    def __init__(self, url: str) -> None:
        from redis import Redis

        self._redis = Redis.from_url(url)

    def bucket(self, name: str, rates: list[Rate]) -> AbstractBucket:
        from pyrate_limiter import RedisBucket

        return RedisBucket.init(rates, self._redis, f"hubspot_pipeline:{name}")

    @contextmanager
    def exclusive(self, name: str) -> Iterator[None]:
        lock = self._redis.lock(f"hubspot_pipeline:lock:{name}", timeout=self.LOCK_TIMEOUT_SECONDS)
        lock.acquire(blocking=True)
        stop = threading.Event()

        def renew() -> None:
            while not stop.wait(self.LOCK_TIMEOUT_SECONDS / 3):
                lock.extend(self.LOCK_TIMEOUT_SECONDS, replace_ttl=True)

        renewer = threading.Thread(target=renew, name="budget-lock-renewer", daemon=True)
        renewer.start()
        try:
            yield
        finally:
            stop.set()
            renewer.join()
            lock.release()

    def close(self) -> None:
        self._redis.close()


def store_from_url(url: str) -> BudgetStore:
    """`postgresql://...`, `redis://...`, or a path (or `sqlite:///path`) to an SQLite file."""
    scheme = urlsplit(url).scheme.lower() if "://" in url else ""
    if scheme in POSTGRES_SCHEMES:
        return PostgresBudgetStore(url)
    if scheme in REDIS_SCHEMES:
        return RedisBudgetStore(url)
    if scheme == "sqlite":
        return SQLiteBudgetStore(Path(url.split("://", 1)[1]))
    if scheme:
        raise ValueError(
            f"HUBSPOT_BUDGET_URL must be an SQLite path, postgresql:// or redis:// URL, "
            f"got {describe_url(url)!r}"
        )
    return SQLiteBudgetStore(Path(url))
