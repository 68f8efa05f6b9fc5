"""A batch run's placements written many at a time: a few store commands per chunk of
mentees instead of several per proposal, so an imported pool of thousands is proposed in
seconds.

The protocol is proposals.py's, done for a chunk at once: claim the mentees (one insert
of their waitlist entries), hold each mentor's places (one conditional write per mentor,
on the load read for the chunk), create the matches (one insert, events in their
outboxes), and wait-list those nobody could take (one insert). Only mentees the matcher
has never written about take this path: their entries do not exist yet, so the claim is
an insert that a racing placement's claim turns into a refusal. Anyone refused, and any
mentee whose mentor's places went meanwhile, is handed back for the one-by-one path.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field

from mentornet_chassis.store.aggregate_docs import Loaded
from mentornet_chassis.store.bulk import NewAggregate, insert_new
from mentornet_chassis.store.typed import Change, typed

from ..domain import loads, matches, offers
from ..domain.assignment import Ints
from ..domain.documents import Load, MatchStatus, WaitlistEntry
from ..store import MatcherStores
from .proposals import Proposal, Proposer, Scored, match_id_for, waitlisting

CHUNK = 500


@dataclass
class Written:
    proposed: list[str] = field(default_factory=list)
    waitlisted: list[str] = field(default_factory=list)
    left: list[int] = field(default_factory=list)
    """Rows for the one-by-one path."""


@dataclass
class Plan:
    """One chunk's decisions: each mentee's matches (match id, mentor column), and the
    loads as holding them would leave them."""

    offers: dict[int, list[tuple[str, int]]] = field(default_factory=dict)
    waiting: list[int] = field(default_factory=list)
    holds: dict[str, list[tuple[int, str, int]]] = field(default_factory=lambda: defaultdict(list))
    """Holder to (row, match id, mentor column) in the order they were planned."""
    loaded: dict[str, Loaded] = field(default_factory=dict)
    """The holders' loads as read for the chunk."""


class BulkProposals:
    def __init__(self, stores: MatcherStores, proposer: Proposer) -> None:
        self.stores = stores
        self.proposer = proposer

    async def place(
        self,
        scored: Scored,
        wanted: Sequence[list[int]],
        how: Proposal,
        free: Ints,
        between: Callable[[], Awaitable[None]] | None = None,
    ) -> Written:
        """`wanted[i]`: mentor columns to offer row i, best first (empty: none);
        `between`: called before each chunk (the run renewing its lease, which the
        solve before it has used up part of)."""
        written = Written()
        rows = list(range(len(scored.pool.mentees)))
        for start in range(0, len(rows), CHUNK):
            if between is not None:
                await between()
            await self._chunk(scored, rows[start : start + CHUNK], wanted, how, free, written)
        return written

    async def _chunk(
        self,
        scored: Scored,
        rows: list[int],
        wanted: Sequence[list[int]],
        how: Proposal,
        free: Ints,
        written: Written,
    ) -> None:
        ids = {i: scored.pool.mentees[i].participant_id for i in rows}
        known = await self.stores.waitlist.load_many(list(ids.values()))
        written.left += [i for i in rows if ids[i] in known]
        fresh = [i for i in rows if ids[i] not in known]
        plan = await self._plan(scored, fresh, wanted, how)
        claimed = await self._claim(scored, plan, how)
        held = await self._hold(scored, plan, claimed, how)
        await self._create(scored, plan, held, how.status)
        written.proposed += [ids[i] for i in held]
        written.left += [i for i in plan.offers if i not in held]
        waited = await self._waitlist(scored, plan.waiting, free)
        written.waitlisted += [ids[i] for i in waited]
        written.left += [i for i in plan.waiting if i not in waited]

    async def _plan(
        self, scored: Scored, rows: list[int], wanted: Sequence[list[int]], how: Proposal
    ) -> Plan:
        plan = Plan()
        pool = scored.pool
        holding = how.status in matches.HOLDS_CAPACITY
        holders = {loads.holder(pool.mentors[j]) for i in rows for j in wanted[i]}
        found = await self.stores.loads.load_many(holders) if holding else {}
        plan.loaded = {h: found.get(h) or Loaded(state=None, version=0) for h in holders}
        working: dict[str, Load | None] = {h: typed(plan.loaded[h].state) for h in holders}
        for i in rows:
            options = [
                (match_id_for(f"{how.cause_id}|{n}", pool.mentees[i].participant_id), j)
                for n, j in enumerate(wanted[i])
            ]
            if not holding:
                chosen = options if how.status == MatchStatus.SHORTLISTED else options[:1]
            else:
                chosen = self._first_with_room(scored, i, options, working, plan)
            if chosen:
                plan.offers[i] = chosen
            else:
                plan.waiting.append(i)
        return plan

    def _first_with_room(
        self,
        scored: Scored,
        i: int,
        options: list[tuple[str, int]],
        working: dict[str, Load | None],
        plan: Plan,
    ) -> list[tuple[str, int]]:
        pool = scored.pool
        for match_id, j in options:
            mentor = pool.mentors[j]
            holder = loads.holder(mentor)
            try:
                working[holder] = loads.hold_place(
                    working[holder],
                    holder,
                    match_id,
                    pool.mentees[i].program_id,
                    pool.rules,
                    mentor.capacity,
                )
            except loads.NoCapacity:
                continue
            plan.holds[holder].append((i, match_id, j))
            return [(match_id, j)]
        return []

    async def _claim(self, scored: Scored, plan: Plan, how: Proposal) -> set[int]:
        """Claim every planned mentee at once; the rows whose claim was not refused."""
        now = self.proposer.clock().timestamp()
        claims: dict[int, NewAggregate] = {}
        for i, chosen in plan.offers.items():
            entry: WaitlistEntry | None = None
            for match_id, _ in chosen:
                entry = offers.claim(entry, how.cause_id, match_id, {}, now) or entry
            claims[i] = NewAggregate(scored.pool.mentees[i].participant_id, dict(entry or {}))
        refused = await insert_new(self.stores.waitlist, list(claims.values()))
        return {i for i, new in claims.items() if new.aggregate_id not in refused}

    async def _hold(self, scored: Scored, plan: Plan, claimed: set[int], how: Proposal) -> set[int]:
        """Hold the claimed mentees' places, one write per mentor; the rows held (all
        claimed rows when the status holds no place). A mentee whose place went is
        unclaimed."""
        if how.status not in matches.HOLDS_CAPACITY:
            return claimed
        failed: set[int] = set()
        for holder, planned in plan.holds.items():
            wanted = [(i, m, j) for i, m, j in planned if i in claimed]
            if wanted:
                failed |= await self._hold_on(scored, holder, wanted, plan.loaded[holder])
        for i in failed:
            await self._unclaim(scored.pool.mentees[i].participant_id, how.cause_id, plan.offers[i])
        return claimed - failed

    async def _unclaim(self, mentee_id: str, group: str, chosen: list[tuple[str, int]]) -> None:
        match_id = chosen[0][0]

        def take_back(state: WaitlistEntry | None) -> Change[WaitlistEntry]:
            return Change(offers.unclaim(state, group, match_id))

        await self.stores.waitlist_states.apply(mentee_id, take_back)

    async def _hold_on(
        self, scored: Scored, holder: str, wanted: list[tuple[int, str, int]], seen: Loaded
    ) -> set[int]:
        pool = scored.pool
        failed: set[int] = set()

        def hold(current: Load | None) -> Change[Load]:
            failed.clear()
            state = current
            for i, match_id, j in wanted:
                try:
                    state = loads.hold_place(
                        state,
                        holder,
                        match_id,
                        pool.mentees[i].program_id,
                        pool.rules,
                        pool.mentors[j].capacity,
                    )
                except loads.NoCapacity:
                    failed.add(i)
            return Change(state if state is not current else None)

        await self.stores.load_states.apply(holder, hold, assume=seen)
        return set(failed)

    async def _create(
        self, scored: Scored, plan: Plan, held: set[int], status: MatchStatus
    ) -> None:
        created = await asyncio.to_thread(self._new_matches, scored, plan, held, status)
        await insert_new(self.stores.matches, created)

    def _new_matches(
        self, scored: Scored, plan: Plan, held: set[int], status: MatchStatus
    ) -> list[NewAggregate]:
        """Run in a thread: explaining each proposal scores its mentee's row."""
        created = []
        for i in sorted(held):
            one = Scored(scored.pool, scored.scores, i)
            for match_id, j in plan.offers[i]:
                change = self.proposer.new_match(one, j, match_id, status)
                created.append(NewAggregate(match_id, dict(change.state or {}), change.events))
        return created

    async def _waitlist(self, scored: Scored, rows: list[int], free: Ints) -> set[int]:
        """Wait-list the rows nobody could take; the rows written."""
        entries = await asyncio.to_thread(_waiting, scored, rows, free)
        refused = await insert_new(self.stores.waitlist, list(entries.values()))
        return {i for i, new in entries.items() if new.aggregate_id not in refused}


def _waiting(scored: Scored, rows: list[int], free: Ints) -> dict[int, NewAggregate]:
    """Each row's waitlist entry with its reasons (run in a thread: each scores a row)."""
    entries: dict[int, NewAggregate] = {}
    for i in rows:
        change = waitlisting(Scored(scored.pool, scored.scores, i), free, None)
        mentee_id = scored.pool.mentees[i].participant_id
        entries[i] = NewAggregate(mentee_id, dict(change.state or {}), change.events)
    return entries
