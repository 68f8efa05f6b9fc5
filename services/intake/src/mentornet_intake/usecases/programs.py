"""Programs: a coordinator creates one, changes it and publishes it."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from mentornet_chassis.errors import NotFound
from mentornet_contracts import Envelope, Event, new_envelope

from ..domain import programs
from ..domain.caller import Caller
from ..domain.programs import ProgramState
from ..store.programs import ProgramStore

SERVICE = "intake"
Step = Callable[[ProgramState], tuple[ProgramState, Event | None]]


def _found(state: ProgramState | None, program_id: str) -> ProgramState:
    if state is None:
        raise NotFound("program_id", f"no program {program_id}")
    return state


class ProgramDesk:
    def __init__(self, store: ProgramStore, wake_relay: Callable[[], None]) -> None:
        self.store = store
        self.wake_relay = wake_relay

    async def create(self, spec: programs.ProgramSpec, caller: Caller) -> ProgramState:
        """A draft program; its creator coordinates it."""
        program_id = f"prog-{uuid.uuid4().hex[:12]}"
        state = programs.draft(spec, program_id, caller.subject)
        await self.store.apply(program_id, lambda _: (state, []))
        return state

    async def get(self, program_id: str) -> ProgramState:
        return _found(await self.store.get(program_id), program_id)

    async def change(self, program_id: str, patch: programs.ProgramPatch) -> ProgramState:
        return await self._transition(program_id, lambda state: programs.change(state, patch))

    async def publish(self, program_id: str) -> ProgramState:
        return await self._transition(program_id, programs.publish)

    async def _transition(self, program_id: str, step: Step) -> ProgramState:
        def decide(
            current: ProgramState | None,
        ) -> tuple[ProgramState, list[Envelope[Event]]]:
            state, event = step(_found(current, program_id))
            return state, [new_envelope(event, SERVICE)] if event is not None else []

        changed = await self.store.apply(program_id, decide)
        if changed.emitted:
            self.wake_relay()
        return changed.state
