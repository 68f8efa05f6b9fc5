"""A registered participant: read them, change their profile, goals or availability,
and let them leave (withdraw, withdraw diversity consent, erase)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Collection
from datetime import datetime

from mentornet_chassis.errors import NotFound
from mentornet_contracts import Envelope, Event, new_envelope

from ..domain import lifecycle, profile, smart
from ..domain.caller import Caller
from ..domain.participant import ParticipantState, themselves
from ..domain.registration import canonical_goals, canonical_skills
from ..store.participants import ParticipantStore
from ..store.people import PeopleDirectory
from ..store.taxonomies import TaxonomyStore

SERVICE = "intake"
Step = Callable[[ParticipantState], tuple[ParticipantState, Event | None]]
ForgetAnswers = Callable[[Collection[str]], Awaitable[int]]


class ParticipantDesk:
    def __init__(
        self,
        participants: ParticipantStore,
        taxonomies: TaxonomyStore,
        people: PeopleDirectory,
        wake_relay: Callable[[], None],
        forget_answers: ForgetAnswers,
        clock: Callable[[], datetime],
    ) -> None:
        """`clock`: the service's "now", whose date new goals are checked against."""
        self.clock = clock
        self.participants = participants
        self.taxonomies = taxonomies
        self.people = people
        self.wake_relay = wake_relay
        self.forget_answers = forget_answers

    async def get(self, participant_id: str) -> ParticipantState:
        state = await self.participants.get(participant_id)
        if state is None:
            raise NotFound("participant_id", f"no participant {participant_id}")
        return state

    async def act(self, participant_id: str, step: Step) -> ParticipantState:
        """One domain step on the participant; its event, if any, is emitted."""
        await self.get(participant_id)

        def decide(
            state: ParticipantState | None,
        ) -> tuple[ParticipantState | None, list[Envelope[Event]]]:
            assert state is not None, "participants are never deleted, only erased"
            new_state, event = step(state)
            if event is None:
                return None, []
            return new_state, [new_envelope(event, SERVICE)]

        changed = await self.participants.apply(participant_id, decide)
        if changed.emitted:
            self.wake_relay()
        return changed.state

    async def withdraw(self, participant_id: str, reason: str) -> ParticipantState:
        return await self.act(participant_id, lambda s: lifecycle.withdraw(s, reason))

    async def withdraw_diversity_consent(self, participant_id: str) -> ParticipantState:
        return await self.act(participant_id, lifecycle.withdraw_diversity_consent)

    async def change_profile(
        self, participant_id: str, patch: profile.ProfilePatch
    ) -> ParticipantState:
        if patch.skills is not None:
            taxonomy = await self.taxonomies.current()
            skills = canonical_skills(patch.skills, taxonomy, "skills")
            patch = patch.model_copy(update={"skills": skills})
        return await self.act(participant_id, lambda s: profile.change_profile(s, patch))

    async def change_goals(
        self, participant_id: str, change: profile.GoalsChange
    ) -> ParticipantState:
        """The new goals, SMART against the goals they replace: only what is new or
        changed is held to today (smart.py), so a mid-programme edit of one goal is not
        refused because another goal's milestone is past."""
        today = self.clock().date()
        goals = canonical_goals(change.goals, await self.taxonomies.current())
        change = change.model_copy(update={"goals": goals})

        def step(state: ParticipantState) -> tuple[ParticipantState, Event | None]:
            smart.check(goals, today, before=profile.goals_of(state))
            return profile.change_goals(state, change)

        return await self.act(participant_id, step)

    async def change_availability(
        self, participant_id: str, change: profile.AvailabilityChange
    ) -> ParticipantState:
        return await self.act(participant_id, lambda s: profile.change_availability(s, change))

    async def erase(self, participant_id: str, caller: Caller) -> list[str]:
        """Remove every personal detail; harmless to repeat. Asked by the person
        themself (or a service acting for them), every enrolment of the person goes, in
        every program; a coordinator erases the enrolment in their program. The
        enrolments erased."""
        before = await self.get(participant_id)
        whole = caller.is_service or bool(caller.ids & themselves(before))
        erased = await self.participants.enrolments_of(before.get("person_id") or participant_id)
        targets = sorted(erased | {participant_id}) if whole else [participant_id]
        erasing = [await self.participants.get(t) for t in targets]
        for target in targets:
            await self.act(target, lifecycle.erase)
        for email in {e["email"] for e in erasing if e and e.get("email")}:
            if not await self.participants.uses_address(email):
                await self.people.forget(email)
        await self.forget_answers({*targets, *(i for e in erasing if e for i in themselves(e))})
        return targets
