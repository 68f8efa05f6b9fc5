"""Reading a program's matching pool from the read model.

Mentors are parsed once per roster version (batch_runs counts changes to a program's
mentors), so placing one newcomer does not re-read every mentor; loads are read fresh,
since capacity changes with every proposal.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from functools import cache, partial

from mentornet_contracts.events.participants import MenteeRegistered

from ..domain import loads
from ..domain.assignment import Solution, solve
from ..domain.candidates import as_mentee, as_mentor
from ..domain.documents import BatchRun, Candidate, Program
from ..domain.experiment_rules import ArmRule, arm_rules
from ..domain.pool import MentorSide, Pool, build_mentor_side, build_pool
from ..domain.programs import rules_of
from ..domain.rules import MentorLoad, Rules
from ..domain.scoring import PoolScores
from ..domain.skillmap import SkillMap
from ..domain.slots import Span, horizon_start
from ..store import BatchRuns, MatcherStores

IN_A_THREAD = 200
"""Pools of more mentees than this are laid out in a thread: a batch run's pool of tens
of thousands takes seconds, which would stall the service's requests and consumers; a
newcomer's pool of one is quicker done in place."""


class PoolReader:
    def __init__(
        self,
        stores: MatcherStores,
        runs: BatchRuns,
        skills: Callable[[], Awaitable[SkillMap]] | None = None,
        today: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.stores = stores
        self.runs = runs
        self.skills = skills or _default_skills
        self.today = today
        self._rosters: dict[str, tuple[int, MentorSide]] = {}

    def span(self, program: Program) -> Span:
        """From today (UTC midnight) for the program's whole duration."""
        return Span(horizon_start(self.today().date()), rules_of(program).span_weeks)

    async def mentors(self, program: Program, run: BatchRun | None = None) -> MentorSide:
        """The program's mentors, read and prepared once per roster version (and per
        span and taxonomy, which both shape the prepared arrays). `run`: the
        program's batch-run record, when the caller has just read it."""
        program_id = program["program_id"]
        skills = await self.skills()
        span = self.span(program)
        version = await self.runs.roster(program_id) if run is None else run.get("roster", 0)
        cached = self._rosters.get(program_id)
        if cached is not None:
            seen, prepared = cached
            if seen == version and prepared.span == span and prepared.skills is skills:
                return prepared
        found = await self.stores.in_program(program_id, "mentor")
        prepared = await asyncio.to_thread(_mentor_side, found, skills, span)
        self._rosters[program_id] = (version, prepared)
        return prepared

    async def pool(
        self,
        program: Program,
        mentees: list[MenteeRegistered],
        *,
        run: BatchRun | None = None,
        failed: frozenset[tuple[str, str]] | None = None,
    ) -> Pool:
        """The pool as it stands: capacity left after holds and pending reviews.
        `run` and `failed` (the mentees' failed pairs): what the caller has just read."""
        program_id = program["program_id"]
        prepared = await self.mentors(program, run)
        held = await self.stores.loads_of([loads.holder(m) for m in prepared.mentors])
        if failed is None:
            failed = await self.stores.failed_pairs(program_id, [m.participant_id for m in mentees])
        return await self.assemble(
            program_id,
            mentees,
            prepared,
            {
                m.participant_id: loads.load_in(held[loads.holder(m)], program_id)
                for m in prepared.mentors
                if loads.holder(m) in held
            },
            rules_of(program),
            failed,
        )

    async def assemble(
        self,
        program_id: str,
        mentees: list[MenteeRegistered],
        prepared: MentorSide,
        held: dict[str, MentorLoad],
        rules: Rules,
        failed: frozenset[tuple[str, str]],
        *,
        pending: bool = True,
    ) -> Pool:
        """A pool from what was read; `pending`: take proposals waiting for a
        coordinator off their mentors' room (read now). Mentees in an experiment arm
        are scored with its rule (domain/arms.py)."""
        arms = await self.arm_rules(program_id, [m.participant_id for m in mentees])
        build = partial(
            build_pool,
            mentees,
            prepared,
            held,
            rules,
            prepared.skills,
            prepared.start,
            failed,
            arms,
        )
        pool = await asyncio.to_thread(build) if len(mentees) > IN_A_THREAD else build()
        if pending:
            waiting = await self.stores.pending_per_mentor(program_id)
            for j, mentor in enumerate(prepared.mentors):
                pool.capacity[j] = max(0, pool.capacity[j] - waiting[mentor.participant_id])
        return pool

    async def arm_rules(self, program_id: str, mentee_ids: list[str]) -> dict[str, ArmRule]:
        """The experiment arm rule of each of these mentees who has one: their own
        assignment documents only, each experiment's rules parsed once."""
        held = await self.stores.experiments_in(program_id) if mentee_ids else []
        if not held:
            return {}
        ids = [e["experiment_id"] for e in held]
        return arm_rules(held, await self.stores.book.of(program_id, ids, mentee_ids))

    async def planning_prices(self, program: Program) -> dict[str, float]:
        """Mentor prices for newcomers: the duals of the LP that places a crowd like the
        program's mentees so far (placed or not) on the capacity left now. The future is
        taken to look like the past: a mentor whose remaining places that crowd would
        fight over gets a positive price; one with room to spare costs nothing."""
        found = await self.stores.in_program(program["program_id"], "mentee")
        mentees = await asyncio.to_thread(as_mentees, found)
        if not mentees:
            return {}
        pool = await self.pool(program, mentees)
        _, solution = await asyncio.to_thread(score_and_solve, pool)
        return {
            mentor.participant_id: round(float(price), 9)
            for mentor, price in zip(pool.mentors, solution.mentor_prices, strict=True)
            if price > 1e-9
        }


def as_mentees(found: list[Candidate]) -> list[MenteeRegistered]:
    """Mentees' registrations as the pool takes them (in a thread, for thousands)."""
    return [as_mentee(c) for c in found]


def _mentor_side(found: list[Candidate], skills: SkillMap, span: Span) -> MentorSide:
    """Run in a thread: parsing and laying out a roster of thousands takes seconds."""
    return build_mentor_side([as_mentor(c) for c in found], skills, span)


def score_and_solve(pool: Pool) -> tuple[PoolScores, Solution]:
    """Run in a thread: a large program takes seconds, and consumers, HTTP and the
    health probes must keep answering meanwhile."""
    scores = PoolScores(pool)
    return scores, solve(scores, pool.capacity)


async def _default_skills() -> SkillMap:
    return _shipped_skills()


@cache
def _shipped_skills() -> SkillMap:
    return SkillMap.default()
