"""Configuration of one simulated HubSpot portal: data volume, limits and fault knobs."""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from hubspot_pipeline.simulator.objects import OBJECT_TYPES

_SERVER_ERRORS = (500, 502, 503, 504)


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
    products: int = 40
    line_items: int = 150
    quotes: int = 20
    calls: int = 120
    emails: int = 120
    meetings: int = 60
    notes: int = 120
    tasks: int = 80
    cars: int = 50
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
    # Records in the recycle bin (archived=true), and merged-away ids, per live record.
    archived_share: float = 0.02
    merged_share: float = 0.01
    # Object types (or "owners") whose scope the token lacks: they answer 403 MISSING_SCOPES.
    missing_scopes: list[str] = field(default_factory=list)
    # Contacts associated to the first company on top of the usual ones: > 500 forces paging.
    hub_company_contacts: int = 600
    # Faults, each a share of API requests: {status: share} for 500/502/503/504, a stall
    # longer than clients wait, a connection reset, a body cut off mid-way.
    error_rates: dict[int, float] = field(default_factory=dict)
    timeout_share: float = 0.0
    timeout_seconds: float = 30.0
    reset_share: float = 0.0
    truncate_share: float = 0.0
    # Paging quirks of list endpoints: short (even empty) pages that still carry
    # paging.next.after, and `after` as an opaque string instead of a record id.
    short_page_share: float = 0.0
    opaque_after: bool = False
    # Search sees writes only this many seconds late; a share of result pages come unsorted.
    search_lag_seconds: float = 0.0
    search_shuffle_share: float = 0.0
    # GET requests whose URL is longer than this answer 414 (HubSpot: about 16,000).
    max_url_length: int = 16_000
    # Search bodies longer than this answer 400; HubSpot documents 3,000 characters, off by
    # default because the sync sends every property name in its search body.
    max_search_body_chars: int | None = None
    # OAuth: the token endpoint accepts this app's refresh token and issues access tokens
    # that live `token_lifetime_seconds`; the first `token_429s` token requests answer 429.
    oauth_client_id: str | None = None
    oauth_client_secret: str | None = None
    oauth_refresh_token: str | None = None
    token_lifetime_seconds: float = 1800.0
    token_429s: int = 0
    # Webhooks: changes made through the mutation API are POSTed here, signed with the secret.
    webhook_url: str | None = None
    webhook_secret: str | None = None
    webhook_flush_seconds: float = 0.2
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
        self.error_rates = {int(status): float(share) for status, share in self.error_rates.items()}
        for status in self.error_rates:
            if status not in _SERVER_ERRORS:
                raise ValueError(f"error_rates takes statuses {_SERVER_ERRORS}, got {status}")
        shares = {
            "archived_share": self.archived_share,
            "merged_share": self.merged_share,
            "timeout_share": self.timeout_share,
            "reset_share": self.reset_share,
            "truncate_share": self.truncate_share,
            "short_page_share": self.short_page_share,
            "search_shuffle_share": self.search_shuffle_share,
            **{f"error_rates[{status}]": share for status, share in self.error_rates.items()},
        }
        for name, share in shares.items():
            if not 0.0 <= share <= 1.0:
                raise ValueError(f"{name} must be between 0 and 1, got {share}")
        if self.fault_share > 1.0:
            raise ValueError("the fault shares together must not exceed 1")
        unknown = set(self.missing_scopes) - {*OBJECT_TYPES, "owners"}
        if unknown:
            raise ValueError(f"missing_scopes names unknown object types: {sorted(unknown)}")
        if self.token_lifetime_seconds <= 0:
            raise ValueError("token_lifetime_seconds must be positive")
        unknown = sorted(set(self.fail_object_types) - set(OBJECT_TYPES))
        if unknown:
            raise ValueError(f"unknown object types in fail_object_types: {unknown}")

    @property
    def fault_share(self) -> float:
        """The share of requests that meet some injected fault other than a 429."""
        return (
            sum(self.error_rates.values())
            + self.timeout_share
            + self.reset_share
            + self.truncate_share
        )

    @property
    def oauth_enabled(self) -> bool:
        return bool(self.oauth_client_id and self.oauth_client_secret and self.oauth_refresh_token)

    def count(self, object_type: str) -> int:
        """Number of ordinary (not hot-day) records of an object type."""
        return int(getattr(self, object_type))
