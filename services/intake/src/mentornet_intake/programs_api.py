"""Programs over HTTP: coordinators create, change and publish the programs they run."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Depends
from mentornet_chassis.errors import Conflict, NotFound
from mentornet_chassis.http.auth import Principal
from mentornet_chassis.http.guard import caller, guarded_router
from mentornet_chassis.http.policy import Grant, allow
from mentornet_chassis.store.aggregates import AggregateStore, Decision, State
from mentornet_contracts import Event, new_envelope

from .access import TEAM
from .domain import programs

SERVICE = "intake"


def _found(state: State | None, program_id: str) -> State:
    if state is None:
        raise NotFound("program_id", f"no program {program_id}")
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
    wake_relay: Callable[[], None],
) -> APIRouter:
    router = guarded_router(prefix="/programs", tags=["programs"])

    async def transition(
        program_id: str, step: Callable[[State], tuple[State, Event | None]]
    ) -> State:
        def decide(current_state: State | None) -> Decision:
            state, event = step(_found(current_state, program_id))
            envelopes = [new_envelope(event, SERVICE)] if event is not None else []
            return Decision(state=state, events=envelopes)

        try:
            applied = await store.apply(program_id, decide)
        except programs.ProgramConflict as exc:
            raise Conflict("status", str(exc)) from None
        if applied.emitted:
            wake_relay()
        assert applied.state is not None
        return applied.state

    @router.post("", status_code=201, **allow("programs.create", Grant.COORDINATOR))
    async def create(
        spec: programs.ProgramSpec, principal: Principal = Depends(caller)
    ) -> dict[str, Any]:
        """A draft program; its creator coordinates it."""
        program_id = f"prog-{uuid.uuid4().hex[:12]}"
        state = programs.draft(spec, program_id, principal.subject)
        await store.apply(program_id, lambda _: Decision(state=state))
        return _view(state)

    @router.get("/{program_id}", **allow("programs.read", *TEAM, on="program"))
    async def get(program_id: str) -> dict[str, Any]:
        return _view(_found(await store.get_state(program_id), program_id))

    @router.patch("/{program_id}", **allow("programs.change", *TEAM, on="program"))
    async def update(program_id: str, patch: programs.ProgramPatch) -> dict[str, Any]:
        return _view(await transition(program_id, lambda state: programs.change(state, patch)))

    @router.post("/{program_id}/publish", **allow("programs.publish", *TEAM, on="program"))
    async def publish(program_id: str) -> dict[str, Any]:
        return _view(await transition(program_id, programs.publish))

    return router
