"""Thin subscribers: the chassis decodes; each handler updates one read model through
a pure domain function, then does what the change calls for: place a newcomer, ask
for a batch run, end matches that no longer work.

The follow-ups run after every delivery, duplicates included (chassis subscribers).
"""

from __future__ import annotations

from typing import Any

from mentornet_chassis.messaging.consumer import Handler
from mentornet_chassis.messaging.subscribers import Then, updating
from mentornet_chassis.store.aggregates import State
from mentornet_contracts import Envelope, Event
from mentornet_contracts.events.matches import EndCause
from mentornet_contracts.events.participants import (
    AvailabilityUpdated,
    GoalsUpdated,
    MenteeRegistered,
    MentorRegistered,
    ParticipantErased,
    ParticipantWithdrawn,
    ProfileUpdated,
)
from mentornet_contracts.events.programs import ProgramPublished, ProgramUpdated, TaxonomyUpdated
from mentornet_contracts.events.qa import EscalationAction, EscalationRaised
from mentornet_contracts.events.sessions import SeriesCompleted

from .batch_runs import BatchRuns
from .domain import candidates, programs, taxonomy_view
from .matchmaker import Matchmaker
from .rematch import Rematcher
from .store import MatcherStores


class FollowUps:
    """What each kind of change sets off, given the read model as it now is."""

    def __init__(self, runs: BatchRuns, matchmaker: Matchmaker, rematcher: Rematcher) -> None:
        self.runs = runs
        self.matchmaker = matchmaker
        self.rematcher = rematcher

    async def place(self, envelope: Envelope[Any], state: State) -> None:
        mentee = state.get("roles", {}).get("mentee")
        if mentee is not None and state.get("status") == "active":
            pid = state["participant_id"]
            await self.matchmaker.place_newcomer(
                mentee["program_id"], pid, envelope.id, candidate=state
            )

    async def batch(self, envelope: Envelope[Any], state: State) -> None:
        self.matchmaker.views.forget(envelope.event.program_id)
        await self.runs.request(envelope.event.program_id)

    async def roster(self, envelope: Envelope[Any], state: State) -> None:
        """The program's mentors changed: refresh cached rosters, run a batch."""
        mentor_program = candidates.programs_of(state).get("mentor")
        if mentor_program is not None:
            await self.runs.request(mentor_program, roster_changed=True)
            self.matchmaker.views.forget(mentor_program)

    async def taxonomy(self, envelope: Envelope[Any], state: State) -> None:
        self.matchmaker.views.forget()

    async def profile(self, envelope: Envelope[Any], state: State) -> None:
        await self.roster(envelope, state)
        await self.rematcher.mentor_changed(state["participant_id"])

    async def availability(self, envelope: Envelope[Any], state: State) -> None:
        await self.roster(envelope, state)
        await self.rematcher.availability_changed(state["participant_id"], "mentor_id")
        await self.rematcher.availability_changed(state["participant_id"], "mentee_id")
        await self.place(envelope, state)

    def leaving(self, cause: EndCause) -> Then:
        async def left(envelope: Envelope[Any], state: State) -> None:
            await self.roster(envelope, state)
            await self.rematcher.participant_left(state["participant_id"], cause)

        return left


def matcher_handlers(
    stores: MatcherStores, runs: BatchRuns, matchmaker: Matchmaker, rematcher: Rematcher
) -> dict[type[Event], Handler]:
    then = FollowUps(runs, matchmaker, rematcher)
    people, rules = stores.candidates, stores.programs

    async def escalation(envelope: Envelope[Any]) -> None:
        raised: EscalationRaised = envelope.event
        if raised.action == EscalationAction.REMATCH:
            detail = f"{raised.trigger} escalation, case {raised.case_id}"
            await rematcher.escalated(raised.match_id, detail)

    async def series_completed(envelope: Envelope[Any]) -> None:
        done: SeriesCompleted = envelope.event
        await rematcher.completed(done.match_id, f"{done.held} held, {done.missed} missed")

    return {
        SeriesCompleted: series_completed,
        MenteeRegistered: updating(
            people, candidates.on_mentee_registered, then.place, new_likely=True
        ),
        MentorRegistered: updating(
            people, candidates.on_mentor_registered, then.roster, new_likely=True
        ),
        ProfileUpdated: updating(people, candidates.on_profile_updated, then.profile),
        GoalsUpdated: updating(people, candidates.on_goals_updated, then.place),
        AvailabilityUpdated: updating(
            people, candidates.on_availability_updated, then.availability
        ),
        ParticipantWithdrawn: updating(
            people, candidates.on_withdrawn, then.leaving(EndCause.PARTICIPANT_WITHDRAWN)
        ),
        ParticipantErased: updating(
            people, candidates.on_erased, then.leaving(EndCause.PARTICIPANT_ERASED)
        ),
        ProgramPublished: updating(rules, programs.on_published, then.batch),
        ProgramUpdated: updating(rules, programs.on_updated, then.batch),
        EscalationRaised: escalation,
        TaxonomyUpdated: updating(
            stores.taxonomy, taxonomy_view.on_taxonomy_updated, then.taxonomy
        ),
    }
