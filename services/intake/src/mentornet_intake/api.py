"""Participants over HTTP: register (either role, or both), read."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import APIRouter, Header, Request
from mentornet_chassis.aggregates import AggregateStore, Decision, State
from mentornet_chassis.auth import Principal, Role, forbidden
from mentornet_chassis.http import conflict, not_found
from mentornet_contracts import Event, new_envelope
from pydantic import BaseModel, ConfigDict, Field

from .domain import lifecycle, profile, programs
from .domain.registration import (
    MenteeRegistration,
    MentorRegistration,
    RegistrationConflict,
    canonical_goals,
    canonical_skills,
)
from .registrar import Registrar, skill_errors
from .store import ParticipantStore
from .taxonomies import TaxonomyStore

SERVICE = "intake"
Current = Callable[[Request], Awaitable[Principal]]


class Withdrawal(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(default="", max_length=500)


def _may_act_on(principal: Principal, state: State, program: State | None) -> bool:
    return (
        principal.has(Role.SERVICE)
        or state.get("account") == principal.subject
        or (
            program is not None and programs.manages(program, principal.subject, principal.programs)
        )
    )


def create_router(
    participants: ParticipantStore,
    program_store: AggregateStore,
    current: Current,
    wake_relay: Callable[[], None],
    taxonomies: TaxonomyStore,
) -> APIRouter:
    router = APIRouter(prefix="/participants", tags=["participants"])
    registrar = Registrar(participants, program_store, wake_relay, taxonomies)

    @router.post("/mentees", status_code=201)
    async def register_mentee(
        body: MenteeRegistration,
        request: Request,
        correlation_id: str | None = Header(default=None, alias="X-Correlation-ID", max_length=128),
    ) -> dict[str, Any]:
        principal = await current(request)
        return await registrar.enrol(body, Role.MENTEE, principal, correlation_id)

    @router.post("/mentors", status_code=201)
    async def register_mentor(
        body: MentorRegistration,
        request: Request,
        correlation_id: str | None = Header(default=None, alias="X-Correlation-ID", max_length=128),
    ) -> dict[str, Any]:
        principal = await current(request)
        return await registrar.enrol(body, Role.MENTOR, principal, correlation_id)

    @router.get("/{participant_id}")
    async def get(participant_id: str, request: Request) -> dict[str, Any]:
        principal = await current(request)
        state = await participants.get(participant_id)
        if state is None:
            raise not_found("participant_id", f"no participant {participant_id}")
        program = await program_store.get_state(state["program_id"])
        if not _may_act_on(principal, state, program):
            raise forbidden("you may read only your own profile or your programs' people")
        return _public(state)

    async def act(
        participant_id: str, request: Request, step: Callable[[State], tuple[State, Event | None]]
    ) -> State:
        principal = await current(request)
        existing = await participants.get(participant_id)
        if existing is None:
            raise not_found("participant_id", f"no participant {participant_id}")
        program = await program_store.get_state(existing["program_id"])
        if not _may_act_on(principal, existing, program):
            raise forbidden("you may act only on yourself or your programs' people")

        def decide(state: State | None) -> Decision:
            assert state is not None, "participants are never deleted, only erased"
            new_state, event = step(state)
            if event is None:
                return Decision(state=None)
            return Decision(state=new_state, events=[new_envelope(event, SERVICE)])

        try:
            applied = await participants.aggregates.apply(participant_id, decide)
        except RegistrationConflict as exc:
            raise conflict("status", str(exc)) from None
        if applied.emitted:
            wake_relay()
        assert applied.state is not None
        return applied.state

    @router.post("/{participant_id}/withdraw")
    async def withdraw(participant_id: str, body: Withdrawal, request: Request) -> dict[str, Any]:
        state = await act(participant_id, request, lambda s: lifecycle.withdraw(s, body.reason))
        return {"participant_id": participant_id, "status": state["status"]}

    @router.delete("/{participant_id}")
    async def erase(participant_id: str, request: Request) -> dict[str, Any]:
        """Remove every personal detail; harmless to repeat."""
        state = await act(participant_id, request, lifecycle.erase)
        return {"participant_id": participant_id, "status": state["status"]}

    @router.delete("/{participant_id}/diversity")
    async def withdraw_diversity_consent(participant_id: str, request: Request) -> dict[str, Any]:
        """Forget self-identified attributes here and in QA's fairness data."""
        state = await act(participant_id, request, lifecycle.withdraw_diversity_consent)
        return {"participant_id": participant_id, "diversity": state.get("diversity")}

    @router.patch("/{participant_id}/profile")
    async def change_profile(
        participant_id: str, patch: profile.ProfilePatch, request: Request
    ) -> dict[str, Any]:
        if patch.skills is not None:
            taxonomy = await taxonomies.current()
            with skill_errors():
                skills = canonical_skills(patch.skills, taxonomy, "skills")
            patch = patch.model_copy(update={"skills": skills})
        state = await act(participant_id, request, lambda s: profile.change_profile(s, patch))
        return _public(state)

    @router.put("/{participant_id}/goals")
    async def change_goals(
        participant_id: str, change: profile.GoalsChange, request: Request
    ) -> dict[str, Any]:
        taxonomy = await taxonomies.current()
        with skill_errors():
            change = change.model_copy(update={"goals": canonical_goals(change.goals, taxonomy)})
        return _public(
            await act(participant_id, request, lambda s: profile.change_goals(s, change))
        )

    @router.put("/{participant_id}/availability")
    async def change_availability(
        participant_id: str, change: profile.AvailabilityChange, request: Request
    ) -> dict[str, Any]:
        return _public(
            await act(participant_id, request, lambda s: profile.change_availability(s, change))
        )

    return router


def _public(state: State) -> dict[str, Any]:
    return {k: v for k, v in state.items() if k != "email_key"}
