"""Who is told what: from each fact, the messages it calls for (their kind, their
recipients and what the template needs). Pure: the match and session the fact refers
to are looked up by the caller, and a fact that needs one not seen yet is parked."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from mentornet_contracts.errors import UnknownEntity
from mentornet_contracts.events.feedback import FeedbackReminderDue, FeedbackRequested
from mentornet_contracts.events.matches import MatchProposed
from mentornet_contracts.events.notifications import NotificationKind as Kind
from mentornet_contracts.events.qa import EscalationAction, EscalationRaised, MenteeInvitedToMentor
from mentornet_contracts.events.sessions import (
    SessionCancelled,
    SessionReminderDue,
    SessionRescheduled,
    SessionScheduled,
)

from .calendar import CalendarEntry
from .documents import Match
from .sessions import DEFAULT_MINUTES, Session


@dataclass(frozen=True)
class Message:
    kind: Kind
    recipients: tuple[str, ...]
    values: Mapping[str, Any]
    """What the template is given besides the program and the recipient."""
    program_id: str | None
    match_id: str | None = None
    case_id: str | None = None
    calendar: CalendarEntry | None = field(default=None)
    once_per: str | None = None
    """Deliveries are one per this key (not per fact), recipient and channel: a cohort's
    mentor is reminded once per cohort and start, however many members' matches remind."""


@dataclass(frozen=True)
class Known:
    """What the notifier knows of the fact's match and session (None: not seen)."""

    match: Match | None = None
    session: Session | None = None


SUMMARY = "Mentoring session"


def _match(event: Any, known: Known) -> Match:
    if known.match is None:
        raise UnknownEntity("match", event.match_id, "its people are not known yet")
    return known.match


def _pair(match: Match) -> tuple[str, str]:
    return (match["mentor_id"], match["mentee_id"])


def _entry(uid: str, at: datetime, minutes: int, method: str, sequence: int) -> CalendarEntry:
    return CalendarEntry(uid, at, minutes, SUMMARY, method, sequence)


def scheduled(event: SessionScheduled, known: Known) -> list[Message]:
    entry = _entry(event.session_id, event.starts_at, event.duration_minutes, "REQUEST", 0)
    values = {"starts_at": event.starts_at, "minutes": event.duration_minutes}
    pair = (event.mentor_id, event.mentee_id)
    return [
        Message(Kind.SESSION_BOOKED, pair, values, event.program_id, event.match_id, None, entry)
    ]


def rescheduled(event: SessionRescheduled, known: Known) -> list[Message]:
    match = _match(event, known)
    sequence = known.session["sequence"] if known.session else 1
    entry = _entry(event.session_id, event.starts_at, event.duration_minutes, "REQUEST", sequence)
    values = {"starts_at": event.starts_at, "previous_starts_at": event.previous_starts_at}
    return [
        Message(
            Kind.SESSION_RESCHEDULED,
            _pair(match),
            values,
            match["program_id"],
            event.match_id,
            None,
            entry,
        )
    ]


def cancelled(event: SessionCancelled, known: Known) -> list[Message]:
    match, session = _match(event, known), known.session
    if session is None:
        return []  # booked before the notifier saw it: nobody was sent its invitation
    at = datetime.fromisoformat(session["starts_at"])
    entry = _entry(event.session_id, at, session["duration_minutes"], "CANCEL", session["sequence"])
    values = {"starts_at": at, "reason": event.reason}
    return [
        Message(
            Kind.SESSION_CANCELLED,
            _pair(match),
            values,
            match["program_id"],
            event.match_id,
            None,
            entry,
        )
    ]


def reminder(event: SessionReminderDue, known: Known) -> list[Message]:
    match = _match(event, known)
    minutes = known.session["duration_minutes"] if known.session else DEFAULT_MINUTES
    values = {"starts_at": event.starts_at, "minutes": minutes}
    program = match["program_id"]
    if event.cohort_id is None:
        return [Message(Kind.SESSION_REMINDER, _pair(match), values, program, event.match_id)]
    once = f"cohort:{event.cohort_id}:{event.starts_at.isoformat()}:{event.offset_minutes}"
    mentor, mentee = _pair(match)
    return [
        Message(Kind.SESSION_REMINDER, (mentor,), values, program, event.match_id, once_per=once),
        Message(Kind.SESSION_REMINDER, (mentee,), values, program, event.match_id),
    ]


def feedback_requested(event: FeedbackRequested, known: Known) -> list[Message]:
    program = known.match["program_id"] if known.match else None
    values = {"due_at": event.due_at}
    return [
        Message(Kind.FEEDBACK_REQUESTED, (event.participant_id,), values, program, event.match_id)
    ]


def feedback_reminder(event: FeedbackReminderDue, known: Known) -> list[Message]:
    program = known.match["program_id"] if known.match else None
    values = {"due_at": event.due_at}
    return [
        Message(Kind.FEEDBACK_REMINDER, (event.participant_id,), values, program, event.match_id)
    ]


def proposed(event: MatchProposed, known: Known) -> list[Message]:
    pair = (event.mentor_id, event.mentee_id)
    values = {"score": round(event.score * 100)}
    return [Message(Kind.MATCH_PROPOSED, pair, values, event.program_id, event.match_id)]


def escalated(event: EscalationRaised, known: Known) -> list[Message]:
    match = _match(event, known)
    values = {
        "trigger": event.trigger.value,
        "severity": event.severity.value,
        "due_at": event.due_at,
        "action": event.action.value,
    }
    program, case = match["program_id"], event.case_id
    found = [
        Message(Kind.ESCALATION_ASSIGNED, (event.owner_id,), values, program, event.match_id, case)
    ]
    if event.action is EscalationAction.NUDGE:
        nudge = Message(Kind.STALL_NUDGE, _pair(match), values, program, event.match_id, case)
        found.insert(0, nudge)
    return found


def invited(event: MenteeInvitedToMentor, known: Known) -> list[Message]:
    values = {"skills": ", ".join(event.skill_ids)}
    return [Message(Kind.MENTOR_INVITATION, (event.participant_id,), values, event.program_id)]


MESSAGES: dict[type[Any], Callable[[Any, Known], list[Message]]] = {
    SessionScheduled: scheduled,
    SessionRescheduled: rescheduled,
    SessionCancelled: cancelled,
    SessionReminderDue: reminder,
    FeedbackRequested: feedback_requested,
    FeedbackReminderDue: feedback_reminder,
    MatchProposed: proposed,
    EscalationRaised: escalated,
    MenteeInvitedToMentor: invited,
}


def messages(event: Any, known: Known) -> list[Message]:
    """The messages a fact calls for (none for facts that tell nobody anything)."""
    make = MESSAGES.get(type(event))
    return make(event, known) if make is not None else []
