"""An async check-in's clock (domain/checkins.py): reminders before its due time and,
due without both parts, missed with the roles that did not submit (counted towards the
missed streak like a live session, so stalls work the same way). timers.py asks here
for every scheduled check-in; an ended match's open check-ins are cancelled here."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from mentornet_contracts.events.common import Role, SessionFormat

from . import matches, reminders, sessions
from .state import Match, Session, SessionStatus

ASYNC = SessionFormat.ASYNC


def is_checkin(session: Session) -> bool:
    return session.get("format") == ASYNC


def due_at(session: Session) -> datetime:
    return datetime.fromisoformat(session["due_at"])


def roles(session: Session) -> frozenset[Role]:
    return frozenset(Role(r) for r in session.get("submitted", []))


def absent(session: Session) -> tuple[Role, ...]:
    """The roles whose part is missing, mentee first."""
    given = roles(session)
    return tuple(r for r in (Role.MENTEE, Role.MENTOR) if r not in given)


def skip_passed(session: Session, now: datetime, offsets: Sequence[int]) -> Session:
    """Reminder offsets already past the due time when the check-in is planned."""
    return reminders.skip_passed(session, due_at(session), now, offsets)


def tick(
    match: Match, session: Session, now: datetime, offsets: Sequence[int], events: list[Any]
) -> Match:
    """A scheduled check-in's timers: reminders before its due time, then, due and not
    complete, missed with the roles that did not submit."""
    due = due_at(session)
    session = reminders.send_due(match, session, due, now, offsets, events)
    match = matches.with_session(match, session)
    if now < due:
        return match
    match, missed = sessions.missed_session(match, session, absent(session))
    events.extend(missed)
    return match


def due_times(session: Session, offsets: Sequence[int]) -> list[datetime]:
    """When a scheduled check-in's timers are next due."""
    due = due_at(session)
    return [*reminders.pending(session, due, offsets), due]


def cancel_open(match: Match, now: datetime, reason: str) -> tuple[Match, list[Any]]:
    """Check-ins still open at `now` (started, not yet due) cancelled: an ended match
    takes no more parts."""
    events: list[Any] = []
    for session in list(match["sessions"]):
        if _open(session, now):
            match, event = sessions.cancel(match, session["session_id"], reason)
            events.append(event)
    return match, events


def _open(session: Session, now: datetime) -> bool:
    return (
        is_checkin(session)
        and session["status"] == SessionStatus.SCHEDULED
        and datetime.fromisoformat(session["starts_at"]) <= now < due_at(session)
    )
