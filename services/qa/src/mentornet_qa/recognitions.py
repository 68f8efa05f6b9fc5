"""Mentors' recognition per program: their impact, worked out again whenever a fact
behind it changes, and each award the program's thresholds grant, once."""

from __future__ import annotations

from typing import Any

from mentornet_chassis.store.aggregates import Decision, State
from mentornet_contracts import Envelope, new_envelope
from mentornet_contracts.events.qa import RecognitionAwarded

from . import programs
from .domain import recognition
from .store import QaStores

SERVICE = "qa"


class Recognitions:
    def __init__(self, stores: QaStores) -> None:
        self.stores = stores

    async def figures(self, program_id: str, mentor_id: str) -> dict[str, Any]:
        theirs = [
            m
            for m in await self.stores.matches_of_mentor(mentor_id)
            if m["program_id"] == program_id
        ]
        return recognition.impact(mentor_id, theirs)

    async def update(self, program_id: str, mentor_id: str, cause: Envelope[Any]) -> None:
        program = await programs.load(self.stores, program_id)
        if program is None:
            return
        figures = await self.figures(program_id, mentor_id)

        def decide(state: State | None) -> Decision:
            if (state or {}).get("erased"):
                return Decision(state=None)
            current = state or {"program_id": program_id, "mentor_id": mentor_id, "awards": []}
            new = recognition.earned(figures, program.awards, current["awards"])
            events = [
                new_envelope(
                    RecognitionAwarded(
                        program_id=program_id,
                        mentor_id=mentor_id,
                        award=t.award,
                        reason=recognition.reason(t, figures),
                    ),
                    SERVICE,
                    caused_by=cause,
                )
                for t in new
            ]
            updated = {
                **current,
                "impact": figures,
                "awards": [*current["awards"], *(t.award for t in new)],
            }
            return Decision(updated if updated != state else None, events)

        await self.stores.recognition.apply(f"{program_id}:{mentor_id}", decide)
