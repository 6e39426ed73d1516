"""The daily partitions of every CRM object asset."""

import os
from datetime import date

import dagster as dg

DEFAULT_START_DATE = "2006-01-01"  # HubSpot opened in 2006: no record was modified before.


def start_date_from_env() -> str:
    """`HUBSPOT_START_DATE` (YYYY-MM-DD), checked so that a typo fails with its name."""
    value = os.environ.get("HUBSPOT_START_DATE", "").strip() or DEFAULT_START_DATE
    try:
        date.fromisoformat(value)
    except ValueError:
        raise ValueError(
            f"HUBSPOT_START_DATE must be a date like 2024-01-31, got {value!r}"
        ) from None
    return value


def crm_daily_partitions(start_date: str | None = None) -> dg.DailyPartitionsDefinition:
    """One partition per UTC day of the records' last-modified time, today included."""
    return dg.DailyPartitionsDefinition(
        start_date=start_date or start_date_from_env(),
        timezone="UTC",
        end_offset=1,
    )
