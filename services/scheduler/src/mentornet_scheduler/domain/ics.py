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

from .state import Match, Session, SessionStatus
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
    """`sessions`: (match, session) pairs, shown in `timezone`. A cohort's group session
    appears once however many member matches carry it."""
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", timezone)
    tz = zone(timezone)
    seen: set[str] = set()
    for match, session in sessions:
        uid = session["booking_id"] if session.get("cohort_id") else session["session_id"]
        if uid not in seen:
            seen.add(uid)
            cal.add_component(_event(match, session, uid, tz, now))
    if sessions:
        starts = [datetime.fromisoformat(s["starts_at"]) for _, s in sessions]
        cal.add_missing_timezones(
            first_date=(min(starts) - timedelta(days=366)).date(),
            last_date=(max(starts) + timedelta(days=366)).date(),
        )
    return bytes(cal.to_ical())


def _event(match: Match, session: Session, uid: str, tz: tzinfo, now: datetime) -> icalendar.Event:
    program_id = match["program_id"]
    start = datetime.fromisoformat(session["starts_at"]).astimezone(UTC)
    end = start + timedelta(minutes=session["duration_minutes"])
    event = icalendar.Event()
    event.add("uid", f"{uid}@mentornet")
    event.add("dtstamp", now.astimezone(UTC))
    event.add("last-modified", now.astimezone(UTC))
    event.add("dtstart", _shown(start, tz))
    event.add("dtend", _shown(end, tz))
    event.add("sequence", session["revision"])
    cancelled = session["status"] == SessionStatus.CANCELLED
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    label = LABELS.get(session["session_type"], "Mentoring session")
    event.add("summary", f"{label} ({program_id})")
    event.add(
        "description",
        f"MentorNet {label.lower()}, session {session['sequence']} of match "
        f"{match['match_id']} in program {program_id}.",
    )
    event.add("transp", "TRANSPARENT" if cancelled else "OPAQUE")
    return event


def _shown(moment: datetime, tz: tzinfo) -> datetime:
    """Local time with its zone, except a wall-clock time that occurs twice (the hour a
    clock falls back): RFC 5545 reads those as the first, so they are written in UTC."""
    local = moment.astimezone(tz)
    if local.replace(fold=1 - local.fold).utcoffset() != local.utcoffset():
        return moment
    return local
