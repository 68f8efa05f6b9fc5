"""QA's MongoDB collections, each an aggregate store that emits through its outbox:
matches (fed by every stream, with their escalation case), participants, programs
(rules, QA settings, coverage, last audit), sampling periods, samples, mentors'
recognition."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from mentornet_chassis.store.aggregates import AggregateStore

State = dict[str, Any]


@dataclass(frozen=True)
class QaStores:
    matches: AggregateStore
    people: AggregateStore
    programs: AggregateStore
    periods: AggregateStore
    samples: AggregateStore
    recognition: AggregateStore

    def all(self) -> list[AggregateStore]:
        return [
            self.matches,
            self.people,
            self.programs,
            self.periods,
            self.samples,
            self.recognition,
        ]

    async def ensure_indexes(self) -> None:
        for field in (
            "state.mentor_id",
            "state.mentee_id",
            "state.program_id",
            "state.case.case_id",
        ):
            await self.matches.collection.create_index(field)
        await self.samples.collection.create_index("state.program_id")

    async def _states(self, store: AggregateStore, query: dict[str, Any]) -> list[State]:
        return [doc["state"] async for doc in store.collection.find(query) if doc.get("state")]

    async def matches_in(self, program_id: str) -> list[State]:
        return await self._states(self.matches, {"state.program_id": program_id})

    async def matches_of_mentee(self, mentee_id: str) -> list[State]:
        return await self._states(self.matches, {"state.mentee_id": mentee_id})

    async def matches_of_mentor(self, mentor_id: str) -> list[State]:
        return await self._states(self.matches, {"state.mentor_id": mentor_id})

    async def people_in(self, program_id: str) -> list[State]:
        query = {
            "$or": [
                {"state.roles.mentor.program_id": program_id},
                {"state.roles.mentee.program_id": program_id},
            ]
        }
        return await self._states(self.people, query)

    async def samples_of_match(self, match_id: str) -> list[State]:
        return await self._states(self.samples, {"state.match_id": match_id})

    async def samples_in(self, program_id: str) -> list[State]:
        return await self._states(self.samples, {"state.program_id": program_id})
