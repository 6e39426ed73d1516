"""Configuration of one simulated HubSpot portal: data volume, limits and fault knobs."""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime

OBJECT_TYPES = ("contacts", "companies", "deals", "tickets")


def _now_to_the_second() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


@dataclass(frozen=True, slots=True)
class HotDay:
    """COUNT extra records of one object type, all last modified on one UTC day.

    Stands in for a bulk import or workflow run: thousands of modifications in one day,
    many of them on the very same millisecond.
    """

    object_type: str
    day: date
    count: int

    @classmethod
    def parse(cls, text: str) -> "HotDay":
        """Parse the CLI form `OBJECT:YYYY-MM-DD:COUNT`."""
        try:
            object_type, day, count = text.split(":")
            hot_day = cls(object_type, date.fromisoformat(day), int(count))
        except ValueError as exc:
            raise ValueError(
                f"hot day must look like OBJECT:YYYY-MM-DD:COUNT, got {text!r}"
            ) from exc
        hot_day.validate()
        return hot_day

    def validate(self) -> None:
        if self.object_type not in OBJECT_TYPES:
            raise ValueError(f"unknown object type {self.object_type!r} in hot day")
        if self.count < 0:
            raise ValueError("hot day count must not be negative")


@dataclass(slots=True)
class SimulatorConfig:
    """Everything that decides what the simulator answers; same config, same answers.

    `token=None` accepts any bearer token. `hot_days` holds `HotDay` values or plain
    `(object_type, date, count)` tuples. Data covers the `days` days before `end` and is
    never in the future relative to `end`.
    """

    seed: int = 7
    contacts: int = 2_000
    companies: int = 500
    deals: int = 800
    tickets: int = 300
    days: int = 365
    end: datetime = field(default_factory=_now_to_the_second)
    token: str | None = None
    ten_second_limit: int = 190
    search_per_second: int = 5
    daily_limit: int = 1_000_000
    rate_429_share: float = 0.0
    shared_timestamp_share: float = 0.1
    hot_days: list[HotDay | tuple[str, date, int]] = field(default_factory=list)
    latency_ms: float = 0.0
    latency_per_property_ms: float = 0.0
    # Object types whose every request answers 503, to exhaust a client's retries for one
    # object while the others succeed. Mutable at run time (the server reads it per request).
    fail_object_types: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.end.tzinfo is None:
            raise ValueError("end must be timezone-aware (UTC)")
        self.end = self.end.astimezone(UTC)
        self.hot_days = [
            day if isinstance(day, HotDay) else HotDay(day[0], day[1], int(day[2]))
            for day in self.hot_days
        ]
        for day in self.hot_days:
            day.validate()
        if not 0.0 <= self.rate_429_share <= 1.0:
            raise ValueError("rate_429_share must be between 0 and 1")
        if not 0.0 <= self.shared_timestamp_share <= 1.0:
            raise ValueError("shared_timestamp_share must be between 0 and 1")
        if self.days < 1:
            raise ValueError("days must be at least 1")
        unknown = sorted(set(self.fail_object_types) - set(OBJECT_TYPES))
        if unknown:
            raise ValueError(f"unknown object types in fail_object_types: {unknown}")

    def count(self, object_type: str) -> int:
        """Number of ordinary (not hot-day) records of an object type."""
        return int(getattr(self, object_type))
