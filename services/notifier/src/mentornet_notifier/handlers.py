"""The event table: facts about people, programs, matches and sessions keep the read
models up to date (pure reducers through the chassis subscribers); every fact that
concerns a person is then announced (usecases/announcing.py: ledger entries, sent by
the worker). Erasure tombstones the person and forgets what the notifier held."""

from __future__ import annotations

from typing import Any

from mentornet_chassis.messaging.consumer import Handler
from mentornet_chassis.messaging.subscribers import updating
from mentornet_chassis.store.aggregates import Applied
from mentornet_contracts import Envelope, Event
from mentornet_contracts.events.feedback import FeedbackReminderDue, FeedbackRequested
from mentornet_contracts.events.matches import MatchConfirmed, MatchProposed
from mentornet_contracts.events.participants import (
    AvailabilityUpdated,
    MenteeRegistered,
    MentorRegistered,
    ParticipantErased,
    ParticipantWithdrawn,
)
from mentornet_contracts.events.programs import ProgramPublished, ProgramUpdated
from mentornet_contracts.events.qa import EscalationRaised, MenteeInvitedToMentor
from mentornet_contracts.events.sessions import (
    SessionCancelled,
    SessionReminderDue,
    SessionRescheduled,
    SessionScheduled,
)

from .domain import readmodels, sessions
from .store import NotifierStores
from .usecases.announcing import Announcer
from .usecases.erasure import Eraser


def _session(event: Any) -> str:
    return str(event.session_id)


def _match(event: Any) -> str:
    return str(event.match_id)


def announcing(announcer: Announcer) -> Handler:
    """A fact with no read model of its own: straight to its messages."""

    async def handle(envelope: Envelope[Any]) -> Applied | None:
        await announcer.announce(envelope)
        return None

    return handle


SIDE_BY_SIDE: tuple[type[Event], ...] = (MentorRegistered, MenteeRegistered)
"""Registrations, each its own person's contact details: a burst of them (an import)
is handled a poll batch at a time (chassis messaging/lanes.py)."""


def notifier_handlers(
    stores: NotifierStores, announcer: Announcer, eraser: Eraser
) -> dict[type[Event], Handler]:
    people, say = stores.people, announcer.announce

    def session(update: Any) -> Handler:
        return updating(stores.sessions, update, say, aggregate=_session)

    return {
        MentorRegistered: updating(people, readmodels.on_mentor, new_likely=True),
        MenteeRegistered: updating(people, readmodels.on_mentee, new_likely=True),
        AvailabilityUpdated: updating(people, readmodels.on_availability),
        ParticipantWithdrawn: updating(people, readmodels.on_withdrawn),
        ParticipantErased: updating(people, readmodels.on_erased, eraser.erased),
        ProgramPublished: updating(stores.programs, readmodels.on_program),
        ProgramUpdated: updating(stores.programs, readmodels.on_program_updated),
        MatchProposed: updating(stores.matches, readmodels.on_match, say, aggregate=_match),
        MatchConfirmed: updating(stores.matches, readmodels.on_match, aggregate=_match),
        SessionScheduled: session(sessions.on_scheduled),
        SessionRescheduled: session(sessions.on_rescheduled),
        SessionCancelled: session(sessions.on_cancelled),
        SessionReminderDue: announcing(announcer),
        FeedbackRequested: announcing(announcer),
        FeedbackReminderDue: announcing(announcer),
        EscalationRaised: announcing(announcer),
        MenteeInvitedToMentor: announcing(announcer),
    }
