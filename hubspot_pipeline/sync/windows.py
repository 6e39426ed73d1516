"""Time windows: the slice of a portal that one run of one object reads."""

from dataclasses import dataclass
from datetime import UTC, datetime

from hubspot_pipeline.hubspot.errors import ValidationError


@dataclass(frozen=True)
class Window:
    """Records whose last-modified time is in [start, end), both UTC-aware."""

    start: datetime
    end: datetime

    def __post_init__(self) -> None:
        if self.start.tzinfo is None or self.end.tzinfo is None:
            raise ValidationError(f"window bounds must be time-zone aware, got {self}")
        if self.end <= self.start:
            raise ValidationError(
                f"window ends ({self.end.isoformat()}) before it starts ({self.start.isoformat()})"
            )

    @property
    def start_ms(self) -> int:
        return to_epoch_ms(self.start)

    @property
    def end_ms(self) -> int:
        return to_epoch_ms(self.end)

    def __str__(self) -> str:
        return f"[{self.start.isoformat()}, {self.end.isoformat()})"


def to_epoch_ms(moment: datetime) -> int:
    """HubSpot's search filters take datetimes as epoch milliseconds."""
    return int(moment.astimezone(UTC).timestamp() * 1000)
