"""People deciding on proposals: accept, decline, approve (or pick), reject, swap, and
the first session's fit check.

Approving or picking reserves the mentor's capacity first, on the mentor's load
aggregate, so concurrent approvals serialise there and can never exceed it; a
decline releases it and places the mentee again without the declined pair. A decision
the match's state does not allow is Refused (409, with the match as it now is).
"""

from __future__ import annotations

from collections.abc import Callable

from mentornet_chassis.errors import Forbidden, NotFound
from mentornet_chassis.store.typed import Change
from mentornet_contracts.events.common import SessionFormat
from mentornet_contracts.events.matches import Decider, EndCause, MatchEndReason

from ..domain import loads, match_endings, matches
from ..domain.candidates import as_mentor, profile_formats, programs_of
from ..domain.documents import Load, Match, MatchStatus
from ..domain.formats import match_format
from ..domain.matches import Refused
from ..domain.programs import as_published, rules_of
from ..store import MatcherStores
from .matchmaker import Matchmaker
from .proposals import emitting
from .rematch import Rematcher

__all__ = ["Decisions", "Refused"]

Step = Callable[[Match], Change[Match]]


class Decisions:
    def __init__(self, stores: MatcherStores, matchmaker: Matchmaker, rematcher: Rematcher) -> None:
        self.stores = stores
        self.matchmaker = matchmaker
        self.rematcher = rematcher

    async def match(self, match_id: str) -> Match:
        found = await self.stores.match(match_id)
        if found is None:
            raise NotFound("match_id", f"no match {match_id}")
        return found

    async def _decide(self, match_id: str, step: Step) -> Match:
        """Apply `step` to the match as stored; MatchNotOpen (a Refused) if its state
        does not allow it."""

        def decide(state: Match | None) -> Change[Match]:
            assert state is not None
            return step(state)

        written = await self.stores.match_states.change(match_id, decide)
        self.matchmaker.wake_relay()
        assert written is not None
        return written

    async def accept(self, match: Match, by: Decider) -> Match:
        """The mentor accepts: confirmed, in the format the pair will meet in."""
        format = await self._format(match)
        return await self._decide(
            match["match_id"], lambda m: emitting(*matches.accept(m, by, format))
        )

    async def _format(self, match: Match) -> SessionFormat | None:
        """Async when the program's sessions are, or async is all both people accept."""
        program = await self.stores.program(match["program_id"])
        mentee = await self.stores.candidate(match["mentee_id"])
        mentor = await self.stores.candidate(match["mentor_id"])
        return match_format(
            as_published(program).session_format if program is not None else None,
            profile_formats(mentee, "mentee"),
            profile_formats(mentor, "mentor"),
        )

    async def decline(self, match: Match, by: Decider, reason: str) -> Match:
        held = match["status"] in matches.HOLDS_CAPACITY
        state = await self._decide(
            match["match_id"], lambda m: emitting(*matches.decline(m, by, reason))
        )
        if held:
            await self.matchmaker.proposer.release(match)
        cause = f"{match['match_id']}:declined"
        await self.matchmaker.place_newcomer(match["program_id"], match["mentee_id"], cause)
        return state

    async def approve(self, match: Match, by: Decider) -> Match:
        """A coordinator approves a proposal in review; a mentee picks an option. A
        refused approval gives back only a hold it took itself: approving twice must
        not free the place of the proposal the first approval made."""
        if by == Decider.MENTEE and match["status"] == MatchStatus.IN_REVIEW:
            raise Forbidden("Authorization", "a coordinator approves proposals in review")
        took = await self._reserve(match)
        try:
            state = await self._decide(
                match["match_id"], lambda m: emitting(*matches.approve(m, by))
            )
        except Refused:
            if took:
                await self.matchmaker.proposer.release(match)
            raise
        if match["status"] == MatchStatus.SHORTLISTED:
            await self._supersede_other_options(match)
        return state

    async def _reserve(self, match: Match) -> bool:
        """Hold the mentor's place for the match; whether this call took the hold."""
        program = await self.stores.program(match["program_id"])
        candidate = await self.stores.candidate(match["mentor_id"])
        if program is None or candidate is None or "mentor" not in candidate["roles"]:
            raise Refused("mentor_id", "the mentor or the program is no longer known here")
        rules, mentor = rules_of(program), as_mentor(candidate)

        def hold(current: Load | None) -> Change[Load]:
            room = rules.capacity_left(mentor.capacity, loads.load_in(current, match["program_id"]))
            held = loads.reserve(
                current,
                loads.holder(mentor),
                match["match_id"],
                match["program_id"],
                match["hours"],
                room,
                shared=rules.shared_hours,
            )
            return Change(held if held is not current else None)

        try:
            holder = match.get("holder") or loads.holder(mentor)
            changed = await self.stores.load_states.apply(holder, hold)
        except loads.NoCapacity as exc:
            raise Refused("mentor_id", str(exc), match) from None
        return changed.wrote

    async def _supersede_other_options(self, picked: Match) -> None:
        def step(match: Match) -> Change[Match]:
            return emitting(*match_endings.supersede(match, "the mentee picked another option"))

        for other in await self.stores.matches_in(picked["program_id"]):
            if (
                other["mentee_id"] == picked["mentee_id"]
                and other["status"] == MatchStatus.SHORTLISTED
            ):
                await self._decide(other["match_id"], step)

    async def swap(self, match: Match, mentor_id: str, reason: str) -> Match:
        """A coordinator replaces the proposed mentor of a match in review with another
        of the program's mentors: the new proposal (capacity held) first, then the old
        one is ended."""
        mentor = await self.stores.candidate(mentor_id)
        if programs_of(mentor).get("mentor") != match["program_id"]:
            raise NotFound("mentor_id", f"no mentor {mentor_id} in {match['program_id']}")
        if match["status"] != MatchStatus.IN_REVIEW:
            raise Refused("match_id", f"match {match['match_id']} is {match['status']}", match)
        cause = f"{match['match_id']}:swap:{mentor_id}"
        refused = await self.matchmaker.pairs.offer_pair(match, mentor_id, cause)
        if refused is not None:
            raise Refused("mentor_id", refused, match)
        detail = f"swapped by a coordinator: {reason}"
        return await self._decide(
            match["match_id"], lambda m: emitting(*match_endings.supersede(m, detail))
        )

    async def fit_check(self, match: Match, by: Decider, fits: bool, reason: str) -> Match:
        """After the first session: a pair that does not fit is ended and the mentee
        placed again, never with this mentor; a fit is recorded."""
        if match["status"] != MatchStatus.CONFIRMED:
            raise Refused("match_id", f"match {match['match_id']} is {match['status']}", match)
        if not fits:
            ended = await self.rematcher.end(
                match, MatchEndReason.REMATCHED, EndCause.FIT_CHECK_FAILED, reason
            )
            return ended or await self.match(match["match_id"])
        return await self._decide(match["match_id"], lambda m: Change(matches.record_fit(m, by)))

    async def close(self, match: Match, reason: MatchEndReason, detail: str) -> Match:
        """The program's team ends an active match (409 when it is not active)."""
        return await self.rematcher.close(match, reason, detail)
