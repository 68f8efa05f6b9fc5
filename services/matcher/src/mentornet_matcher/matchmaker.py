"""Placing mentees: the pool from the read model, the certified assignment, then one
proposal per placed mentee (capacity reserved first) and a waitlist entry, with its
reasons, for everyone left over.

Every write is idempotent on ids derived from the event that caused it, so a
redelivered event re-proposes nothing and reserves nothing twice.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from mentornet_chassis.aggregates import Decision, State
from mentornet_contracts import Event, new_envelope
from mentornet_contracts.events.matches import MenteeWaitlisted

from .domain import loads, matches, waitlist
from .domain.assignment import solve
from .domain.candidates import as_mentee, as_mentor
from .domain.explain import explain
from .domain.pool import Pool, build_pool
from .domain.programs import rules_of
from .domain.scoring import PoolScores
from .domain.skillmap import SkillMap
from .domain.slots import horizon_start
from .store import MatcherStores

SERVICE = "matcher"


def match_id_for(cause_id: str, mentee_id: str) -> str:
    return "match-" + hashlib.sha256(f"{cause_id}|{mentee_id}".encode()).hexdigest()[:20]


@dataclass(frozen=True)
class Placement:
    proposed: list[str]
    waitlisted: list[str]
    total_score: float
    gap: float


class Matchmaker:
    def __init__(
        self,
        stores: MatcherStores,
        wake_relay: Callable[[], None],
        skills: Callable[[], SkillMap] = SkillMap.default,
        today: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.stores = stores
        self.wake_relay = wake_relay
        self.skills = skills
        self.today = today

    async def place(
        self, program_id: str, cause_id: str, only: set[str] | None = None
    ) -> Placement:
        """Propose mentors to the program's unplaced mentees (or just `only`)."""
        program = await self.stores.programs.get_state(program_id)
        if program is None:
            return Placement([], [], 0.0, 0.0)
        placed = await self.stores.placed_mentees(program_id)
        mentees = [
            as_mentee(c)
            for c in await self.stores.in_program(program_id, "mentee")
            if c["participant_id"] not in placed and (only is None or c["participant_id"] in only)
        ]
        if not mentees:
            return Placement([], [], 0.0, 0.0)
        mentors = [as_mentor(c) for c in await self.stores.in_program(program_id, "mentor")]
        pool = build_pool(
            mentees,
            mentors,
            [
                loads.load_in(await self.stores.loads.get_state(m.participant_id), program_id)
                for m in mentors
            ],
            rules_of(program),
            self.skills(),
            horizon_start(self.today().date()),
            await self.stores.failed_pairs(program_id),
        )
        scores = PoolScores(pool)
        solution = solve(scores, pool.capacity)
        proposed, waitlisted = [], []
        for i, j in enumerate(solution.mentor_of.tolist()):
            if j >= 0 and await self._propose(pool, scores, i, j, cause_id):
                proposed.append(pool.mentees[i].participant_id)
            else:
                await self._waitlist(pool, scores, i, cause_id)
                waitlisted.append(pool.mentees[i].participant_id)
        self.wake_relay()
        return Placement(proposed, waitlisted, solution.total, solution.gap)

    async def _propose(self, pool: Pool, scores: PoolScores, i: int, j: int, cause_id: str) -> bool:
        mentee, mentor = pool.mentees[i], pool.mentors[j]
        match_id = match_id_for(cause_id, mentee.participant_id)
        existing = await self.stores.matches.get_state(match_id)
        if existing is not None:
            return existing["status"] in matches.HOLDS_CAPACITY
        hours = pool.rules.hours_per_match

        def hold(state: State | None) -> Decision:
            room = pool.rules.capacity_left(
                mentor.capacity, loads.load_in(state, mentee.program_id)
            )
            held = loads.reserve(
                state, mentor.participant_id, match_id, mentee.program_id, hours, room
            )
            return Decision(state=held if held is not state else None)

        try:
            await self.stores.loads.apply(mentor.participant_id, hold)
        except loads.NoCapacity:
            return False
        explained = explain(scores, i, j)

        def create(state: State | None) -> Decision:
            if state is not None:
                return Decision(state=None)
            match, event = matches.propose(
                match_id,
                mentee.program_id,
                mentee.participant_id,
                mentor.participant_id,
                explained.score,
                explained.contributions,
                hours,
            )
            return Decision(state=match, events=[new_envelope(event, SERVICE)])

        await self.stores.matches.apply(match_id, create)
        await self.stores.waitlist.apply(
            mentee.participant_id, lambda state: Decision(state=waitlist.placed(state))
        )
        return True

    async def _waitlist(self, pool: Pool, scores: PoolScores, i: int, cause_id: str) -> None:
        mentee = pool.mentees[i]
        reasons = waitlist.reasons(pool, scores, i)

        def record(state: State | None) -> Decision:
            entry = waitlist.entry(mentee.program_id, reasons)
            if state == entry:
                return Decision(state=None)
            event: Event = MenteeWaitlisted(
                mentee_id=mentee.participant_id, program_id=mentee.program_id, reasons=reasons
            )
            return Decision(state=entry, events=[new_envelope(event, SERVICE)])

        await self.stores.waitlist.apply(mentee.participant_id, record)
