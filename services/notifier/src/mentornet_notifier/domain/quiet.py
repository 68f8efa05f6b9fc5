"""Quiet hours, in the person's own zone: a message that falls in them waits until they
end (never dropped). A window whose end is earlier than its start runs over midnight;
across a DST change the end is the local wall time that day (a wall time skipped by
the change is read with the offset before it, so it lands just after the gap)."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from .documents import QuietHours


def hhmm(text: str) -> time:
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


def release(at: datetime, zone: str, quiet: QuietHours | None) -> datetime:
    """When a message due `at` may go: `at` itself, or the end of the quiet hours it
    falls in (UTC)."""
    if quiet is None:
        return at
    start, end = hhmm(quiet["start"]), hhmm(quiet["end"])
    if start == end:
        return at
    tz = ZoneInfo(zone)
    local = at.astimezone(tz)
    now = local.time().replace(tzinfo=None)
    day = local.date()
    if start < end:
        inside, end_day = start <= now < end, day
    elif now >= start:
        inside, end_day = True, day + timedelta(days=1)
    else:
        inside, end_day = now < end, day
    if not inside:
        return at
    ends = datetime.combine(end_day, end, tzinfo=tz).astimezone(UTC)
    return max(ends, at)
