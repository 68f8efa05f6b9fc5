"""Matcher's MongoDB collections: candidates, programs, matches, mentor loads, the
waitlist, coverage and the taxonomy, each an aggregate store that emits through its
outbox; typed reads of their states, and the queries placement needs.

Each collection is read and written as its domain type (domain/documents.py) through
the chassis's typed view (mentornet_chassis.store.typed).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass
from typing import cast

from mentornet_chassis.store.aggregates import AggregateStore
from mentornet_chassis.store.typed import Documents

from ..domain.documents import (
    Candidate,
    CoverageReport,
    Load,
    Match,
    MatchStatus,
    Program,
    WaitlistEntry,
)
from ..domain.experiments import Experiment
from ..domain.matches import PLACED, is_failed_pair
from .experiment_book import ExperimentBook

CANDIDATES = "candidates"
PROGRAMS = "programs"
MATCHES = "matches"
LOADS = "mentor_loads"
WAITLIST = "waitlist"
COVERAGE = "coverage"
TAXONOMY = "taxonomy"
EXPERIMENTS = "experiments"
STATE = {"state": 1}


class Waiting(WaitlistEntry):
    """A waitlist entry with its mentee's id, as the program board shows it."""

    mentee_id: str


@dataclass(frozen=True)
class MatcherStores:
    candidates: AggregateStore
    programs: AggregateStore
    matches: AggregateStore
    loads: AggregateStore
    waitlist: AggregateStore
    coverage: AggregateStore
    taxonomy: AggregateStore
    experiments: AggregateStore

    def all(self) -> list[AggregateStore]:
        return [
            self.candidates,
            self.programs,
            self.matches,
            self.loads,
            self.waitlist,
            self.coverage,
            self.taxonomy,
            self.experiments,
        ]

    @property
    def candidate_states(self) -> Documents[Candidate]:
        return Documents(self.candidates)

    @property
    def program_states(self) -> Documents[Program]:
        return Documents(self.programs)

    @property
    def match_states(self) -> Documents[Match]:
        return Documents(self.matches)

    @property
    def load_states(self) -> Documents[Load]:
        return Documents(self.loads)

    @property
    def waitlist_states(self) -> Documents[WaitlistEntry]:
        return Documents(self.waitlist)

    @property
    def experiment_states(self) -> Documents[Experiment]:
        return Documents(self.experiments)

    @property
    def book(self) -> ExperimentBook:
        """Experiments' assignments and running markers, in the same database."""
        return ExperimentBook(self.experiments.collection.database)

    async def experiments_in(self, program_id: str) -> list[Experiment]:
        """The program's experiments, without their outboxes (events not relayed yet)."""
        query = {"state.program_id": program_id}
        return [doc["state"] async for doc in self.experiments.collection.find(query, STATE)]

    async def experiment(self, experiment_key: str) -> Experiment | None:
        found = await self.experiments.collection.find_one({"_id": experiment_key}, STATE)
        return None if found is None else cast(Experiment, found["state"])

    @property
    def coverage_states(self) -> Documents[CoverageReport]:
        return Documents(self.coverage)

    async def candidate(self, participant_id: str) -> Candidate | None:
        return await self.candidate_states.get(participant_id)

    async def program(self, program_id: str) -> Program | None:
        return await self.program_states.get(program_id)

    async def match(self, match_id: str) -> Match | None:
        return await self.match_states.get(match_id)

    async def load(self, holder: str) -> Load | None:
        return await self.load_states.get(holder)

    async def coverage_of(self, program_id: str) -> CoverageReport | None:
        return await self.coverage_states.get(program_id)

    async def in_program(self, program_id: str, role: str) -> list[Candidate]:
        query = {"state.status": "active", f"state.roles.{role}.program_id": program_id}
        return [doc["state"] async for doc in self.candidates.collection.find(query)]

    async def holder_of(self, mentor_id: str) -> str:
        """Whose load holds this mentor's places (domain.loads.holder)."""
        found = await self.candidate(mentor_id)
        person = (found["roles"].get("mentor") or {}).get("person_id") if found else None
        return str(person or mentor_id)

    async def loads_of(self, holders: Collection[str]) -> dict[str, Load]:
        cursor = self.loads.collection.find({"_id": {"$in": list(holders)}}, {"state": 1})
        return {doc["_id"]: doc["state"] async for doc in cursor}

    async def matches_in(self, program_id: str) -> list[Match]:
        return [
            doc["state"]
            async for doc in self.matches.collection.find({"state.program_id": program_id})
        ]

    async def matches_of(self, participant_id: str, side: str) -> list[Match]:
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
        query = {"state.program_id": program_id, "state.status": MatchStatus.IN_REVIEW.value}
        cursor = self.matches.collection.find(query)
        return Counter([doc["state"]["mentor_id"] async for doc in cursor])

    async def waiting_in(self, program_id: str) -> list[Waiting]:
        """Mentees on the waitlist with their reasons (placed mentees have none)."""
        query = {"state.program_id": program_id, "state.waiting": True}
        return [
            cast(Waiting, {"mentee_id": doc["_id"], **doc["state"]})
            async for doc in self.waitlist.collection.find(query)
        ]


def placed_in(matches: list[Match], program_id: str) -> bool:
    """Whether one of a mentee's matches places them in the program."""
    return any(m["program_id"] == program_id and m["status"] in PLACED for m in matches)


def failed_pairs_in(matches: list[Match], program_id: str) -> frozenset[tuple[str, str]]:
    """The program's pairs among `matches` never to propose again."""
    return frozenset(
        (m["mentee_id"], m["mentor_id"])
        for m in matches
        if m["program_id"] == program_id and is_failed_pair(m)
    )
