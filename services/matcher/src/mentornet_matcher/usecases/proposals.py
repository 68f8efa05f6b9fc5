"""Turning a chosen pair into a proposal, or a mentee into a waitlist entry.

Capacity is reserved on the mentor's load aggregate before the match exists (for the
statuses that hold it), so concurrent placements serialise on the mentor and never
overbook. Ids come from the cause, so a redelivered event proposes nothing twice.
"""

from __future__ import annotations

import hashlib
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import datetime

from mentornet_chassis.store.aggregates import Loaded
from mentornet_chassis.store.typed import Change
from mentornet_contracts import Envelope, Event, new_envelope
from mentornet_contracts.events.matches import MenteeWaitlisted

from ..domain import loads, matches, offers, waitlist
from ..domain.assignment import Ints
from ..domain.coverage_gaps import skill_gaps
from ..domain.documents import Load, Match, MatchStatus, WaitlistEntry
from ..domain.explain import explain
from ..domain.pool import Pool
from ..domain.scoring import PoolScores
from ..store import MatcherStores

SERVICE = "matcher"


def match_id_for(cause_id: str, mentee_id: str) -> str:
    return "match-" + hashlib.sha256(f"{cause_id}|{mentee_id}".encode()).hexdigest()[:20]


def emitting(state: Match, *events: Event) -> Change[Match]:
    """A decision whose events follow one another (each caused by the one before)."""
    envelopes: list[Envelope[Event]] = []
    for event in events:
        envelopes.append(
            new_envelope(event, SERVICE, caused_by=envelopes[-1] if envelopes else None)
        )
    return Change(state, envelopes)


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
    def __init__(self, stores: MatcherStores, clock: Callable[[], datetime]) -> None:
        """`clock`: the service's "now" (the composition root's, so a simulated clock
        holds): when a match was proposed, and when a mentee's offer was claimed."""
        self.stores = stores
        self.clock = clock

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
            await self.stores.waitlist_states.apply(
                mentee.participant_id,
                self._claiming(how.group, match_id, how.replacing),
                new_likely=how.known is not None and not how.known,
            )
        except offers.AlreadyOffered:
            return True
        if how.status in matches.HOLDS_CAPACITY and not await self._hold(scored, j, match_id, how):
            return False
        await self._create(scored, j, match_id, how.status)
        await self.stores.waitlist_states.apply(
            mentee.participant_id, lambda state: Change(waitlist.placed(state))
        )
        return True

    async def _hold(self, scored: Scored, j: int, match_id: str, how: Proposal) -> bool:
        """Hold the mentor's place; if none is left, take the mentee's claim back."""
        pool, mentee, mentor = scored.pool, scored.pool.mentees[scored.i], scored.pool.mentors[j]
        holder = loads.holder(mentor)

        def hold(current: Load | None) -> Change[Load]:
            held = loads.hold_place(
                current, holder, match_id, mentee.program_id, pool.rules, mentor.capacity
            )
            return Change(held if held is not current else None)

        seen = None
        if how.loads_seen is not None:
            seen = how.loads_seen.get(holder) or Loaded(state=None, version=0)
        try:
            await self.stores.load_states.apply(holder, hold, assume=seen)
        except loads.NoCapacity:
            await self.stores.waitlist_states.apply(
                mentee.participant_id,
                lambda state: Change(offers.unclaim(state, how.group, match_id)),
            )
            return False
        return True

    async def _create(self, scored: Scored, j: int, match_id: str, status: MatchStatus) -> None:
        def create(state: Match | None) -> Change[Match]:
            return (
                Change(None) if state is not None else self.new_match(scored, j, match_id, status)
            )

        await self.stores.match_states.apply(match_id, create, new_likely=True)

    def new_match(
        self, scored: Scored, j: int, match_id: str, status: MatchStatus
    ) -> Change[Match]:
        """The match proposing mentor column `j` to the mentee, announced; the load it
        holds its place on is named (`holder`)."""
        pool, mentee, mentor = scored.pool, scored.pool.mentees[scored.i], scored.pool.mentors[j]
        explained = explain(scored.scores, scored.i, j)
        match, event = matches.propose(
            match_id,
            mentee.program_id,
            mentee.participant_id,
            mentor.participant_id,
            explained.score,
            explained.contributions,
            pool.rules.hours_per_match,
            status,
            self.clock().isoformat(),
            explained.signals,
            scored.scores.rule_of(scored.i),
        )
        held_on: Match = {**match, "holder": loads.holder(mentor)}
        return Change.announced(held_on, [event], SERVICE)

    def _claiming(
        self, group: str, match_id: str, replacing: str | None
    ) -> Callable[[WaitlistEntry | None], Awaitable[Change[WaitlistEntry]]]:
        async def decide(entry: WaitlistEntry | None) -> Change[WaitlistEntry]:
            claimed = entry.get("offer") if entry else None
            live: dict[str, bool | None] = {}
            for other in claimed["matches"] if claimed else []:
                if other == replacing:
                    live[other] = False
                    continue
                match = await self.stores.match(other)
                live[other] = None if match is None else match["status"] in matches.PLACED
            claim = offers.claim(entry, group, match_id, live, self.clock().timestamp())
            return Change(claim)

        return decide

    async def waitlist(self, scored: Scored, free: Ints) -> None:
        """`free`: each mentor's places left, to name the goal skills nobody can take."""
        mentee = scored.pool.mentees[scored.i]
        await self.stores.waitlist_states.apply(
            mentee.participant_id, lambda state: waitlisting(scored, free, state)
        )

    async def release(self, match: Match) -> None:
        """Give the mentor's place back (nothing happens if the match held none), on the
        load it was held on: the match remembers it, since an erased mentor's candidate
        no longer says whose person they were."""
        match_id = match["match_id"]
        holder = match.get("holder") or await self.stores.holder_of(match["mentor_id"])

        def give_back(state: Load | None) -> Change[Load]:
            return Change(loads.release(state, holder, match_id))

        await self.stores.load_states.apply(holder, give_back)


def waitlisting(scored: Scored, free: Ints, state: WaitlistEntry | None) -> Change[WaitlistEntry]:
    """The mentee's waitlist entry with the reasons they wait, announced (no change if
    they already wait for those reasons)."""
    pool, i = scored.pool, scored.i
    mentee = pool.mentees[i]
    reasons = waitlist.reasons(pool, scored.scores, i)
    short = tuple(gap.skill_id for gap in skill_gaps(pool, free, [i]))
    entry = waitlist.entry(mentee.program_id, reasons, short, state)
    if state == entry:
        return Change(None)
    event: Event = MenteeWaitlisted(
        mentee_id=mentee.participant_id,
        program_id=mentee.program_id,
        reasons=reasons,
        short_skills=short,
    )
    return Change.announced(entry, [event], SERVICE)
