"""How a table's cells read on a page: rates as percentages, dates and times in the
viewer's time zone, a missing value as a dash. Exports keep the raw values."""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from mentornet_chassis.errors import Invalid

from ...domain.tables import Cell, Kind, human_date, whole_percent

MISSING = "—"
UNITS: dict[str, Kind] = {"count": "count", "rate": "rate", "days": "number", "score": "number"}
"""A headline row's unit, read as a column kind."""


@lru_cache(maxsize=1)
def _zone_names() -> frozenset[str]:
    return frozenset(available_timezones())


def zone(name: str | None) -> ZoneInfo:
    """The viewer's time zone from the page's `tz` (an IANA name); UTC when absent."""
    if not name:
        return ZoneInfo("UTC")
    if len(name) > 64 or name not in _zone_names():
        raise Invalid("tz", f"{name[:64]!r} is not an IANA time zone name (e.g. Europe/Berlin)")
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise Invalid("tz", f"{name!r} is not an IANA time zone name") from None


def human_time(iso: str, tz: ZoneInfo) -> str:
    """'2027-01-24T17:56:54.804+00:00' in Asia/Kathmandu -> '24 Jan 2027, 23:41 +0545'."""
    local = datetime.fromisoformat(iso).astimezone(tz)
    return f"{local.day} {local:%b %Y, %H:%M} {local:%Z}"


def shown(value: Cell, kind: Kind, tz: ZoneInfo) -> str:
    if value is None or value == "":
        return MISSING
    if isinstance(value, bool):
        return "yes" if value else "no"
    if kind == "rate" and isinstance(value, int | float):
        return f"{whole_percent(value)}%"
    if kind == "date" and isinstance(value, str):
        return human_date(value)
    if kind == "datetime" and isinstance(value, str):
        return human_time(value, tz)
    if isinstance(value, float):
        return f"{value:,.2f}".rstrip("0").rstrip(".")
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)
