"""Thin subscribers: the chassis decodes; each handler updates one read model through
a pure domain function and, where the pool changed, asks the matchmaker to place."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from mentornet_chassis.aggregates import AggregateStore, Applied, Decision, State
from mentornet_chassis.consumer import Handler
from mentornet_contracts import Envelope, Event
from mentornet_contracts.events.participants import (
    AvailabilityUpdated,
    GoalsUpdated,
    MenteeRegistered,
    MentorRegistered,
    ParticipantErased,
    ParticipantWithdrawn,
    ProfileUpdated,
)
from mentornet_contracts.events.programs import ProgramPublished, ProgramUpdated

from .domain import candidates, programs
from .matchmaker import Matchmaker
from .store import MatcherStores

Update = Callable[[State | None, Any], State]
Then = Callable[[Envelope[Any]], Any]


def _updating(store: AggregateStore, update: Update, then: Then | None = None) -> Handler:
    async def handle(envelope: Envelope[Any]) -> Applied:
        def decide(current: State | None) -> Decision:
            return Decision(state=update(current, envelope.event))

        applied = await store.apply(envelope.subject, decide, handled=envelope.id)
        if then is not None:
            await then(envelope)
        return applied

    return handle


def matcher_handlers(stores: MatcherStores, matchmaker: Matchmaker) -> dict[type[Event], Handler]:
    """Placement runs after every delivery, duplicates included: it is idempotent, and
    a crash between the read-model write and placement must not lose the proposal."""

    async def place_mentee(envelope: Envelope[Any]) -> None:
        event = envelope.event
        await matchmaker.place(event.program_id, envelope.id, only={event.participant_id})

    async def place_program(envelope: Envelope[Any]) -> None:
        await matchmaker.place(envelope.event.program_id, envelope.id)

    people, rules = stores.candidates, stores.programs
    return {
        MenteeRegistered: _updating(people, candidates.on_mentee_registered, place_mentee),
        MentorRegistered: _updating(people, candidates.on_mentor_registered, place_program),
        ProfileUpdated: _updating(people, candidates.on_profile_updated),
        GoalsUpdated: _updating(people, candidates.on_goals_updated),
        AvailabilityUpdated: _updating(people, candidates.on_availability_updated),
        ParticipantWithdrawn: _updating(people, candidates.on_withdrawn),
        ParticipantErased: _updating(people, candidates.on_erased),
        ProgramPublished: _updating(rules, programs.on_published, place_program),
        ProgramUpdated: _updating(rules, programs.on_updated),
    }
