"""What experiments keep beside their documents (store/stores.py holds those):

- `experiment_assignments`: one document per mentee and experiment (its `_id`
  `program/experiment/mentee` is the unique key), written once, read for the mentees
  of a pool only, deleted when the mentee is erased;
- `running_experiments`: one marker per program (`_id` the program id) naming the
  experiment running there, claimed with an insert, so of two experiments started at
  once exactly one gets it; stopping releases it. A marker whose experiment stopped on
  its own (sample, time limit), or was never written (a crash just after the claim,
  `CLAIM_GRACE_S` ago), is stale and taken over.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import cast

from mentornet_chassis.store.mongo import Document
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import BulkWriteError, DuplicateKeyError

from ..domain.arm_assignment import ArmAssignment

ASSIGNMENTS = "experiment_assignments"
RUNNING = "running_experiments"
CLAIM_GRACE_S = 60.0
"""How long a claimed marker may wait for its experiment's document."""
PER_READ = 1_000


def assignment_key(program_id: str, experiment_id: str, mentee_id: str) -> str:
    return f"{program_id}/{experiment_id}/{mentee_id}"


class ExperimentBook:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self.assignments = db[ASSIGNMENTS]
        self.running = db[RUNNING]

    async def claim(self, program_id: str, experiment_id: str, epoch: float) -> Document | None:
        """Claim the program for the experiment: None when claimed, else the marker
        that holds it."""
        try:
            marker = {"_id": program_id, "experiment_id": experiment_id, "claimed_epoch": epoch}
            await self.running.insert_one(marker)
            return None
        except DuplicateKeyError:
            held = await self.running.find_one({"_id": program_id})
            return held if held is not None else {"_id": program_id, "experiment_id": ""}

    async def release(self, program_id: str, experiment_id: str) -> None:
        """Free the program, if this experiment holds it."""
        await self.running.delete_one({"_id": program_id, "experiment_id": experiment_id})

    async def running_in(self, program_id: str) -> str | None:
        """The experiment holding the program's marker (it may have stopped since)."""
        held = await self.running.find_one({"_id": program_id})
        return str(held["experiment_id"]) if held is not None else None

    async def record(self, assignments: Sequence[ArmAssignment]) -> None:
        """Write the assignments not written yet (a repeat changes nothing)."""
        docs = [{"_id": _key_of(a), **a} for a in assignments]
        if not docs:
            return
        try:
            await self.assignments.insert_many(docs, ordered=False)
        except (BulkWriteError, DuplicateKeyError):
            for doc in docs:
                try:
                    await self.assignments.insert_one(doc)
                except DuplicateKeyError:
                    continue

    async def assigned(
        self, program_id: str, experiment_id: str, mentee_ids: Sequence[str]
    ) -> set[str]:
        """Which of the mentees have an assignment in the experiment."""
        keys = [assignment_key(program_id, experiment_id, m) for m in mentee_ids]
        return {a["mentee_id"] for a in await self._by_keys(keys)}

    async def of(
        self, program_id: str, experiment_ids: Sequence[str], mentee_ids: Sequence[str]
    ) -> list[ArmAssignment]:
        """The mentees' assignments in the program's experiments (by key: no scan)."""
        keys = [assignment_key(program_id, e, m) for e in experiment_ids for m in mentee_ids]
        return await self._by_keys(keys)

    async def erase(self, mentee_id: str) -> None:
        """Erasure: the mentee's assignments go (the experiments' counts stay)."""
        await self.assignments.delete_many({"mentee_id": mentee_id})

    async def _by_keys(self, keys: Sequence[str]) -> list[ArmAssignment]:
        found: list[ArmAssignment] = []
        for start in range(0, len(keys), PER_READ):
            query = {"_id": {"$in": list(keys[start : start + PER_READ])}}
            async for doc in self.assignments.find(query, {"_id": 0}):
                found.append(cast(ArmAssignment, doc))
        return found


def _key_of(assignment: ArmAssignment) -> str:
    return assignment_key(
        assignment["program_id"], assignment["experiment_id"], assignment["mentee_id"]
    )
