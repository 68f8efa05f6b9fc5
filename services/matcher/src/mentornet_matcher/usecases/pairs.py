"""One pair at a time: a coordinator's chosen mentor, whether a pair still has time
together, and why a mentor was not proposed."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from mentornet_chassis.errors import NotFound
from mentornet_contracts.events.common import SessionFormat

from ..domain import matches
from ..domain.candidates import as_mentee, as_mentor, is_matchable
from ..domain.documents import Match
from ..domain.explain import why_not as explain_why_not
from ..domain.pool import build_pool
from ..domain.programs import rules_of
from ..domain.rules import MentorLoad
from ..domain.scoring import PoolScores
from ..store import MatcherStores
from .pools import PoolReader
from .proposals import Proposal, Proposer, Scored


class Pairs:
    def __init__(
        self,
        stores: MatcherStores,
        reader: PoolReader,
        proposer: Proposer,
        wake_relay: Callable[[], None],
    ) -> None:
        self.stores = stores
        self.reader = reader
        self.proposer = proposer
        self.wake_relay = wake_relay

    async def offer_pair(self, match: Match, mentor_id: str, cause_id: str) -> str | None:
        """Propose mentor_id to the match's mentee, capacity held (a coordinator's swap).
        None when done, else why not."""
        program = await self.stores.program(match["program_id"])
        mentee = await self.stores.candidate(match["mentee_id"])
        if program is None or mentee is None or not is_matchable(mentee, "mentee"):
            return "the mentee or the program is no longer known here"
        pool = await self.reader.pool(program, [as_mentee(mentee)])
        ids = list(pool.mentor_side.ids)
        if mentor_id not in ids:
            return f"no mentor {mentor_id} in program {match['program_id']}"
        j = ids.index(mentor_id)
        scores = PoolScores(pool)
        if not np.isfinite(scores.rows(0, 1)[0, j]):
            return explain_why_not(scores, 0, j)
        how = Proposal(cause_id, matches.OPEN, replacing=match["match_id"])
        if not await self.proposer.propose(Scored(pool, scores, 0), j, how):
            return f"mentor {mentor_id} has no capacity left"
        self.wake_relay()
        return None

    async def pair_has_time(self, match: Match) -> bool:
        """Whether the match's pair still shares enough time (capacity aside). A match
        that meets by written check-ins needs none: one confirmed async, one in an async
        program, or a pair whose only shared format is async (domain/formats.py)."""
        if match.get("format") == SessionFormat.ASYNC:
            return True
        program = await self.stores.program(match["program_id"])
        mentee = await self.stores.candidate(match["mentee_id"])
        mentor = await self.stores.candidate(match["mentor_id"])
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
            await self.reader.skills(),
            self.reader.span(program).start,
        )
        block = PoolScores(pool).block(0, 1)
        return not bool(block.too_little_time(rules.min_overlap_hours)[0, 0])

    async def why_not(self, match: Match, mentor_id: str) -> str | None:
        """Why mentor_id was not proposed to the match's mentee; None if no such mentor.
        The match's own mentor counts as having room: this pair holds a place."""
        program = await self.stores.program(match["program_id"])
        mentee = await self.stores.candidate(match["mentee_id"])
        if program is None or mentee is None or "mentee" not in mentee["roles"]:
            return None
        pool = await self.reader.pool(program, [as_mentee(mentee)])
        ids = list(pool.mentor_side.ids)
        if mentor_id not in ids:
            return None
        proposed = ids.index(match["mentor_id"]) if match["mentor_id"] in ids else None
        if proposed is not None:
            pool.capacity[proposed] = max(1, int(pool.capacity[proposed]))
        return explain_why_not(PoolScores(pool), 0, ids.index(mentor_id), proposed)

    async def explain(self, match: Match, mentor_id: str) -> str:
        """why_not, or NotFound when the program has no such mentor."""
        reason = await self.why_not(match, mentor_id)
        if reason is None:
            raise NotFound("mentor_id", f"no mentor {mentor_id} in program {match['program_id']}")
        return reason
