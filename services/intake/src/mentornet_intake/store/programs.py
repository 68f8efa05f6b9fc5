"""Programs in MongoDB: aggregates that emit through the outbox."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import cast

from mentornet_chassis.store.aggregates import AggregateStore, Decision, State
from mentornet_contracts import Envelope, Event

from ..domain.programs import ProgramState

PROGRAMS = "programs"
Decide = Callable[[ProgramState | None], tuple[ProgramState | None, Sequence[Envelope[Event]]]]
"""The new state (None: leave it as it is) and the events to emit with it."""


@dataclass(frozen=True)
class Changed:
    state: ProgramState
    emitted: bool


class ProgramStore:
    def __init__(self, aggregates: AggregateStore) -> None:
        self.aggregates = aggregates

    async def get(self, program_id: str) -> ProgramState | None:
        return cast(ProgramState | None, await self.aggregates.get_state(program_id))

    async def apply(self, program_id: str, decide: Decide) -> Changed:
        """One conditional write of the program (or none), with its events."""

        def decision(current: State | None) -> Decision:
            state, events = decide(cast(ProgramState | None, current))
            return Decision(state=cast(State | None, state), events=list(events))

        applied = await self.aggregates.apply(program_id, decision)
        assert applied.state is not None, "programs are never deleted"
        return Changed(cast(ProgramState, applied.state), bool(applied.emitted))
