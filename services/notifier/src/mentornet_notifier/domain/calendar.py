"""The .ics attached to session messages (RFC 5546 iTIP): a VCALENDAR with one VEVENT
whose UID is the session id, so a calendar updates the same entry on a reschedule
(a higher SEQUENCE) and removes it on a cancellation (METHOD:CANCEL)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from icalendar import Calendar, Event

PRODID = "-//MentorNet//notifier//EN"


@dataclass(frozen=True)
class CalendarEntry:
    uid: str
    starts_at: datetime
    minutes: int
    summary: str
    method: str
    """REQUEST (booked, moved) or CANCEL."""
    sequence: int


def ics(entry: CalendarEntry, stamped: datetime) -> str:
    """The calendar file, dated `stamped` (DTSTAMP: when the message was made)."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", entry.method)
    event = Event()
    event.add("uid", entry.uid)
    event.add("dtstamp", stamped.astimezone(UTC))
    start = entry.starts_at.astimezone(UTC)
    event.add("dtstart", start)
    event.add("dtend", start + timedelta(minutes=entry.minutes))
    event.add("summary", entry.summary)
    event.add("sequence", entry.sequence)
    event.add("status", "CANCELLED" if entry.method == "CANCEL" else "CONFIRMED")
    calendar.add_component(event)
    text: bytes = calendar.to_ical()
    return text.decode()
