"""Mentors' recognition per program: their impact, worked out again whenever a fact
behind it changes, and each award the program's thresholds grant, once."""

from __future__ import annotations

from typing import Any

from mentornet_chassis.store.typed import Change
from mentornet_contracts import Envelope, new_envelope
from mentornet_contracts.events.qa import RecognitionAwarded

from ..domain import recognition
from ..domain.documents import Impact, Recognition
from ..store import QaStores

SERVICE = "qa"


class Recognised(Impact):
    """A mentor's impact and the awards they were given."""

    awards: list[str]


class Recognitions:
    def __init__(self, stores: QaStores) -> None:
        self.stores = stores

    async def figures(self, program_id: str, mentor_id: str) -> Impact:
        theirs = [
            m
            for m in await self.stores.matches_of_mentor(mentor_id)
            if m["program_id"] == program_id
        ]
        return recognition.impact(mentor_id, theirs)

    async def mentors(self, program_id: str) -> list[Recognised]:
        """Each mentor's impact and awards in the program."""
        matches = await self.stores.matches_in(program_id)
        found = []
        for mentor_id in sorted({mid for m in matches if (mid := m.get("mentor_id"))}):
            state = await self.stores.recognition.get(f"{program_id}:{mentor_id}") or {}
            figures = await self.figures(program_id, mentor_id)
            found.append(Recognised(**figures, awards=state.get("awards", [])))
        return found

    async def update(self, program_id: str, mentor_id: str, cause: Envelope[Any]) -> None:
        program = await self.stores.program(program_id)
        if program is None:
            return
        figures = await self.figures(program_id, mentor_id)

        def decide(state: Recognition | None) -> Change[Recognition]:
            if (state or {}).get("erased"):
                return Change(None)
            current = state or Recognition(program_id=program_id, mentor_id=mentor_id, awards=[])
            already = current.get("awards", [])
            new = recognition.earned(figures, program.awards, already)
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
            updated: Recognition = {
                **current,
                "impact": figures,
                "awards": [*already, *(t.award for t in new)],
            }
            return Change(updated if updated != state else None, events)

        await self.stores.recognition.apply(f"{program_id}:{mentor_id}", decide)
