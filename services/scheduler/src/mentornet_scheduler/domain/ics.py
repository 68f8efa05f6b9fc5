"""Sessions as iCalendar (RFC 5545): one session's .ics, or a participant's feed.

Times are written in the participant's own zone with its VTIMEZONE (so calendar apps
show the right local time across daylight-saving changes); UID is the session id,
SEQUENCE its revision, and a cancelled session is STATUS:CANCELLED. Summaries carry
the session type and program, never names.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta, tzinfo

import icalendar

from .matches import CANCELLED, Match, Session
from .windows import zone

PRODID = "-//MentorNet//Scheduler//EN"
LABELS = {
    "kickoff": "Kickoff",
    "regular": "Mentoring session",
    "milestone_review": "Milestone review",
    "wrap_up": "Wrap-up",
}


def calendar(
    sessions: Sequence[tuple[Match, Session]], timezone: str, now: datetime, name: str
) -> bytes:
    """`sessions`: (match, session) pairs, shown in `timezone`."""
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", timezone)
    tz = zone(timezone)
    for match, session in sessions:
        cal.add_component(_event(match, session, tz, now))
    if sessions:
        starts = [datetime.fromisoformat(s["starts_at"]) for _, s in sessions]
        cal.add_missing_timezones(
            first_date=(min(starts) - timedelta(days=366)).date(),
            last_date=(max(starts) + timedelta(days=366)).date(),
        )
    return bytes(cal.to_ical())


def _event(match: Match, session: Session, tz: tzinfo, now: datetime) -> icalendar.Event:
    program_id = match["program_id"]
    start = datetime.fromisoformat(session["starts_at"]).astimezone(tz)
    event = icalendar.Event()
    event.add("uid", f"{session['session_id']}@mentornet")
    event.add("dtstamp", now.astimezone(UTC))
    event.add("last-modified", now.astimezone(UTC))
    event.add("dtstart", start)
    event.add("dtend", start + timedelta(minutes=session["duration_minutes"]))
    event.add("sequence", session["revision"])
    event.add("status", "CANCELLED" if session["status"] == CANCELLED else "CONFIRMED")
    label = LABELS.get(session["session_type"], "Mentoring session")
    event.add("summary", f"{label} ({program_id})")
    event.add(
        "description",
        f"MentorNet {label.lower()}, session {session['sequence']} of match "
        f"{match['match_id']} in program {program_id}.",
    )
    event.add("transp", "TRANSPARENT" if session["status"] == CANCELLED else "OPAQUE")
    return event
