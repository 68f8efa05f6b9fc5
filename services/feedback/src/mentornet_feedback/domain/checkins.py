"""Async check-ins: a match that meets in writing (session.scheduled with format async)
has, per session, a check-in that opens at the session's start and is due at its due
time. The mentee writes a reflection, then the mentor a reply; each part once, only
while the check-in is open (opens_at <= now < due_at, not cancelled, not settled).
Each accepted part is announced (checkin.submitted, complete once both are in); the
scheduler then settles the check-in as held (session.completed), or as missed at its
due time (session.missed), and feedback follows it here: a completion the scheduler
accepts after it marked the check-in missed (both parts were in before the due time)
makes it held. A check-in moved (session.rescheduled) is due when the event says, or
as long after its new start as before; one whose event gives no due time at all is
due the contract's CHECKIN_LONGEST_OPEN_DAYS after it opens.

The words of each part live apart from the match (written.py, checkin_words.py): the
match keeps who wrote, when, and the id of the words.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum

from mentornet_chassis.errors import Conflict, NotFound
from mentornet_contracts.events import sessions
from mentornet_contracts.events.common import Role, SessionFormat
from mentornet_contracts.events.feedback import CheckinSubmitted
from mentornet_contracts.events.sessions import SessionRescheduled, SessionScheduled

from .state import Checkin, CheckinPart, CheckinStatus, Match

ERASED = "erased"
"""Who a part is by once its author was erased."""
PART_OF = {Role.MENTEE: "reflection", Role.MENTOR: "reply"}


class CheckinState(StrEnum):
    """Where a check-in stands for its two people at a given moment."""

    NOT_OPEN = "not_open"
    AWAITING_REFLECTION = "awaiting_reflection"
    AWAITING_REPLY = "awaiting_reply"
    COMPLETE = "complete"
    OVERDUE = "overdue"
    CANCELLED = "cancelled"
    HELD = "held"
    MISSED = "missed"


SETTLED = {
    CheckinStatus.CANCELLED: CheckinState.CANCELLED,
    CheckinStatus.HELD: CheckinState.HELD,
    CheckinStatus.MISSED: CheckinState.MISSED,
}


def is_async(event: SessionScheduled) -> bool:
    return event.format == SessionFormat.ASYNC


def opened(match: Match, event: SessionScheduled) -> Match:
    """The check-in of an async session; scheduled again (a redelivery, a new time), it
    keeps the parts already given."""
    due = event.due_at or event.starts_at + _longest_open()
    known = match.get("checkins", {})
    checkin: Checkin = {
        **known.get(event.session_id, {}),  # type: ignore[typeddict-item]
        "session_id": event.session_id,
        "sequence": event.sequence,
        "opens_at": event.starts_at.isoformat(),
        "due_at": due.isoformat(),
        "status": CheckinStatus.SCHEDULED,
    }
    return {**match, "checkins": {**known, event.session_id: checkin}}


def _longest_open() -> timedelta:
    """How long a check-in whose event gave no due time stays open (the contract's
    rule, read when used)."""
    return timedelta(days=sessions.CHECKIN_LONGEST_OPEN_DAYS)


def _with(match: Match, checkin: Checkin) -> Match:
    return {**match, "checkins": {**match.get("checkins", {}), checkin["session_id"]: checkin}}


def moved(match: Match, event: SessionRescheduled) -> Match:
    """Rescheduled: it opens at the new time and is due when the event says; an event
    without a due time keeps the window as long as before."""
    checkin = match.get("checkins", {}).get(event.session_id)
    if checkin is None:
        return match
    opens, due = (datetime.fromisoformat(checkin[k]) for k in ("opens_at", "due_at"))
    later = event.due_at or event.starts_at + (due - opens)
    return _with(
        match,
        {**checkin, "opens_at": event.starts_at.isoformat(), "due_at": later.isoformat()},
    )


def settled(match: Match, session_id: str, status: CheckinStatus) -> Match:
    """Cancelled, held or missed, as the scheduler said; a live session is left alone."""
    checkin = match.get("checkins", {}).get(session_id)
    return match if checkin is None else _with(match, {**checkin, "status": status})


def checkin_of(match: Match, session_id: str) -> Checkin:
    found = match.get("checkins", {}).get(session_id)
    if found is None:
        raise NotFound("session_id", f"session {session_id} is not an async check-in")
    return found


def state_of(checkin: Checkin, now: datetime) -> CheckinState:
    if checkin["status"] in SETTLED:
        return SETTLED[checkin["status"]]
    if "reflection" in checkin and "reply" in checkin:
        return CheckinState.COMPLETE
    if now < datetime.fromisoformat(checkin["opens_at"]):
        return CheckinState.NOT_OPEN
    if now >= datetime.fromisoformat(checkin["due_at"]):
        return CheckinState.OVERDUE
    if "reflection" in checkin:
        return CheckinState.AWAITING_REPLY
    return CheckinState.AWAITING_REFLECTION


def _refused(reason: str, checkin: Checkin, state: CheckinState) -> Conflict:
    return Conflict(
        "state",
        reason,
        state=state,
        session_id=checkin["session_id"],
        opens_at=checkin["opens_at"],
        due_at=checkin["due_at"],
    )


def _check_open(checkin: Checkin, role: Role, now: datetime) -> None:
    """Refuses (409, with the state) a part the check-in does not take now."""
    state = state_of(checkin, now)
    part = PART_OF[role]
    if part in checkin:
        given = checkin[part]["submitted_at"]  # type: ignore[literal-required]
        raise _refused(f"the {part} was already given at {given}", checkin, state)
    if state in SETTLED.values():
        raise _refused(f"the check-in is {state}", checkin, state)
    if state == CheckinState.NOT_OPEN:
        raise _refused(f"the check-in opens at {checkin['opens_at']}", checkin, state)
    if state == CheckinState.OVERDUE:
        raise _refused(f"the check-in was due at {checkin['due_at']}", checkin, state)
    if role == Role.MENTOR and "reflection" not in checkin:
        raise _refused("the reply comes after the mentee's reflection", checkin, state)


def submit(
    match: Match, session_id: str, role: Role, text_id: str, now: datetime
) -> tuple[Match, CheckinSubmitted]:
    """The mentee's reflection (role mentee) or the mentor's reply (role mentor), by
    the match's person in that role; the match names the words by `text_id`."""
    checkin = checkin_of(match, session_id)
    _check_open(checkin, role, now)
    author = match["mentee_id"] if role == Role.MENTEE else match["mentor_id"]
    part: CheckinPart = {"author_id": author, "submitted_at": now.isoformat(), "text_id": text_id}
    given: Checkin = {**checkin, PART_OF[role]: part}  # type: ignore[misc]
    event = CheckinSubmitted(
        match_id=match["match_id"],
        session_id=session_id,
        role=role,
        submitted_at=now,
        complete="reflection" in given and "reply" in given,
    )
    return _with(match, given), event


def words_of(match: Match, session_id: str, role: Role) -> str | None:
    """The id of the words the match accepted for this part, if any."""
    checkin = match.get("checkins", {}).get(session_id)
    if checkin is None:
        return None
    part = checkin.get("reflection") if role == Role.MENTEE else checkin.get("reply")
    return None if part is None else part.get("text_id")


def named(checkin: Checkin) -> list[str]:
    """The ids of the words the check-in's parts name."""
    parts = [checkin.get("reflection"), checkin.get("reply")]
    return [p["text_id"] for p in parts if p is not None and "text_id" in p]


def forget(match: Match, participant_id: str) -> Match:
    """Erasure: the person's parts stay given (the check-in's state does not change)
    but lose their author and their words."""
    if "checkins" not in match:
        return match
    cleaned = {
        session_id: _without_author(checkin, participant_id)
        for session_id, checkin in match["checkins"].items()
    }
    return {**match, "checkins": cleaned}


def _without_author(checkin: Checkin, participant_id: str) -> Checkin:
    changed = dict(checkin)
    for name in ("reflection", "reply"):
        part = checkin.get(name)
        if isinstance(part, dict) and part["author_id"] == participant_id:
            changed[name] = {"author_id": ERASED, "submitted_at": part["submitted_at"]}
    return changed  # type: ignore[return-value]
