"""Programs over HTTP: coordinators create, change and publish the programs they run."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import APIRouter, Request
from mentornet_chassis.aggregates import AggregateStore, Decision, State
from mentornet_chassis.auth import Principal, Role, forbidden, requiring
from mentornet_chassis.http import conflict, not_found
from mentornet_contracts import Event, new_envelope

from .domain import programs

SERVICE = "intake"
Current = Callable[[Request], Awaitable[Principal]]


def _managed(state: State | None, program_id: str, principal: Principal) -> State:
    if state is None:
        raise not_found("program_id", f"no program {program_id}")
    if not programs.manages(state, principal.subject, principal.programs):
        raise forbidden(f"you do not coordinate program {program_id}")
    return state


def _view(state: State) -> dict[str, Any]:
    return {
        "program_id": state["program_id"],
        "status": state["status"],
        "coordinators": state["coordinators"],
        **state["spec"],
    }


def create_router(
    store: AggregateStore,
    current: Current,
    wake_relay: Callable[[], None],
) -> APIRouter:
    router = APIRouter(prefix="/programs", tags=["programs"])
    coordinator = requiring(current, Role.COORDINATOR)

    async def transition(
        program_id: str, principal: Principal, step: Callable[[State], tuple[State, Event | None]]
    ) -> State:
        def decide(current_state: State | None) -> Decision:
            state, event = step(_managed(current_state, program_id, principal))
            envelopes = [new_envelope(event, SERVICE)] if event is not None else []
            return Decision(state=state, events=envelopes)

        try:
            applied = await store.apply(program_id, decide)
        except programs.ProgramConflict as exc:
            raise conflict("status", str(exc)) from None
        if applied.emitted:
            wake_relay()
        assert applied.state is not None
        return applied.state

    @router.post("", status_code=201)
    async def create(
        spec: programs.ProgramSpec, principal: Principal = coordinator
    ) -> dict[str, Any]:
        program_id = f"prog-{uuid.uuid4().hex[:12]}"
        state = programs.draft(spec, program_id, principal.subject)
        await store.apply(program_id, lambda _: Decision(state=state))
        return _view(state)

    @router.get("/{program_id}")
    async def get(program_id: str, principal: Principal = coordinator) -> dict[str, Any]:
        return _view(_managed(await store.get_state(program_id), program_id, principal))

    @router.patch("/{program_id}")
    async def update(
        program_id: str, patch: programs.ProgramPatch, principal: Principal = coordinator
    ) -> dict[str, Any]:
        return _view(
            await transition(program_id, principal, lambda state: programs.change(state, patch))
        )

    @router.post("/{program_id}/publish")
    async def publish(program_id: str, principal: Principal = coordinator) -> dict[str, Any]:
        return _view(await transition(program_id, principal, programs.publish))

    return router
