"""One place that tells the time, so tests can inject a clock instead of waiting for it."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

BERLIN = ZoneInfo("Europe/Berlin")


def now() -> datetime:
    return datetime.now(UTC)


def aware(dt: datetime) -> datetime:
    """SQLite hands back naive datetimes; we store UTC."""
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)
