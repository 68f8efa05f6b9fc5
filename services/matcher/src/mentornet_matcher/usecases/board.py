"""A program's matching board, for its coordinators: every match and who waits and why,
batch runs on demand and their certified results, skill coverage gaps; and what the
matcher knows about one participant."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from mentornet_chassis.errors import NotFound

from ..domain.documents import Candidate, CoverageReport, Match, RunRecord
from ..store import BatchRuns, MatcherStores
from ..store.stores import Waiting
from .coverage import CoverageBoard

NO_GAPS: CoverageReport = {"skills": [], "waiting_mentees": 0, "mentors_with_capacity": 0}


@dataclass(frozen=True)
class LatestRun:
    pending: bool
    """Whether a run has been asked for since the last one."""
    last: dict[str, object] | None
    """The last run's record without the mentor prices; None before the first."""


class ProgramBoard:
    def __init__(
        self,
        stores: MatcherStores,
        runs: BatchRuns,
        coverage: CoverageBoard,
        wake_worker: Callable[[], None],
    ) -> None:
        self.stores = stores
        self.runs = runs
        self.coverage = coverage
        self.wake_worker = wake_worker

    async def candidate(self, participant_id: str) -> Candidate:
        found = await self.stores.candidate(participant_id)
        if found is None:
            raise NotFound("participant_id", f"no candidate {participant_id}")
        return found

    async def matches(self, program_id: str) -> tuple[list[Match], list[Waiting]]:
        """Every match of the program, and who is waiting and why."""
        return await self.stores.matches_in(program_id), await self.stores.waiting_in(program_id)

    async def request_run(self, program_id: str) -> None:
        await self.runs.request(program_id)
        self.wake_worker()

    async def latest_run(self, program_id: str) -> LatestRun:
        doc = await self.runs.get(program_id)
        if doc is None:
            return LatestRun(pending=False, last=None)
        record: RunRecord | dict[str, object] = doc.get("last") or {}
        last = {k: v for k, v in record.items() if k != "prices"}
        return LatestRun(doc.get("requested", 0) > doc.get("done", 0), last or None)

    async def gaps(self, program_id: str) -> CoverageReport:
        """As of the last batch run: whom to recruit."""
        return await self.coverage.latest(program_id) or NO_GAPS
