"""QA's MongoDB collections, each an aggregate store that emits through its outbox:
matches (fed by every stream, with their escalation case), participants, programs
(rules, QA settings, coverage, last audit), sampling periods, samples, mentors'
recognition.

The chassis keeps every document as a plain dict; here each collection is named with
its typed document (domain/documents.py), read and written through the chassis's typed
view (mentornet_chassis.store.typed)."""

from __future__ import annotations

from dataclasses import dataclass

from mentornet_chassis.store.aggregates import AggregateStore
from mentornet_chassis.store.typed import Documents

from .domain.documents import Match, Period, Person, Recognition, Sample
from .domain.experiment_docs import Assignment, Experiment
from .domain.program import Program, ProgramState, published


@dataclass(frozen=True)
class QaStores:
    matches_store: AggregateStore
    people_store: AggregateStore
    programs_store: AggregateStore
    periods_store: AggregateStore
    samples_store: AggregateStore
    recognition_store: AggregateStore

    @property
    def matches(self) -> Documents[Match]:
        return Documents(self.matches_store)

    @property
    def people(self) -> Documents[Person]:
        return Documents(self.people_store)

    @property
    def programs(self) -> Documents[ProgramState]:
        return Documents(self.programs_store)

    @property
    def periods(self) -> Documents[Period]:
        return Documents(self.periods_store)

    @property
    def samples(self) -> Documents[Sample]:
        return Documents(self.samples_store)

    @property
    def recognition(self) -> Documents[Recognition]:
        return Documents(self.recognition_store)

    def all(self) -> list[AggregateStore]:
        return [
            self.matches_store,
            self.people_store,
            self.programs_store,
            self.periods_store,
            self.samples_store,
            self.recognition_store,
        ]

    async def ensure_indexes(self) -> None:
        for field in (
            "state.mentor_id",
            "state.mentee_id",
            "state.program_id",
            "state.case.case_id",
        ):
            await self.matches_store.collection.create_index(field)
        await self.samples_store.collection.create_index("state.program_id")
        await self.people_store.collection.create_index("state.person_id")

    async def program(self, program_id: str | None) -> Program | None:
        """The program, once published (a program only heard of is None)."""
        return published(await self.programs.get(program_id)) if program_id else None

    async def program_ids(self) -> list[str]:
        """Every program QA has a document for (published or only heard of), sorted."""
        cursor = self.programs_store.collection.find({"state": {"$ne": None}}, {"_id": 1})
        return sorted([str(doc["_id"]) async for doc in cursor])

    async def match_of_case(self, case_id: str) -> Match | None:
        """The match holding the case, open or closed."""
        for field in ("state.case.case_id", "state.closed_cases.case_id"):
            found = await self.matches.find_one({field: case_id})
            if found is not None:
                return found
        return None

    async def matches_in(self, program_id: str) -> list[Match]:
        return await self.matches.find({"state.program_id": program_id})

    async def matches_of_mentee(self, mentee_id: str) -> list[Match]:
        return await self.matches.find({"state.mentee_id": mentee_id})

    async def matches_of_mentor(self, mentor_id: str) -> list[Match]:
        return await self.matches.find({"state.mentor_id": mentor_id})

    async def people_in(self, program_id: str) -> list[Person]:
        query = {
            "$or": [
                {"state.roles.mentor.program_id": program_id},
                {"state.roles.mentee.program_id": program_id},
            ]
        }
        return await self.people.find(query)

    async def samples_of_match(self, match_id: str) -> list[Sample]:
        return await self.samples.find({"state.match_id": match_id})

    async def samples_in(self, program_id: str) -> list[Sample]:
        return await self.samples.find({"state.program_id": program_id})


@dataclass(frozen=True)
class ExperimentStores:
    """Matching experiments (their latest definition and stop, by `program/experiment`)
    and the mentees' arms (one document per mentee and experiment)."""

    experiments_store: AggregateStore
    assignments_store: AggregateStore

    @property
    def experiments(self) -> Documents[Experiment]:
        return Documents(self.experiments_store)

    @property
    def assignments(self) -> Documents[Assignment]:
        return Documents(self.assignments_store)

    def all(self) -> list[AggregateStore]:
        return [self.experiments_store, self.assignments_store]

    async def ensure_indexes(self) -> None:
        await self.experiments_store.collection.create_index("state.program_id")
        await self.assignments_store.collection.create_index(
            [("state.program_id", 1), ("state.experiment_id", 1)]
        )
        await self.assignments_store.collection.create_index("state.mentee_id")

    async def experiments_in(self, program_id: str) -> list[Experiment]:
        return await self.experiments.find({"state.program_id": program_id})

    async def assignments_of_mentee(self, mentee_id: str) -> list[Assignment]:
        return await self.assignments.find({"state.mentee_id": mentee_id})

    async def assignments_of(self, program_id: str, experiment_id: str) -> list[Assignment]:
        query = {"state.program_id": program_id, "state.experiment_id": experiment_id}
        return await self.assignments.find(query)
