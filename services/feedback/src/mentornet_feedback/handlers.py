"""Feedback's event table: sessions from the scheduler, programs and mentees' goals from
intake, matches confirmed and ended from the matcher. Each entry is a pure reducer
(domain/) saved by the chassis, and where more follows, a use case (usecases/)."""

from __future__ import annotations

from typing import Any

from mentornet_chassis.messaging.consumer import Handler
from mentornet_chassis.messaging.subscribers import by_match, updating, updating_at
from mentornet_chassis.store.aggregates import Applied, State
from mentornet_contracts import Envelope, Event
from mentornet_contracts.events.matches import MatchConfirmed, MatchEnded
from mentornet_contracts.events.participants import (
    GoalsUpdated,
    MenteeRegistered,
    ParticipantErased,
    ParticipantWithdrawn,
)
from mentornet_contracts.events.programs import ProgramPublished, ProgramUpdated, apply_update
from mentornet_contracts.events.sessions import (
    SessionCancelled,
    SessionCompleted,
    SessionMissed,
    SessionRescheduled,
    SessionScheduled,
)

from .domain import goals, matches, outcomes, risk
from .domain.state import Person
from .usecases.common import Clock
from .usecases.followups import FollowUps
from .usecases.match_facts import MatchFacts


def _published(current: State | None, event: ProgramPublished) -> State:
    return event.model_dump(mode="json")


class Then:
    """What follows an event once its reducer is saved."""

    def __init__(self, followups: FollowUps) -> None:
        self.followups = followups

    async def scheduled(self, envelope: Envelope[Any], state: object) -> None:
        await self.followups.session_scheduled(envelope.subject, envelope.event.session_id)

    async def program(self, envelope: Envelope[Any], state: State) -> None:
        threshold = risk.threshold_of(state)
        await self.followups.thresholds_changed(envelope.subject, threshold, envelope)

    async def erased(self, envelope: Envelope[Any], state: object) -> None:
        await self.followups.erased(envelope.subject)

    async def withdrawn(self, envelope: Envelope[Any], state: object) -> None:
        await self.followups.withdrawn(envelope.subject)


SIDE_BY_SIDE: tuple[type[Event], ...] = (MenteeRegistered,)
"""Registrations, each its own mentee's goals: a burst of them (an import) is handled
a poll batch at a time (chassis messaging/lanes.py)."""


def feedback_handlers(
    followups: FollowUps, facts: MatchFacts, clock: Clock
) -> dict[type[Event], Handler]:
    then = Then(followups)
    stores = followups.parts.stores
    sessions, people = stores.match_states, stores.person_states

    async def completed(envelope: Envelope[Any]) -> Applied:
        return await followups.session_completed(envelope)

    async def confirmed(envelope: Envelope[Any]) -> Applied:
        return await facts.confirmed(envelope)

    def goals_updated(current: Person | None, event: GoalsUpdated) -> Person | None:
        return goals.on_goals_updated(current, event, clock())

    return {
        SessionScheduled: updating(sessions, matches.on_scheduled, then.scheduled),
        SessionRescheduled: updating(sessions, matches.on_rescheduled),
        SessionCancelled: updating(sessions, matches.on_cancelled),
        SessionMissed: updating(sessions, matches.on_missed),
        SessionCompleted: completed,
        ProgramPublished: updating(stores.programs, _published),
        ProgramUpdated: updating(stores.programs, apply_update, then.program),
        MenteeRegistered: updating(people, goals.on_mentee_registered, new_likely=True),
        GoalsUpdated: updating(people, goals_updated),
        ParticipantErased: updating(people, goals.on_left, then.erased),
        ParticipantWithdrawn: updating(people, goals.on_left, then.withdrawn),
        MatchConfirmed: confirmed,
        MatchEnded: updating_at(sessions, outcomes.on_ended, aggregate=by_match),
    }
