"""HubSpot's timestamp formats: ISO-8601 UTC with milliseconds, and epoch milliseconds."""

from datetime import UTC, date, datetime, timedelta

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MILLISECOND = timedelta(milliseconds=1)


def ms_to_iso(ms: int) -> str:
    """Epoch milliseconds as HubSpot writes datetimes, e.g. `2026-07-21T16:02:41.090Z`."""
    seconds, millis = divmod(ms, 1000)
    stamp = datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%dT%H:%M:%S")
    return f"{stamp}.{millis:03d}Z"


def ms_to_date(ms: int) -> str:
    """Epoch milliseconds as a date-only value (`YYYY-MM-DD`), never shifted by a time zone."""
    return datetime.fromtimestamp(ms // 1000, UTC).date().isoformat()


def datetime_to_ms(moment: datetime) -> int:
    return (moment - _EPOCH) // _MILLISECOND


def date_to_ms(day: date) -> int:
    """Midnight UTC of a day, in epoch milliseconds."""
    return datetime_to_ms(datetime(day.year, day.month, day.day, tzinfo=UTC))


def parse_to_ms(text: str) -> int | None:
    """Epoch ms from an epoch-ms string, an ISO datetime or a date; None if it is neither.

    Search filters on datetime properties take epoch-ms strings (FACTS §5); ISO is accepted
    too because clients send it and HubSpot's API accepts both on writes.
    """
    text = text.strip()
    if not text:
        return None
    if text.lstrip("-").isdigit():
        return int(text)
    try:
        if len(text) == 10:
            return date_to_ms(date.fromisoformat(text))
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return datetime_to_ms(moment)
