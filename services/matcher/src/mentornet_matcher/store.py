"""Matcher's MongoDB collections: candidates, programs, matches, mentor loads and the
waitlist, each an aggregate store that emits through its outbox, and the queries
placement needs."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from mentornet_chassis.store.aggregates import AggregateStore

from .domain.matches import PLACED, is_failed_pair

CANDIDATES = "candidates"
PROGRAMS = "programs"
MATCHES = "matches"
LOADS = "mentor_loads"
WAITLIST = "waitlist"
COVERAGE = "coverage"
TAXONOMY = "taxonomy"


@dataclass(frozen=True)
class MatcherStores:
    candidates: AggregateStore
    programs: AggregateStore
    matches: AggregateStore
    loads: AggregateStore
    waitlist: AggregateStore
    coverage: AggregateStore
    taxonomy: AggregateStore

    def all(self) -> list[AggregateStore]:
        return [
            self.candidates,
            self.programs,
            self.matches,
            self.loads,
            self.waitlist,
            self.coverage,
            self.taxonomy,
        ]

    async def in_program(self, program_id: str, role: str) -> list[dict[str, Any]]:
        query = {"state.status": "active", f"state.roles.{role}.program_id": program_id}
        return [doc["state"] async for doc in self.candidates.collection.find(query)]

    async def holder_of(self, mentor_id: str) -> str:
        """Whose load holds this mentor's places (domain.loads.holder)."""
        found = await self.candidates.get_state(mentor_id) or {}
        person = (found.get("roles", {}).get("mentor") or {}).get("person_id")
        return str(person or mentor_id)

    async def loads_of(self, mentor_ids: Collection[str]) -> dict[str, dict[str, Any]]:
        cursor = self.loads.collection.find({"_id": {"$in": list(mentor_ids)}}, {"state": 1})
        return {doc["_id"]: doc["state"] async for doc in cursor}

    async def matches_in(self, program_id: str) -> list[dict[str, Any]]:
        return [
            doc["state"]
            async for doc in self.matches.collection.find({"state.program_id": program_id})
        ]

    async def matches_of(self, participant_id: str, side: str) -> list[dict[str, Any]]:
        """Every match where the participant is the mentee (side "mentee_id") or the
        mentor (side "mentor_id")."""
        cursor = self.matches.collection.find({f"state.{side}": participant_id})
        return [doc["state"] async for doc in cursor]

    async def placed_mentees(self, program_id: str) -> set[str]:
        return {m["mentee_id"] for m in await self.matches_in(program_id) if m["status"] in PLACED}

    async def is_placed(self, mentee_id: str, program_id: str) -> bool:
        return placed_in(await self.matches_of(mentee_id, "mentee_id"), program_id)

    async def failed_pairs(
        self, program_id: str, mentee_ids: Collection[str] | None = None
    ) -> frozenset[tuple[str, str]]:
        """Pairs never to propose again: declined, or ended for not working out."""
        if mentee_ids is not None and len(mentee_ids) <= 50:
            found = [m for pid in mentee_ids for m in await self.matches_of(pid, "mentee_id")]
        else:
            found = await self.matches_in(program_id)
        return failed_pairs_in(found, program_id)

    async def pending_per_mentor(self, program_id: str) -> Counter[str]:
        """Proposals waiting for a coordinator, which will need their mentor's room."""
        cursor = self.matches.collection.find(
            {"state.program_id": program_id, "state.status": "in_review"}
        )
        return Counter([doc["state"]["mentor_id"] async for doc in cursor])

    async def waiting_in(self, program_id: str) -> list[dict[str, Any]]:
        """Mentees on the waitlist with their reasons (placed mentees have none)."""
        query = {"state.program_id": program_id, "state.waiting": True}
        return [
            {"mentee_id": doc["_id"], **doc["state"]}
            async for doc in self.waitlist.collection.find(query)
        ]


def placed_in(matches: list[dict[str, Any]], program_id: str) -> bool:
    """Whether one of a mentee's matches places them in the program."""
    return any(m["program_id"] == program_id and m["status"] in PLACED for m in matches)


def failed_pairs_in(matches: list[dict[str, Any]], program_id: str) -> frozenset[tuple[str, str]]:
    """The program's pairs among `matches` never to propose again."""
    return frozenset(
        (m["mentee_id"], m["mentor_id"])
        for m in matches
        if m["program_id"] == program_id and is_failed_pair(m)
    )
