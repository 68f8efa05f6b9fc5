"""Turning a chosen pair into a proposal, or a mentee into a waitlist entry.

Capacity is reserved on the mentor's load aggregate before the match exists (for the
statuses that hold it), so concurrent placements serialise on the mentor and never
overbook. Ids come from the cause, so a redelivered event proposes nothing twice.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Awaitable, Callable, Mapping
from datetime import UTC, datetime

from mentornet_chassis.store.aggregates import Decision, Loaded, State
from mentornet_contracts import Envelope, Event, new_envelope
from mentornet_contracts.events.matches import MenteeWaitlisted

from .domain import loads, matches, offers, waitlist
from .domain.assignment import Ints
from .domain.coverage_gaps import skill_gaps
from .domain.explain import explain
from .domain.pool import Pool
from .domain.scoring import PoolScores
from .store import MatcherStores

SERVICE = "matcher"


def match_id_for(cause_id: str, mentee_id: str) -> str:
    return "match-" + hashlib.sha256(f"{cause_id}|{mentee_id}".encode()).hexdigest()[:20]


def emitting(state: State, *events: Event) -> Decision:
    """A decision whose events follow one another (each caused by the one before)."""
    envelopes: list[Envelope[Event]] = []
    for event in events:
        envelopes.append(
            new_envelope(event, SERVICE, caused_by=envelopes[-1] if envelopes else None)
        )
    return Decision(state=state, events=envelopes)


class Proposer:
    def __init__(self, stores: MatcherStores) -> None:
        self.stores = stores

    async def propose(
        self,
        pool: Pool,
        scores: PoolScores,
        i: int,
        j: int,
        cause_id: str,
        status: str,
        replacing: str | None = None,
        known: Mapping[str, State] | None = None,
        loads_seen: Mapping[str, Loaded] | None = None,
    ) -> bool:
        """False when the mentor's capacity went in the meantime; True when proposed, or
        when another placement already has a live offer for the mentee. The mentee is
        claimed before the mentor's place is held, so a place is only ever held by the
        placement that owns the mentee: no mentor looks full because of a hold that a
        losing placement is about to give back, and a racing placement that sees the
        claim can trust that the owner tries every mentor it has. `known`: the mentee's
        matches as the caller just read them (a match id not among them is new);
        `loads_seen`: mentors' loads as this process last wrote or read them (a mentor
        missing from it has none yet), tried first and read again if stale."""
        mentee, mentor = pool.mentees[i], pool.mentors[j]
        match_id = match_id_for(cause_id, mentee.participant_id)
        if known is not None:
            existing = known.get(match_id)
        else:
            existing = await self.stores.matches.get_state(match_id)
        if existing is not None:
            return existing["status"] in matches.PLACED
        hours = pool.rules.hours_per_match

        def hold(state: State | None) -> Decision:
            room = pool.rules.capacity_left(
                mentor.capacity, loads.load_in(state, mentee.program_id)
            )
            held = loads.reserve(
                state,
                loads.holder(mentor),
                match_id,
                mentee.program_id,
                hours,
                room,
                shared=pool.rules.shared_hours,
            )
            return Decision(state=held if held is not state else None)

        group = cause_id.rsplit("|", 1)[0]
        try:
            await self.stores.waitlist.apply(
                mentee.participant_id,
                self._claiming(group, match_id, replacing),
                new_likely=known is not None and not known,
            )
        except offers.AlreadyOffered:
            return True
        if status in matches.HOLDS_CAPACITY:
            try:
                seen = None
                if loads_seen is not None:
                    seen = loads_seen.get(loads.holder(mentor)) or Loaded(state=None, version=0)
                await self.stores.loads.apply(loads.holder(mentor), hold, assume=seen)
            except loads.NoCapacity:
                await self.stores.waitlist.apply(
                    mentee.participant_id,
                    lambda state: Decision(state=offers.unclaim(state, group, match_id)),
                )
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
                status,
                datetime.now(UTC).isoformat(),
            )
            held_on = {**match, "holder": loads.holder(mentor)}
            return Decision(state=held_on, events=[new_envelope(event, SERVICE)])

        await self.stores.matches.apply(match_id, create, new_likely=True)
        await self.stores.waitlist.apply(
            mentee.participant_id, lambda state: Decision(state=waitlist.placed(state))
        )
        return True

    def _claiming(
        self, group: str, match_id: str, replacing: str | None
    ) -> Callable[[State | None], Awaitable[Decision]]:
        """`replacing`: a match this proposal takes the place of (a coordinator's swap)."""

        async def decide(state: State | None) -> Decision:
            claimed = (state or {}).get("offer") or {"matches": []}
            live: dict[str, bool | None] = {}
            for other in claimed["matches"]:
                if other == replacing:
                    live[other] = False
                    continue
                match = await self.stores.matches.get_state(other)
                live[other] = None if match is None else match["status"] in matches.PLACED
            return Decision(state=offers.claim(state, group, match_id, live, time.time()))

        return decide

    async def waitlist(self, pool: Pool, scores: PoolScores, i: int, free: Ints) -> None:
        """`free`: each mentor's places left, to name the goal skills nobody can take."""
        mentee = pool.mentees[i]
        reasons = waitlist.reasons(pool, scores, i)
        short = tuple(gap.skill_id for gap in skill_gaps(pool, free, [i]))

        def record(state: State | None) -> Decision:
            entry = waitlist.entry(mentee.program_id, reasons, short, state)
            if state == entry:
                return Decision(state=None)
            event: Event = MenteeWaitlisted(
                mentee_id=mentee.participant_id,
                program_id=mentee.program_id,
                reasons=reasons,
                short_skills=short,
            )
            return Decision(state=entry, events=[new_envelope(event, SERVICE)])

        await self.stores.waitlist.apply(mentee.participant_id, record)

    async def release(self, match: State) -> None:
        """Give the mentor's place back (nothing happens if the match held none), on the
        load it was held on: the match remembers it, since an erased mentor's candidate
        no longer says whose person they were."""
        match_id = match["match_id"]
        holder = match.get("holder") or await self.stores.holder_of(match["mentor_id"])
        await self.stores.loads.apply(
            holder, lambda state: Decision(state=loads.release(state, holder, match_id))
        )
