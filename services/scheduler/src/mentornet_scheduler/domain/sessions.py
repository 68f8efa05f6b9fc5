"""Changes to one session of a match: move, cancel, record attendance; and what a
match's end or a participant's departure does to its sessions.

Every change bumps the session's `revision`, which iCalendar clients see as SEQUENCE,
so an updated .ics replaces the old one and a cancellation shows as CANCELLED.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from mentornet_chassis.errors import Conflict, NotFound
from mentornet_chassis.errors import Invalid as Invalid
from mentornet_contracts.events.common import Role
from mentornet_contracts.events.sessions import (
    Attendance,
    LocalTime,
    MatchStalled,
    SessionCancelled,
    SessionCompleted,
    SessionMissed,
    SessionRescheduled,
    StallReason,
)

from .matches import find, local_times, threshold, upcoming, with_session
from .series import closing
from .state import Match, MatchStatus, Session, SessionStatus

Emitted = list[Any]
HIDDEN = ("reminders", "booking_id", "counted", "prompted")
"""The timers' and the ledger's bookkeeping, never shown."""


def shown(session: Session) -> dict[str, object]:
    """A session as people see it."""
    return {k: v for k, v in session.items() if k not in HIDDEN}


class SessionConflict(Conflict):
    """The session (or its match) is not in a state that allows this; the answer shows
    the session as it now is."""

    def __init__(self, reason: str, session: Session | None) -> None:
        super().__init__(
            "session_id", reason, session=shown(session) if session is not None else None
        )


class UnknownSession(NotFound):
    def __init__(self, sid: str) -> None:
        super().__init__("session_id", f"no session {sid}")


def _session(match: Match, sid: str) -> Session:
    session = find(match, sid)
    if session is None:
        raise UnknownSession(sid)
    return session


def reschedule(
    match: Match, sid: str, start: datetime, zones: Mapping[str, str], reason: str
) -> tuple[Match, SessionRescheduled]:
    """Move a scheduled session; reminders and the attendance prompt start over."""
    session = _session(match, sid)
    if session["status"] != SessionStatus.SCHEDULED:
        raise SessionConflict(f"session {sid} is {session['status']}", session)
    moved: Session = {
        **session,
        "starts_at": start.isoformat(),
        "revision": session["revision"] + 1,
        "reminders": {},
        "prompted": False,
        "local_times": local_times(start, zones),
    }
    if "due_at" in session:  # a check-in stays open as long as before (feedback does the same)
        shift = start - datetime.fromisoformat(session["starts_at"])
        moved["due_at"] = (datetime.fromisoformat(session["due_at"]) + shift).isoformat()
    event = SessionRescheduled(
        session_id=sid,
        match_id=match["match_id"],
        previous_starts_at=datetime.fromisoformat(session["starts_at"]),
        starts_at=start,
        duration_minutes=session["duration_minutes"],
        local_times=tuple(LocalTime.model_validate(t) for t in moved["local_times"]),
        reason=reason[:500],
        due_at=datetime.fromisoformat(moved["due_at"]) if "due_at" in moved else None,
    )
    return with_session(match, moved), event


def cancel(match: Match, sid: str, reason: str) -> tuple[Match, SessionCancelled]:
    session = _session(match, sid)
    if session["status"] != SessionStatus.SCHEDULED:
        raise SessionConflict(f"session {sid} is {session['status']}", session)
    return _cancelled(match, session, reason)


def _cancelled(match: Match, session: Session, reason: str) -> tuple[Match, SessionCancelled]:
    gone: Session = {
        **session,
        "status": SessionStatus.CANCELLED,
        "revision": session["revision"] + 1,
        "reason": reason,
    }
    event = SessionCancelled(
        session_id=session["session_id"], match_id=match["match_id"], reason=reason[:500]
    )
    return with_session(match, gone), event


def cancel_upcoming(match: Match, now: datetime, reason: str) -> tuple[Match, Emitted]:
    events: Emitted = []
    for session in upcoming(match, now):
        match, event = _cancelled(match, session, reason)
        events.append(event)
    return match, events


def end(match: Match, now: datetime, reason: str) -> tuple[Match, Emitted]:
    """The match is over: its future sessions are cancelled, its timers stop."""
    if match["status"] == MatchStatus.ENDED:
        return match, []
    match, events = cancel_upcoming(match, now, reason)
    return {**match, "status": MatchStatus.ENDED, "due_epoch": None}, events


def forget(match: Match, participant_id: str) -> Match:
    """An erased participant's zone and local times leave the match's sessions."""
    sessions: list[Session] = [
        {**s, "local_times": [t for t in s["local_times"] if t["participant_id"] != participant_id]}
        for s in match["sessions"]
    ]
    return {**match, "sessions": sessions}


def record_attendance(
    match: Match, sid: str, attendance: Attendance, now: datetime, by: str
) -> tuple[Match, Emitted]:
    """Attended completes the session and resets the missed streak; a no-show counts
    towards it, and N in a row (the program's threshold) stall the match."""
    session = _session(match, sid)
    if session["status"] not in (SessionStatus.SCHEDULED, SessionStatus.MISSED) or session.get(
        "attendance"
    ):
        raise SessionConflict(f"attendance for session {sid} is already recorded", session)
    if datetime.fromisoformat(session["starts_at"]) > now:
        raise Invalid("attendance", "the session has not started yet")
    if attendance == Attendance.ATTENDED:
        done: Session = {
            **session,
            "status": SessionStatus.COMPLETED,
            "attendance": attendance,
            "recorded_by": by,
        }
        end_at = _end(session)
        state: Match = {
            **with_session(match, done),
            "missed_in_a_row": 0,
            "stalled": {},
            "last_activity_at": max(match["last_activity_at"], end_at.isoformat()),
        }
        return closing(
            state,
            [SessionCompleted(session_id=sid, match_id=match["match_id"], attendance=attendance)],
        )
    absent = Role.MENTOR if attendance == Attendance.MENTOR_NO_SHOW else Role.MENTEE
    missed: Session = {
        **session,
        "status": SessionStatus.MISSED,
        "attendance": attendance,
        "recorded_by": by,
    }
    if session.get("counted"):
        return with_session(match, missed), []
    return missed_session(match, missed, (absent,))


def missed_session(
    match: Match, session: Session, absent: tuple[Role, ...]
) -> tuple[Match, Emitted]:
    """Count a missed session (a no-show, or nobody said) and stall the match at the
    program's threshold, once per streak."""
    streak = match["missed_in_a_row"] + 1
    counted: Session = {**session, "status": SessionStatus.MISSED, "counted": True}
    state: Match = {**with_session(match, counted), "missed_in_a_row": streak}
    events: Emitted = [
        SessionMissed(
            session_id=session["session_id"],
            match_id=match["match_id"],
            absent=absent,
            missed_in_a_row=streak,
        )
    ]
    limit = threshold(match, "missed_in_a_row")
    paused = match["status"] == MatchStatus.PAUSED  # no stall while paused; the streak stays
    if limit and streak >= limit and not match["stalled"].get("missed_sessions") and not paused:
        state["stalled"] = {**match["stalled"], "missed_sessions": True}
        events.append(
            MatchStalled(
                match_id=match["match_id"],
                reason=StallReason.MISSED_SESSIONS,
                detail=f"{streak} sessions missed in a row (the program's limit is {limit})",
            )
        )
    return closing(state, events)


def _end(session: Session) -> datetime:
    return datetime.fromisoformat(session["starts_at"]) + timedelta(
        minutes=session["duration_minutes"]
    )
