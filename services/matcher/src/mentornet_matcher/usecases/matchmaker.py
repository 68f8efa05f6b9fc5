"""Placing mentees, two ways:

- batch (`run_batch`): every unplaced mentee of a program at once, the certified
  optimal assignment; records the gap to the LP bound and the mentor prices (duals);
- incremental (`place_newcomer`): one mentee, ranked by score minus the last batch's
  mentor prices, in milliseconds; also used to place a mentee again after a decline
  or a rematch.

Each placed mentee gets what the program's approval mode says: a proposal to the
mentor (auto), one for a coordinator to review, or three options to pick from;
everyone left over is waitlisted with reasons.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import UTC, datetime

import numpy as np
from mentornet_chassis.messaging.keylocks import KeyLocks
from mentornet_contracts.events.participants import MenteeRegistered

from ..domain import incremental, matches
from ..domain.assignment import Ints
from ..domain.candidates import as_mentee, is_matchable
from ..domain.coverage_gaps import report as gap_report
from ..domain.coverage_gaps import skill_gaps
from ..domain.documents import Candidate, Match, MatchStatus
from ..domain.imports import held_mentees
from ..domain.placement import Placement
from ..domain.pool import Pool
from ..domain.programs import approval_mode
from ..domain.scoring import PoolScores
from ..domain.skillmap import SkillMap
from ..store import BatchRuns, MatcherStores, failed_pairs_in, placed_in
from ..store.imports import ImportBook
from .bulk_proposals import BulkProposals
from .coverage import CoverageBoard
from .experiments import Experiments
from .newcomers import NewcomerViews, ProgramView
from .pairs import Pairs
from .pools import PoolReader, as_mentees, score_and_solve
from .proposals import Proposal, Proposer, Scored

SHORTLIST = 3
TRIES = 25
"""Mentors tried in turn when capacity goes between ranking and reserving (to a
placement racing this one)."""
PLACING_AT_ONCE = 6
"""Newcomers to one program placed at a time in this process: one per partition of the
participants topic, the concurrency placements had before a run of registrations was
handled side by side (chassis lanes.py). All at once, every placement bids for the same
best mentors and all but one retry on the hold another just wrote (bench/pipeline: 75.6
registrations a second fell to 34.6; one at a time, to 53; six at a time, 90.8)."""


class Matchmaker:
    def __init__(
        self,
        stores: MatcherStores,
        runs: BatchRuns,
        wake_relay: Callable[[], None],
        skills: Callable[[], Awaitable[SkillMap]] | None = None,
        today: Callable[[], datetime] = lambda: datetime.now(UTC),
        view_ttl_s: float = 0.0,
        imports: ImportBook | None = None,
    ) -> None:
        """`view_ttl_s`: how long newcomers' placements reuse what they read about their
        program (0: read it every time); `imports`: the imports heard of (whose people
        wait for their end), in the runs' database by default."""
        self.stores = stores
        self.runs = runs
        self.imports = imports or ImportBook(runs.runs.database)
        self.wake_relay = wake_relay
        self.reader = PoolReader(stores, runs, skills, today)
        self.views = NewcomerViews(stores, runs, self.reader, view_ttl_s)
        self.proposer = Proposer(stores, today)
        self.bulk = BulkProposals(stores, self.proposer)
        self.pairs = Pairs(stores, self.reader, self.proposer, wake_relay)
        self.coverage = CoverageBoard(stores.coverage_states)
        self.experiments = Experiments(stores, today)
        self.placing = KeyLocks(PLACING_AT_ONCE)
        """Newcomers to one program placed a few at a time (PLACING_AT_ONCE says why)."""

    async def run_batch(
        self,
        program_id: str,
        cause_id: str,
        renew: Callable[[], Awaitable[None]] | None = None,
    ) -> Placement:
        """The certified optimal assignment of every unplaced mentee in the program;
        `renew` keeps the run's lease while its proposals are written."""
        program = await self.stores.program(program_id)
        if program is None:
            return Placement()
        placed = await self.stores.placed_mentees(program_id)
        everyone = await self.stores.in_program(program_id, "mentee")
        waiting = placed | held_mentees(everyone, await self.imports.holding_in(program_id))
        mentees = await asyncio.to_thread(
            as_mentees, [c for c in everyone if c["participant_id"] not in waiting]
        )
        if not mentees:
            return Placement(prices=await self.reader.planning_prices(program))
        await self.experiments.assigner.assign_new(program_id, mentees)
        pool = await self.reader.pool(program, mentees)
        scores, solution = await asyncio.to_thread(score_and_solve, pool)
        taken = solution.mentor_of[solution.mentor_of >= 0]
        free = pool.capacity - np.bincount(taken, minlength=len(pool.mentors))
        how = Proposal(cause_id, matches.FIRST_STATUS[approval_mode(program)])
        wanted = await asyncio.to_thread(_every_option, scores, solution.mentor_of, how)
        written = await self.bulk.place(Scored(pool, scores, 0), wanted, how, free, renew)
        proposed, waitlisted = written.proposed, written.waitlisted
        for i in written.left:
            if await self.stores.is_placed(pool.mentees[i].participant_id, program_id):
                continue
            scored = Scored(pool, scores, i)
            if await self._offer(scored, wanted[i], how):
                proposed.append(pool.mentees[i].participant_id)
            else:
                await self.proposer.waitlist(scored, free)
                waitlisted.append(pool.mentees[i].participant_id)
        await self._report_gaps(pool, free, waitlisted)
        self.wake_relay()
        prices = await self.reader.planning_prices(program)
        return Placement(proposed, waitlisted, solution.total, solution.bound, prices)

    async def _report_gaps(self, pool: Pool, free: Ints, waitlisted: list[str]) -> None:
        rows = [i for i, m in enumerate(pool.mentees) if m.participant_id in set(waitlisted)]
        gaps = skill_gaps(pool, free, rows)
        report = gap_report(gaps, len(waitlisted), int((free > 0).sum()))
        await self.coverage.record(pool.mentees[0].program_id, report)

    async def place_newcomer(
        self, program_id: str, mentee_id: str, cause_id: str, candidate: Candidate | None = None
    ) -> Placement:
        """One mentee, at once: the best mentor by score minus the last batch's price.
        `candidate`: the mentee's read model when the caller has just written it. The
        program comes from a view kept for a moment (newcomers.py); a mentee it cannot
        place is tried again on fresh reads before being waitlisted."""
        if candidate is None:
            candidate = await self.stores.candidate(mentee_id)
        if candidate is None or not is_matchable(candidate, "mentee"):
            return Placement()
        mentee = as_mentee(candidate)
        if mentee.program_id != program_id:
            return Placement()
        history = await self.stores.matches_of(mentee_id, "mentee_id")
        if placed_in(history, program_id):
            return Placement()
        failed = failed_pairs_in(history, program_id)
        known = {m["match_id"]: m for m in history}
        await self.experiments.assigner.assign_new(program_id, [mentee], history)
        async with self.placing.hold(program_id.encode()):
            return await self._place(program_id, mentee, cause_id, failed, known)

    async def _place(
        self,
        program_id: str,
        mentee: MenteeRegistered,
        cause_id: str,
        failed: frozenset[tuple[str, str]],
        known: dict[str, Match],
    ) -> Placement:
        mentee_id = mentee.participant_id
        view = await self.views.view(program_id)
        while view is not None:
            pool = await self.views.pool(view, mentee, failed)
            scored = Scored(pool, PoolScores(pool), 0)
            how = Proposal(cause_id, matches.FIRST_STATUS[view.mode], None, known, view.loads)
            if await self._offer_best(scored, view, how):
                self.wake_relay()
                return Placement(proposed=[mentee_id])
            if view.fresh:
                await self.proposer.waitlist(scored, scored.pool.capacity)
                self.wake_relay()
                return Placement(waitlisted=[mentee_id])
            view = await self.views.view(program_id, fresh=True)
        return Placement()

    async def _offer_best(self, scored: Scored, view: ProgramView, how: Proposal) -> bool:
        limit = SHORTLIST if how.status == MatchStatus.SHORTLISTED else TRIES
        priced = incremental.price_vector(scored.pool.mentor_side.ids, view.prices)
        row = scored.scores.rows(0, 1)[0]
        ranked = incremental.ranked(row, scored.pool.capacity, priced, limit)
        return await self._offer(scored, ranked, how)

    async def _offer(self, scored: Scored, options: list[int], how: Proposal) -> bool:
        """Shortlist every option; otherwise propose the first one whose mentor still
        has room. False when nothing could be offered."""
        made = False
        for n, j in enumerate(options):
            proposed = await self.proposer.propose(
                scored, j, replace(how, cause_id=f"{how.cause_id}|{n}")
            )
            made = proposed or made
            if made and how.status != MatchStatus.SHORTLISTED:
                break
        return made


def _every_option(scores: PoolScores, mentor_of: Ints, how: Proposal) -> list[list[int]]:
    """`_options` for every row (run in a thread: a large pool takes seconds)."""
    return [_options(scores, i, j, how) for i, j in enumerate(mentor_of.tolist())]


def _options(scores: PoolScores, i: int, chosen: int, how: Proposal) -> list[int]:
    """The mentors to offer row `i`, best first: the assignment's choice, then the next
    best allowed mentors with room: the rest of a shortlist, or whom to try when the
    chosen mentor's place went to a placement racing this run. None when the assignment
    left the mentee out."""
    if chosen < 0:
        return []
    wanted = SHORTLIST - 1 if how.status == MatchStatus.SHORTLISTED else TRIES - 1
    row = scores.rows(i, i + 1)[0].copy()
    row[chosen] = -np.inf
    return [chosen, *incremental.ranked(row, scores.pool.capacity, np.zeros_like(row), wanted)]
