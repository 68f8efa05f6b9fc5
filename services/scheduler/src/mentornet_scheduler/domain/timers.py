"""What a match's clock sets off: reminders before each session (once per offset), a
prompt to record attendance some hours after a session ends, a session counted as
missed when nobody said within the deadline, and a stall when nothing has happened
for the program's number of days.

`due` is pure: the timer worker calls it with the time, and writes what it returns
in one conditional write, so each reminder goes out once, even across restarts and
with several replicas.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from mentornet_contracts.events.sessions import (
    MatchStalled,
    SessionAttendanceDue,
    StallReason,
)

from . import checkin_clock, reminders
from .matches import threshold, with_session
from .sessions import missed_session
from .state import Match, MatchStatus, Session, SessionStatus


@dataclass(frozen=True)
class Clockwork:
    """The service's timer settings."""

    reminder_offsets: tuple[int, ...] = (1440, 60)
    """Minutes before a session's start."""
    prompt_after: timedelta = timedelta(hours=2)
    missed_after: timedelta = timedelta(hours=72)


def _start(session: Session) -> datetime:
    return datetime.fromisoformat(session["starts_at"])


def _end(session: Session) -> datetime:
    return _start(session) + timedelta(minutes=session["duration_minutes"])


def skip_passed(session: Session, now: datetime, clock: Clockwork) -> Session:
    """Offsets already past when a session is booked or moved are skipped: a 24-hour
    reminder for a session three hours away would be wrong."""
    if checkin_clock.is_checkin(session):
        return checkin_clock.skip_passed(session, now, clock.reminder_offsets)
    return reminders.skip_passed(session, _start(session), now, clock.reminder_offsets)


def retimed(before: Match, after: Match, now: datetime, clock: Clockwork) -> Match:
    """`after` (a change to `before`) with the passed reminders of each session the
    change booked or moved skipped, and its next due time."""
    revisions = {s["session_id"]: s["revision"] for s in before["sessions"]}
    changed: Match = {
        **after,
        "sessions": [
            skip_passed(s, now, clock) if revisions.get(s["session_id"]) != s["revision"] else s
            for s in after["sessions"]
        ],
    }
    return {**changed, "due_epoch": next_due(changed, clock)}


def due(match: Match, now: datetime, clock: Clockwork) -> tuple[Match, list[Any]]:
    """Everything due at `now`, and the match with `due_epoch` set to the next time."""
    events: list[Any] = []
    if match["status"] == MatchStatus.ACTIVE:
        for session in list(match["sessions"]):
            match = _session_timers(match, session["session_id"], now, clock, events)
        match = _inactivity(match, now, events)
    return {**match, "due_epoch": next_due(match, clock)}, events


def _session_timers(
    match: Match, sid: str, now: datetime, clock: Clockwork, events: list[Any]
) -> Match:
    session = next(s for s in match["sessions"] if s["session_id"] == sid)
    if session["status"] != SessionStatus.SCHEDULED:
        return match
    if checkin_clock.is_checkin(session):
        return checkin_clock.tick(match, session, now, clock.reminder_offsets, events)
    offsets = clock.reminder_offsets
    session = reminders.send_due(match, session, _start(session), now, offsets, events)
    if (
        session.get("attendance") is None
        and not session["prompted"]
        and now >= _end(session) + clock.prompt_after
    ):
        session = {**session, "prompted": True}
        events.append(
            SessionAttendanceDue(session_id=sid, match_id=match["match_id"], ended_at=_end(session))
        )
    match = with_session(match, session)
    if session.get("attendance") is None and now >= _end(session) + clock.missed_after:
        match, missed = missed_session(match, session, ())
        events.extend(missed)
    return match


def _inactivity(match: Match, now: datetime, events: list[Any]) -> Match:
    days = threshold(match, "days_without_activity")
    if not days or match["stalled"].get("no_activity") or match.get("series_done"):
        return match
    since = datetime.fromisoformat(match["last_activity_at"])
    if now < since + timedelta(days=days):
        return match
    events.append(
        MatchStalled(
            match_id=match["match_id"],
            reason=StallReason.NO_ACTIVITY,
            detail=f"no session held for {days} days (since {since.date().isoformat()})",
        )
    )
    return {**match, "stalled": {**match["stalled"], "no_activity": True}}


def next_due(match: Match, clock: Clockwork) -> float | None:
    """The earliest moment something is due for this match; None when nothing is."""
    if match["status"] != MatchStatus.ACTIVE:
        return None
    times: list[datetime] = []
    for session in match["sessions"]:
        if session["status"] != SessionStatus.SCHEDULED:
            continue
        if checkin_clock.is_checkin(session):
            times += checkin_clock.due_times(session, clock.reminder_offsets)
            continue
        times += reminders.pending(session, _start(session), clock.reminder_offsets)
        if session.get("attendance") is None:
            if not session["prompted"]:
                times.append(_end(session) + clock.prompt_after)
            times.append(_end(session) + clock.missed_after)
    days = threshold(match, "days_without_activity")
    if days and not match["stalled"].get("no_activity") and not match.get("series_done"):
        times.append(datetime.fromisoformat(match["last_activity_at"]) + timedelta(days=days))
    return min(times).timestamp() if times else None
