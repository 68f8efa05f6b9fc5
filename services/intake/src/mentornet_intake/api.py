"""Participants over HTTP: register (either role, or both), read."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Collection
from typing import Any

from fastapi import APIRouter, Depends, Header
from mentornet_chassis.errors import Conflict, NotFound
from mentornet_chassis.http.auth import Principal, Role
from mentornet_chassis.http.guard import caller, guarded_router
from mentornet_chassis.http.policy import Grant, allow
from mentornet_chassis.store.aggregates import AggregateStore, Decision, State
from mentornet_contracts import Event, new_envelope
from pydantic import BaseModel, ConfigDict, Field

from .access import TEAM, seen_by, themselves
from .domain import lifecycle, profile
from .domain.registration import (
    MenteeRegistration,
    MentorRegistration,
    RegistrationConflict,
    canonical_goals,
    canonical_skills,
)
from .registrar import Registrar, skill_errors
from .store import ParticipantStore

SERVICE = "intake"


class Withdrawal(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(default="", max_length=500)


def _person(name: str, *grants: Grant) -> dict[str, Any]:
    """A route about one participant: out of scope, they do not exist (404)."""
    return allow(name, *grants, on="participant", hide=True)


def create_router(
    participants: ParticipantStore,
    program_store: AggregateStore,
    wake_relay: Callable[[], None],
    registrar: Registrar,
    forget_answers: Callable[[Collection[str]], Awaitable[int]],
) -> APIRouter:
    router = guarded_router(prefix="/participants", tags=["participants"])
    taxonomies = registrar.taxonomies
    register = allow("participants.register", Grant.SIGNED_IN)
    theirs = (Grant.SELF, *TEAM)

    @router.post("/mentees", status_code=201, **register)
    async def register_mentee(
        body: MenteeRegistration,
        principal: Principal = Depends(caller),
        correlation_id: str | None = Header(default=None, alias="X-Correlation-ID", max_length=128),
    ) -> dict[str, Any]:
        """Yourself (with the mentee role in your token), or anyone as a coordinator of
        the body's program."""
        return await registrar.enrol(body, Role.MENTEE, principal, correlation_id)

    @router.post("/mentors", status_code=201, **register)
    async def register_mentor(
        body: MentorRegistration,
        principal: Principal = Depends(caller),
        correlation_id: str | None = Header(default=None, alias="X-Correlation-ID", max_length=128),
    ) -> dict[str, Any]:
        """Yourself (with the mentor role in your token), or anyone as a coordinator of
        the body's program."""
        return await registrar.enrol(body, Role.MENTOR, principal, correlation_id)

    @router.get("/{participant_id}", **_person("participants.read", *theirs))
    async def get(participant_id: str, principal: Principal = Depends(caller)) -> dict[str, Any]:
        state = await participants.get(participant_id)
        if state is None:
            raise NotFound("participant_id", f"no participant {participant_id}")
        return seen_by(principal, state)

    async def act(
        participant_id: str, step: Callable[[State], tuple[State, Event | None]]
    ) -> State:
        existing = await participants.get(participant_id)
        if existing is None:
            raise NotFound("participant_id", f"no participant {participant_id}")

        def decide(state: State | None) -> Decision:
            assert state is not None, "participants are never deleted, only erased"
            new_state, event = step(state)
            if event is None:
                return Decision(state=None)
            return Decision(state=new_state, events=[new_envelope(event, SERVICE)])

        try:
            applied = await participants.aggregates.apply(participant_id, decide)
        except RegistrationConflict as exc:
            raise Conflict("status", str(exc)) from None
        if applied.emitted:
            wake_relay()
        assert applied.state is not None
        return applied.state

    @router.post("/{participant_id}/withdraw", **_person("participants.withdraw", *theirs))
    async def withdraw(participant_id: str, body: Withdrawal) -> dict[str, Any]:
        state = await act(participant_id, lambda s: lifecycle.withdraw(s, body.reason))
        return {"participant_id": participant_id, "status": state["status"]}

    @router.delete("/{participant_id}", **_person("participants.erase", *theirs))
    async def erase(participant_id: str, principal: Principal = Depends(caller)) -> dict[str, Any]:
        """Remove every personal detail; harmless to repeat. Asked by the person
        themself (or a service acting for them), every enrolment of the person goes, in
        every program; a coordinator erases the enrolment in their program."""
        before = await participants.get(participant_id)
        if before is None:
            raise NotFound("participant_id", f"no participant {participant_id}")
        whole = principal.has(Role.SERVICE) or bool(principal.ids & themselves(before))
        erased = await participants.enrolments_of(before.get("person_id") or participant_id)
        targets = sorted(erased | {participant_id}) if whole else [participant_id]
        erasing = [await participants.get(t) for t in targets]
        for target in targets:
            await act(target, lifecycle.erase)
        for email in {e["email"] for e in erasing if e and e.get("email")}:
            if not await participants.uses_address(email):
                await registrar.people.forget(email)
        await forget_answers({*targets, *(i for e in erasing if e for i in themselves(e))})
        return {
            "participant_id": participant_id,
            "status": "erased",
            "erased": targets,
        }

    @router.delete(
        "/{participant_id}/diversity",
        **_person("participants.withdraw_diversity", *theirs),
    )
    async def withdraw_diversity_consent(participant_id: str) -> dict[str, Any]:
        """Forget self-identified attributes here and in QA's fairness data (the person, or
        their coordinator on their behalf: nothing about the attributes is shown)."""
        state = await act(participant_id, lifecycle.withdraw_diversity_consent)
        return {"participant_id": participant_id, "diversity": state.get("diversity")}

    @router.patch("/{participant_id}/profile", **_person("participants.profile", *theirs))
    async def change_profile(
        participant_id: str, patch: profile.ProfilePatch, principal: Principal = Depends(caller)
    ) -> dict[str, Any]:
        if patch.skills is not None:
            taxonomy = await taxonomies.current()
            with skill_errors():
                skills = canonical_skills(patch.skills, taxonomy, "skills")
            patch = patch.model_copy(update={"skills": skills})
        state = await act(participant_id, lambda s: profile.change_profile(s, patch))
        return seen_by(principal, state)

    @router.put("/{participant_id}/goals", **_person("participants.goals", *theirs))
    async def change_goals(
        participant_id: str, change: profile.GoalsChange, principal: Principal = Depends(caller)
    ) -> dict[str, Any]:
        taxonomy = await taxonomies.current()
        with skill_errors():
            change = change.model_copy(update={"goals": canonical_goals(change.goals, taxonomy)})
        state = await act(participant_id, lambda s: profile.change_goals(s, change))
        return seen_by(principal, state)

    @router.put("/{participant_id}/availability", **_person("participants.availability", *theirs))
    async def change_availability(
        participant_id: str,
        change: profile.AvailabilityChange,
        principal: Principal = Depends(caller),
    ) -> dict[str, Any]:
        state = await act(participant_id, lambda s: profile.change_availability(s, change))
        return seen_by(principal, state)

    return router
