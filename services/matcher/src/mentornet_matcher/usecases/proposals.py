"""Turning a chosen pair into a proposal, or a mentee into a waitlist entry.

Capacity is reserved on the mentor's load aggregate before the match exists (for the
statuses that hold it), so concurrent placements serialise on the mentor and never
overbook. Ids come from the cause, so a redelivered event proposes nothing twice.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import cast

from mentornet_chassis.store.aggregates import Decision, Loaded, State
from mentornet_contracts import Envelope, Event, new_envelope
from mentornet_contracts.events.matches import MenteeWaitlisted

from ..domain import loads, matches, offers, waitlist
from ..domain.assignment import Ints
from ..domain.coverage_gaps import skill_gaps
from ..domain.documents import Load, Match, MatchStatus, WaitlistEntry
from ..domain.explain import explain
from ..domain.pool import Pool
from ..domain.scoring import PoolScores
from ..store import MatcherStores, stored

SERVICE = "matcher"


def match_id_for(cause_id: str, mentee_id: str) -> str:
    return "match-" + hashlib.sha256(f"{cause_id}|{mentee_id}".encode()).hexdigest()[:20]


def emitting(state: Match, *events: Event) -> Decision:
    """A decision whose events follow one another (each caused by the one before)."""
    envelopes: list[Envelope[Event]] = []
    for event in events:
        envelopes.append(
            new_envelope(event, SERVICE, caused_by=envelopes[-1] if envelopes else None)
        )
    return Decision(state=stored(state), events=envelopes)


@dataclass(frozen=True)
class Scored:
    """The mentee being placed: row `i` of a scored pool."""

    pool: Pool
    scores: PoolScores
    i: int


@dataclass(frozen=True)
class Proposal:
    """How a placement proposes. `cause_id` names the match (and, up to its last "|",
    the placement's group); `replacing`: a match this proposal takes the place of (a
    coordinator's swap); `known`: the mentee's matches as the caller just read them (a
    match id not among them is new); `loads_seen`: mentors' loads as this process last
    wrote or read them (a mentor missing from it has none yet), tried first and read
    again if stale."""

    cause_id: str
    status: MatchStatus
    replacing: str | None = None
    known: Mapping[str, Match] | None = None
    loads_seen: Mapping[str, Loaded] | None = None

    @property
    def group(self) -> str:
        return self.cause_id.rsplit("|", 1)[0]


class Proposer:
    def __init__(self, stores: MatcherStores) -> None:
        self.stores = stores

    async def propose(self, scored: Scored, j: int, how: Proposal) -> bool:
        """Propose mentor column `j` to the mentee. False when the mentor's capacity went
        in the meantime; True when proposed, or when another placement already has a
        live offer for the mentee. The mentee is claimed before the mentor's place is
        held, so a place is only ever held by the placement that owns the mentee: no
        mentor looks full because of a hold that a losing placement is about to give
        back, and a racing placement that sees the claim can trust that the owner tries
        every mentor it has."""
        mentee = scored.pool.mentees[scored.i]
        match_id = match_id_for(how.cause_id, mentee.participant_id)
        if how.known is not None:
            existing = how.known.get(match_id)
        else:
            existing = await self.stores.match(match_id)
        if existing is not None:
            return existing["status"] in matches.PLACED
        try:
            await self.stores.waitlist.apply(
                mentee.participant_id,
                self._claiming(how.group, match_id, how.replacing),
                new_likely=how.known is not None and not how.known,
            )
        except offers.AlreadyOffered:
            return True
        if how.status in matches.HOLDS_CAPACITY and not await self._hold(scored, j, match_id, how):
            return False
        await self._create(scored, j, match_id, how.status)
        await self.stores.waitlist.apply(
            mentee.participant_id,
            lambda state: Decision(state=stored(waitlist.placed(_entry(state)))),
        )
        return True

    async def _hold(self, scored: Scored, j: int, match_id: str, how: Proposal) -> bool:
        """Hold the mentor's place; if none is left, take the mentee's claim back."""
        pool, mentee, mentor = scored.pool, scored.pool.mentees[scored.i], scored.pool.mentors[j]
        holder = loads.holder(mentor)

        def hold(state: State | None) -> Decision:
            current = cast(Load | None, state)
            room = pool.rules.capacity_left(
                mentor.capacity, loads.load_in(current, mentee.program_id)
            )
            held = loads.reserve(
                current,
                holder,
                match_id,
                mentee.program_id,
                pool.rules.hours_per_match,
                room,
                shared=pool.rules.shared_hours,
            )
            return Decision(state=stored(held) if held is not current else None)

        seen = None
        if how.loads_seen is not None:
            seen = how.loads_seen.get(holder) or Loaded(state=None, version=0)
        try:
            await self.stores.loads.apply(holder, hold, assume=seen)
        except loads.NoCapacity:
            await self.stores.waitlist.apply(
                mentee.participant_id,
                lambda state: Decision(
                    state=stored(offers.unclaim(_entry(state), how.group, match_id))
                ),
            )
            return False
        return True

    async def _create(self, scored: Scored, j: int, match_id: str, status: MatchStatus) -> None:
        pool, mentee, mentor = scored.pool, scored.pool.mentees[scored.i], scored.pool.mentors[j]
        explained = explain(scored.scores, scored.i, j)

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
                pool.rules.hours_per_match,
                status,
                datetime.now(UTC).isoformat(),
            )
            held_on: Match = {**match, "holder": loads.holder(mentor)}
            return Decision(state=stored(held_on), events=[new_envelope(event, SERVICE)])

        await self.stores.matches.apply(match_id, create, new_likely=True)

    def _claiming(
        self, group: str, match_id: str, replacing: str | None
    ) -> Callable[[State | None], Awaitable[Decision]]:
        async def decide(state: State | None) -> Decision:
            entry = _entry(state)
            claimed = entry.get("offer") if entry else None
            live: dict[str, bool | None] = {}
            for other in claimed["matches"] if claimed else []:
                if other == replacing:
                    live[other] = False
                    continue
                match = await self.stores.match(other)
                live[other] = None if match is None else match["status"] in matches.PLACED
            claim = offers.claim(entry, group, match_id, live, time.time())
            return Decision(state=stored(claim))

        return decide

    async def waitlist(self, scored: Scored, free: Ints) -> None:
        """`free`: each mentor's places left, to name the goal skills nobody can take."""
        pool, i = scored.pool, scored.i
        mentee = pool.mentees[i]
        reasons = waitlist.reasons(pool, scored.scores, i)
        short = tuple(gap.skill_id for gap in skill_gaps(pool, free, [i]))

        def record(state: State | None) -> Decision:
            entry = waitlist.entry(mentee.program_id, reasons, short, _entry(state))
            if state == entry:
                return Decision(state=None)
            event: Event = MenteeWaitlisted(
                mentee_id=mentee.participant_id,
                program_id=mentee.program_id,
                reasons=reasons,
                short_skills=short,
            )
            return Decision(state=stored(entry), events=[new_envelope(event, SERVICE)])

        await self.stores.waitlist.apply(mentee.participant_id, record)

    async def release(self, match: Match) -> None:
        """Give the mentor's place back (nothing happens if the match held none), on the
        load it was held on: the match remembers it, since an erased mentor's candidate
        no longer says whose person they were."""
        match_id = match["match_id"]
        holder = match.get("holder") or await self.stores.holder_of(match["mentor_id"])

        def give_back(state: State | None) -> Decision:
            return Decision(state=stored(loads.release(cast(Load | None, state), holder, match_id)))

        await self.stores.loads.apply(holder, give_back)


def _entry(state: State | None) -> WaitlistEntry | None:
    return cast(WaitlistEntry | None, state)
