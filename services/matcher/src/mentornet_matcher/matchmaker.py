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

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

import numpy as np
from mentornet_chassis.aggregates import State
from mentornet_contracts.events.participants import MenteeRegistered, MentorRegistered

from .batch_runs import BatchRuns
from .domain import incremental, loads, matches, rematch
from .domain.assignment import solve
from .domain.candidates import as_mentee, as_mentor, is_matchable
from .domain.explain import why_not as explain_why_not
from .domain.pool import Pool, build_pool
from .domain.programs import approval_mode, rules_of
from .domain.rules import MentorLoad
from .domain.scoring import PoolScores
from .domain.skillmap import SkillMap
from .domain.slots import horizon_start
from .proposals import Proposer
from .store import MatcherStores

SHORTLIST = 3
TRIES = 25
"""Mentors tried in turn when capacity goes between ranking and reserving."""


@dataclass(frozen=True)
class Placement:
    proposed: list[str] = field(default_factory=list)
    waitlisted: list[str] = field(default_factory=list)
    total_score: float = 0.0
    bound: float = 0.0
    prices: dict[str, float] | None = None
    """Mentor prices from a batch solve; None when nothing was solved."""

    @property
    def gap(self) -> float:
        return max(0.0, self.bound - self.total_score)


class Matchmaker:
    def __init__(
        self,
        stores: MatcherStores,
        runs: BatchRuns,
        wake_relay: Callable[[], None],
        skills: Callable[[], SkillMap] = SkillMap.default,
        today: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.stores = stores
        self.runs = runs
        self.wake_relay = wake_relay
        self.skills = skills
        self.today = today
        self.proposer = Proposer(stores)
        self._rosters: dict[str, tuple[int, list[MentorRegistered]]] = {}

    async def _mentors(self, program_id: str) -> list[MentorRegistered]:
        """The program's mentors, parsed once per roster version."""
        version = await self.runs.roster(program_id)
        cached = self._rosters.get(program_id)
        if cached is not None and cached[0] == version:
            return cached[1]
        mentors = [as_mentor(c) for c in await self.stores.in_program(program_id, "mentor")]
        self._rosters[program_id] = (version, mentors)
        return mentors

    async def _pool(
        self, program: State, mentees: list[MenteeRegistered], *, planning: bool = False
    ) -> Pool:
        """The pool as it stands (capacity left after holds and pending reviews), or for
        planning: every mentor's whole capacity in this program, as if nobody was placed."""
        program_id = program["program_id"]
        mentors = await self._mentors(program_id)
        held = await self.stores.loads_of([m.participant_id for m in mentors])
        current = [loads.load_in(held.get(m.participant_id), program_id) for m in mentors]
        pool = build_pool(
            mentees,
            mentors,
            [loads.elsewhere(load) for load in current] if planning else current,
            rules_of(program),
            self.skills(),
            horizon_start(self.today().date()),
            await self.stores.failed_pairs(program_id, [m.participant_id for m in mentees]),
        )
        if not planning:
            pending = await self.stores.pending_per_mentor(program_id)
            for j, mentor in enumerate(mentors):
                pool.capacity[j] = max(0, pool.capacity[j] - pending[mentor.participant_id])
        return pool

    async def _planning_prices(self, program: State) -> dict[str, float]:
        """Mentor prices from the LP over the whole program (placed or not) with each
        mentor's whole capacity: positive where demand exceeds a mentor's capacity."""
        mentees = [
            as_mentee(c) for c in await self.stores.in_program(program["program_id"], "mentee")
        ]
        if not mentees:
            return {}
        pool = await self._pool(program, mentees, planning=True)
        solution = solve(PoolScores(pool), pool.capacity)
        return {
            mentor.participant_id: round(float(price), 9)
            for mentor, price in zip(pool.mentors, solution.mentor_prices, strict=True)
            if price > 1e-9
        }

    async def run_batch(self, program_id: str, cause_id: str) -> Placement:
        """The certified optimal assignment of every unplaced mentee in the program."""
        program = await self.stores.programs.get_state(program_id)
        if program is None:
            return Placement()
        placed = await self.stores.placed_mentees(program_id)
        mentees = [
            as_mentee(c)
            for c in await self.stores.in_program(program_id, "mentee")
            if c["participant_id"] not in placed
        ]
        if not mentees:
            return Placement(prices=await self._planning_prices(program))
        pool = await self._pool(program, mentees)
        scores = PoolScores(pool)
        solution = solve(scores, pool.capacity)
        status = matches.FIRST_STATUS[approval_mode(program)]
        proposed, waitlisted = [], []
        for i, j in enumerate(solution.mentor_of.tolist()):
            if await self.stores.is_placed(pool.mentees[i].participant_id, program_id):
                continue
            options = [j, *_alternatives(scores, i, j)] if status == "shortlisted" else [j]
            if await self._offer(pool, scores, i, [o for o in options if o >= 0], cause_id, status):
                proposed.append(pool.mentees[i].participant_id)
            else:
                waitlisted.append(pool.mentees[i].participant_id)
        self.wake_relay()
        prices = await self._planning_prices(program)
        return Placement(proposed, waitlisted, solution.total, solution.bound, prices)

    async def place_newcomer(self, program_id: str, mentee_id: str, cause_id: str) -> Placement:
        """One mentee, at once: the best mentor by score minus the last batch's price."""
        program = await self.stores.programs.get_state(program_id)
        candidate = await self.stores.candidates.get_state(mentee_id)
        if program is None or candidate is None or not is_matchable(candidate, "mentee"):
            return Placement()
        mentee = as_mentee(candidate)
        if mentee.program_id != program_id or await self.stores.is_placed(mentee_id, program_id):
            return Placement()
        pool = await self._pool(program, [mentee])
        scores = PoolScores(pool)
        last = await self.runs.get(program_id) or {}
        prices = incremental.price_vector(
            pool.mentor_side.ids, (last.get("last") or {}).get("prices", {})
        )
        status = matches.FIRST_STATUS[approval_mode(program)]
        limit = SHORTLIST if status == "shortlisted" else TRIES
        ranked = incremental.ranked(scores.rows(0, 1)[0], pool.capacity, prices, limit)
        placed = await self._offer(pool, scores, 0, ranked, cause_id, status)
        self.wake_relay()
        if placed:
            return Placement(proposed=[mentee_id])
        return Placement(waitlisted=[mentee_id])

    async def _offer(
        self, pool: Pool, scores: PoolScores, i: int, options: list[int], cause: str, status: str
    ) -> bool:
        """Shortlist every option; otherwise propose the first one whose mentor still
        has room. Waitlist the mentee when nothing could be offered."""
        made = False
        for n, j in enumerate(options):
            made = await self.proposer.propose(pool, scores, i, j, f"{cause}|{n}", status) or made
            if made and status != "shortlisted":
                break
        if not made:
            await self.proposer.waitlist(pool, scores, i)
        return made

    async def offer_pair(self, match: State, mentor_id: str, cause_id: str) -> str | None:
        """Propose mentor_id to the match's mentee, capacity held (a coordinator's swap).
        None when done, else why not."""
        program = await self.stores.programs.get_state(match["program_id"])
        mentee = await self.stores.candidates.get_state(match["mentee_id"])
        if program is None or mentee is None or not is_matchable(mentee, "mentee"):
            return "the mentee or the program is no longer known here"
        pool = await self._pool(program, [as_mentee(mentee)])
        ids = list(pool.mentor_side.ids)
        if mentor_id not in ids:
            return f"no mentor {mentor_id} in program {match['program_id']}"
        j = ids.index(mentor_id)
        scores = PoolScores(pool)
        if not np.isfinite(scores.rows(0, 1)[0, j]):
            return explain_why_not(scores, 0, j)
        if not await self.proposer.propose(pool, scores, 0, j, cause_id, matches.OPEN):
            return f"mentor {mentor_id} has no capacity left"
        self.wake_relay()
        return None

    async def pair_has_time(self, match: State) -> bool:
        """Whether the match's pair still shares enough time (capacity aside)."""
        program = await self.stores.programs.get_state(match["program_id"])
        mentee = await self.stores.candidates.get_state(match["mentee_id"])
        mentor = await self.stores.candidates.get_state(match["mentor_id"])
        if program is None or mentee is None or mentor is None:
            return True
        if not (is_matchable(mentee, "mentee") and is_matchable(mentor, "mentor")):
            return True
        rules = rules_of(program)
        pool = build_pool(
            [as_mentee(mentee)],
            [as_mentor(mentor)],
            [MentorLoad()],
            rules,
            self.skills(),
            horizon_start(self.today().date()),
        )
        overlap = float(PoolScores(pool).block(0, 1).overlap_hours[0, 0])
        return not rematch.too_little_time(overlap, rules)

    async def why_not(self, match: State, mentor_id: str) -> str | None:
        """Why mentor_id was not proposed to the match's mentee; None if no such mentor."""
        program = await self.stores.programs.get_state(match["program_id"])
        mentee = await self.stores.candidates.get_state(match["mentee_id"])
        if program is None or mentee is None or "mentee" not in mentee.get("roles", {}):
            return None
        pool = await self._pool(program, [as_mentee(mentee)])
        ids = list(pool.mentor_side.ids)
        if mentor_id not in ids:
            return None
        proposed = ids.index(match["mentor_id"]) if match["mentor_id"] in ids else None
        return explain_why_not(PoolScores(pool), 0, ids.index(mentor_id), proposed)


def _alternatives(scores: PoolScores, i: int, chosen: int) -> list[int]:
    """The next best allowed mentors with room, for a shortlist of SHORTLIST."""
    if chosen < 0:
        return []
    row = scores.rows(i, i + 1)[0].copy()
    row[chosen] = -np.inf
    return incremental.ranked(row, scores.pool.capacity, np.zeros_like(row), SHORTLIST - 1)
