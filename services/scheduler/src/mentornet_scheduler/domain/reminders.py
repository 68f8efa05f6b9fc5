"""Reminders before a moment (a live session's start, a check-in's due time), once per
offset: those already past when the session is planned or moved are skipped, the
others sent when their time comes (skipped when it comes only after the moment).
timers.py and checkin_clock.py both keep their reminders here."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from mentornet_contracts.events.sessions import SessionReminderDue

from .state import Match, Reminder, Session


def skip_passed(session: Session, at: datetime, now: datetime, offsets: Sequence[int]) -> Session:
    """The session with the offsets whose time before `at` has passed at `now` skipped."""
    reminders = dict(session["reminders"])
    for offset in offsets:
        if str(offset) not in reminders and at - timedelta(minutes=offset) < now:
            reminders[str(offset)] = Reminder.SKIPPED
    return {**session, "reminders": reminders}


def send_due(
    match: Match,
    session: Session,
    at: datetime,
    now: datetime,
    offsets: Sequence[int],
    events: list[Any],
) -> Session:
    """The session with each reminder whose time has come marked: sent (its
    session.reminder.due added to `events`) while `at` is ahead, else skipped."""
    reminders = dict(session["reminders"])
    for offset in offsets:
        if str(offset) in reminders or now < at - timedelta(minutes=offset):
            continue
        reminders[str(offset)] = Reminder.SENT if now < at else Reminder.SKIPPED
        if now < at:
            events.append(
                SessionReminderDue(
                    session_id=session["session_id"],
                    match_id=match["match_id"],
                    starts_at=at,
                    offset_minutes=offset,
                    cohort_id=session.get("cohort_id"),
                )
            )
    return {**session, "reminders": reminders}


def pending(session: Session, at: datetime, offsets: Sequence[int]) -> list[datetime]:
    """When the reminders not yet sent or skipped are due."""
    return [at - timedelta(minutes=o) for o in offsets if str(o) not in session["reminders"]]
