"""Participants over HTTP: register (either role, or both), read."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import APIRouter, Header, Request
from mentornet_chassis.aggregates import AggregateStore, Decision, State
from mentornet_chassis.auth import Principal, Role, forbidden
from mentornet_chassis.http import ApiError, conflict, not_found
from mentornet_chassis.idempotency import IdempotencyStore
from mentornet_contracts import Event, new_envelope
from pydantic import BaseModel, ConfigDict, Field
from pymongo.errors import DuplicateKeyError

from .domain import lifecycle, programs
from .domain.registration import (
    MenteeRegistration,
    MentorRegistration,
    RegistrationConflict,
    email_key,
    new_participant_id,
    register,
)
from .store import ParticipantStore

SERVICE = "intake"
Current = Callable[[Request], Awaitable[Principal]]


class Withdrawal(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(default="", max_length=500)


def _failed_rule(rule: programs.Eligibility, org_unit: str | None) -> str:
    return "org_unit" if rule.org_units and org_unit not in rule.org_units else "level"


def _ineligible(field: str, program_id: str) -> ApiError:
    return ApiError(422, "validation_failed", field, f"not eligible for program {program_id}")


async def _open_program(program_store: AggregateStore, program_id: str) -> State:
    program = await program_store.get_state(program_id)
    if program is None:
        raise not_found("program_id", f"no program {program_id}")
    if program["status"] != "published":
        raise conflict("program_id", f"program {program_id} is not open for registration")
    return program


def _may_register(principal: Principal, program: State, role: Role) -> bool:
    return (
        principal.has(Role.SERVICE)
        or programs.manages(program, principal.subject, principal.programs)
        or principal.has(role)
    )


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
    idempotency: IdempotencyStore,
) -> APIRouter:
    router = APIRouter(prefix="/participants", tags=["participants"])

    async def enrol(
        body: MenteeRegistration | MentorRegistration,
        role: Role,
        principal: Principal,
        correlation_id: str | None,
    ) -> dict[str, Any]:
        program = await _open_program(program_store, body.program_id)
        if not _may_register(principal, program, role):
            raise forbidden(f"needs role {role} or coordinating {body.program_id}")
        rule = programs.Eligibility.model_validate(program["spec"]["eligibility"])
        if not rule.admits(body.org_unit, body.level):
            raise _ineligible(_failed_rule(rule, body.org_unit), body.program_id)
        existing = await participants.find_by_email_key(email_key(body.program_id, str(body.email)))
        participant_id = existing["_id"] if existing else new_participant_id()
        self_service = not principal.has(Role.SERVICE, Role.COORDINATOR)
        emitted: list[str] = []

        def decide(state: State | None) -> Decision:
            if state and self_service and state.get("account") != principal.subject:
                raise conflict("email", "registered to another account")
            new_state, event = register(state, body, participant_id)
            if self_service:
                new_state["account"] = principal.subject
            envelope = new_envelope(event, SERVICE, correlation_id=correlation_id)
            emitted[:] = [envelope.id, envelope.correlation_id]
            return Decision(state=new_state, events=[envelope])

        try:
            applied = await participants.aggregates.apply(participant_id, decide)
        except RegistrationConflict as exc:
            raise conflict("roles", str(exc)) from None
        except DuplicateKeyError:
            raise conflict("email", "already registered in this program") from None
        wake_relay()
        assert applied.state is not None
        return {
            "participant_id": participant_id,
            "roles": applied.state["roles"],
            "event_id": emitted[0],
            "correlation_id": emitted[1],
        }

    @router.post("/mentees", status_code=201)
    async def register_mentee(
        body: MenteeRegistration,
        request: Request,
        correlation_id: str | None = Header(default=None, alias="X-Correlation-ID", max_length=128),
    ) -> dict[str, Any]:
        principal = await current(request)
        return await idempotency.once(
            request, principal.subject, lambda: enrol(body, Role.MENTEE, principal, correlation_id)
        )

    @router.post("/mentors", status_code=201)
    async def register_mentor(
        body: MentorRegistration,
        request: Request,
        correlation_id: str | None = Header(default=None, alias="X-Correlation-ID", max_length=128),
    ) -> dict[str, Any]:
        principal = await current(request)
        return await idempotency.once(
            request, principal.subject, lambda: enrol(body, Role.MENTOR, principal, correlation_id)
        )

    @router.get("/{participant_id}")
    async def get(participant_id: str, request: Request) -> dict[str, Any]:
        principal = await current(request)
        state = await participants.get(participant_id)
        if state is None:
            raise not_found("participant_id", f"no participant {participant_id}")
        program = await program_store.get_state(state["program_id"])
        if not _may_act_on(principal, state, program):
            raise forbidden("you may read only your own profile or your programs' people")
        return {k: v for k, v in state.items() if k != "email_key"}

    async def leave(
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
        state = await leave(participant_id, request, lambda s: lifecycle.withdraw(s, body.reason))
        return {"participant_id": participant_id, "status": state["status"]}

    @router.delete("/{participant_id}")
    async def erase(participant_id: str, request: Request) -> dict[str, Any]:
        """Remove every personal detail; harmless to repeat."""
        state = await leave(participant_id, request, lifecycle.erase)
        return {"participant_id": participant_id, "status": state["status"]}

    return router
