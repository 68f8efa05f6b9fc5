"""Who is told what: each fact's messages, their recipients and their calendar entries."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import cast

import pytest
from icalendar import Calendar
from mentornet_chassis.store.aggregates import AggregateStore
from mentornet_contracts.errors import UnknownEntity
from mentornet_contracts.events.feedback import FeedbackRequested
from mentornet_contracts.events.notifications import Channel
from mentornet_contracts.events.notifications import NotificationKind as Kind
from mentornet_contracts.events.qa import EscalationRaised, MenteeInvitedToMentor
from mentornet_contracts.events.sessions import (
    SessionCancelled,
    SessionReminderDue,
    SessionRescheduled,
    SessionScheduled,
)
from mentornet_notifier.domain import ledger
from mentornet_notifier.domain.calendar import ics
from mentornet_notifier.domain.documents import Delivery, Match
from mentornet_notifier.domain.messages import MESSAGES, Known, messages
from mentornet_notifier.domain.sessions import Session
from mentornet_notifier.handlers import notifier_handlers
from mentornet_notifier.store import COLLECTIONS, NotifierStores
from mentornet_notifier.usecases.announcing import Announcer
from mentornet_notifier.usecases.erasure import Eraser
from mentornet_notifier.usecases.links import UnsubscribeLinks

pytestmark = pytest.mark.unit

AT = datetime(2027, 3, 9, 13, 30, tzinfo=UTC)
MATCH = Match(match_id="m-1", mentor_id="p-mentor", mentee_id="p-mentee", program_id="prog-1")
SESSION = Session(
    session_id="s-1",
    match_id="m-1",
    starts_at=AT.isoformat(),
    duration_minutes=45,
    sequence=2,
    cancelled=True,
)


def booked() -> SessionScheduled:
    return SessionScheduled.model_validate(
        {
            "session_id": "s-1",
            "match_id": "m-1",
            "program_id": "prog-1",
            "mentor_id": "p-mentor",
            "mentee_id": "p-mentee",
            "session_type": "regular",
            "starts_at": AT.isoformat(),
            "duration_minutes": 45,
            "local_times": [],
        }
    )


def parsed(text: str) -> Calendar:
    return Calendar.from_ical(text)


def test_a_booked_session_tells_both_people_with_an_invitation() -> None:
    [message] = messages(booked(), Known())
    assert message.kind is Kind.SESSION_BOOKED
    assert message.recipients == ("p-mentor", "p-mentee")
    assert message.calendar is not None
    calendar = parsed(ics(message.calendar, AT))
    [event] = calendar.walk("VEVENT")
    assert str(calendar["METHOD"]) == "REQUEST"
    assert str(event["UID"]) == "s-1"
    assert event.decoded("DTSTART") == AT
    assert (event.decoded("DTEND") - AT).total_seconds() == 45 * 60
    assert event.decoded("SEQUENCE") == 0


def test_a_rescheduled_session_raises_the_sequence() -> None:
    moved = SessionRescheduled.model_validate(
        {
            "session_id": "s-1",
            "match_id": "m-1",
            "previous_starts_at": AT.isoformat(),
            "starts_at": AT.replace(day=10).isoformat(),
            "duration_minutes": 45,
            "local_times": [],
        }
    )
    known = Known(MATCH, {**SESSION, "sequence": 1, "cancelled": False})
    [message] = messages(moved, known)
    assert message.kind is Kind.SESSION_RESCHEDULED
    assert message.calendar is not None
    assert message.calendar.sequence == 1
    [event] = parsed(ics(message.calendar, AT)).walk("VEVENT")
    assert event.decoded("SEQUENCE") == 1


def test_a_cancelled_session_cancels_the_calendar_entry() -> None:
    gone = SessionCancelled.model_validate({"session_id": "s-1", "match_id": "m-1"})
    [message] = messages(gone, Known(MATCH, SESSION))
    assert message.kind is Kind.SESSION_CANCELLED
    assert message.recipients == ("p-mentor", "p-mentee")
    assert message.calendar is not None
    assert str(parsed(ics(message.calendar, AT))["METHOD"]) == "CANCEL"


def test_a_reminder_waits_for_the_match_it_is_about() -> None:
    due = SessionReminderDue.model_validate(
        {"session_id": "s-1", "match_id": "m-1", "starts_at": AT.isoformat(), "offset_minutes": 60}
    )
    with pytest.raises(UnknownEntity):
        messages(due, Known())
    [message] = messages(due, Known(MATCH))
    assert (message.kind, message.recipients) == (Kind.SESSION_REMINDER, ("p-mentor", "p-mentee"))


def escalation(action: str) -> EscalationRaised:
    return EscalationRaised.model_validate(
        {
            "case_id": "esc-1",
            "match_id": "m-1",
            "trigger": "no_activity",
            "severity": "medium",
            "action": action,
            "owner_id": "p-coord",
            "due_at": AT.isoformat(),
        }
    )


def test_a_nudge_tells_the_pair_and_the_owner_gets_the_case() -> None:
    nudge, assigned = messages(escalation("nudge"), Known(MATCH))
    assert (nudge.kind, nudge.recipients, nudge.case_id) == (
        Kind.STALL_NUDGE,
        ("p-mentor", "p-mentee"),
        "esc-1",
    )
    assert (assigned.kind, assigned.recipients) == (Kind.ESCALATION_ASSIGNED, ("p-coord",))
    [only] = messages(escalation("rematch"), Known(MATCH))
    assert only.kind is Kind.ESCALATION_ASSIGNED


def test_feedback_requests_and_invitations_go_to_their_one_person() -> None:
    asked = FeedbackRequested.model_validate(
        {
            "request_id": "r-1",
            "match_id": "m-1",
            "session_id": "s-1",
            "participant_id": "p-mentee",
            "role": "mentee",
            "due_at": AT.isoformat(),
            "template_id": "post-session",
            "template_version": 1,
        }
    )
    [message] = messages(asked, Known(MATCH))
    assert (message.kind, message.recipients, message.program_id) == (
        Kind.FEEDBACK_REQUESTED,
        ("p-mentee",),
        "prog-1",
    )
    invited = MenteeInvitedToMentor.model_validate(
        {"program_id": "prog-1", "participant_id": "p-mentee", "skill_ids": ["go"]}
    )
    [message] = messages(invited, Known())
    assert (message.kind, message.recipients) == (Kind.MENTOR_INVITATION, ("p-mentee",))


def test_a_cancellation_of_a_session_never_seen_tells_nobody() -> None:
    gone = SessionCancelled.model_validate({"session_id": "s-9", "match_id": "m-1"})
    assert messages(gone, Known(MATCH, None)) == []


def test_every_fact_with_messages_has_a_row_in_the_event_table() -> None:
    stores = NotifierStores(*(cast(AggregateStore, object()) for _ in COLLECTIONS))
    links = UnsubscribeLinks(b"k" * 32, "http://x", 1, lambda: AT)
    table = notifier_handlers(stores, Announcer(stores, links, lambda: AT), Eraser(stores))
    assert set(MESSAGES) <= set(table)


def test_a_cohorts_mentor_is_reminded_once_per_cohort_and_start() -> None:
    def due(match: Match) -> list[Delivery]:
        event = SessionReminderDue.model_validate(
            {
                "session_id": f"s-{match['match_id']}",
                "match_id": match["match_id"],
                "starts_at": AT.isoformat(),
                "offset_minutes": 60,
                "cohort_id": "c-1",
            }
        )
        envelope_id = f"ev-{match['match_id']}"
        return [
            ledger.entry(m, envelope_id, r, Channel.EMAIL, 0.0)
            for m in messages(event, Known(match))
            for r in m.recipients
        ]

    other = Match(match_id="m-2", mentor_id="p-mentor", mentee_id="p-other", program_id="prog-1")
    first, second = due(MATCH), due(other)
    ids = {d["participant_id"]: d["delivery_id"] for d in first}
    again = {d["participant_id"]: d["delivery_id"] for d in second}
    assert ids["p-mentor"] == again["p-mentor"], "one reminder for the cohort's mentor"
    assert ids["p-mentee"] != again["p-other"]
