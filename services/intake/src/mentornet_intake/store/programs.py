"""Programs in MongoDB: aggregates that emit through the outbox."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from mentornet_chassis.store.aggregates import AggregateStore
from mentornet_chassis.store.typed import Change, Documents
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
        self.documents: Documents[ProgramState] = Documents(aggregates)

    async def get(self, program_id: str) -> ProgramState | None:
        return await self.documents.get(program_id)

    async def apply(self, program_id: str, decide: Decide) -> Changed:
        """One conditional write of the program (or none), with its events."""

        def decision(current: ProgramState | None) -> Change[ProgramState]:
            state, events = decide(current)
            return Change(state, list(events))

        applied = await self.documents.apply(program_id, decision)
        assert applied.state is not None, "programs are never deleted"
        return Changed(applied.state, bool(applied.emitted))

    async def announce(self, program_id: str, envelope: Envelope[Event], handled: str) -> None:
        """Emit an event about the program without changing it, once for `handled`: an
        announcement repeated (a worker taking over a job) writes nothing."""
        await self.documents.apply(program_id, lambda _: Change(None, [envelope]), handled=handled)
