"""Matcher's MongoDB collections: candidates, programs, matches and mentor loads,
each an aggregate store that emits through its outbox."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from mentornet_chassis.aggregates import AggregateStore

from .domain.matches import HOLDS_CAPACITY

CANDIDATES = "candidates"
PROGRAMS = "programs"
MATCHES = "matches"
LOADS = "mentor_loads"
WAITLIST = "waitlist"


@dataclass(frozen=True)
class MatcherStores:
    candidates: AggregateStore
    programs: AggregateStore
    matches: AggregateStore
    loads: AggregateStore
    waitlist: AggregateStore

    def all(self) -> list[AggregateStore]:
        return [self.candidates, self.programs, self.matches, self.loads, self.waitlist]

    async def in_program(self, program_id: str, role: str) -> list[dict[str, Any]]:
        query = {"state.status": "active", f"state.roles.{role}.program_id": program_id}
        return [doc["state"] async for doc in self.candidates.collection.find(query)]

    async def matches_in(self, program_id: str) -> list[dict[str, Any]]:
        return [
            doc["state"]
            async for doc in self.matches.collection.find({"state.program_id": program_id})
        ]

    async def placed_mentees(self, program_id: str) -> set[str]:
        return {
            m["mentee_id"]
            for m in await self.matches_in(program_id)
            if m["status"] in HOLDS_CAPACITY
        }

    async def failed_pairs(self, program_id: str) -> frozenset[tuple[str, str]]:
        return frozenset(
            (m["mentee_id"], m["mentor_id"])
            for m in await self.matches_in(program_id)
            if m["status"] == "declined"
        )

    async def waiting_in(self, program_id: str) -> list[dict[str, Any]]:
        """Mentees on the waitlist with their reasons (placed mentees have none)."""
        query = {"state.program_id": program_id, "state.waiting": True}
        return [
            {"mentee_id": doc["_id"], **doc["state"]}
            async for doc in self.waitlist.collection.find(query)
        ]
