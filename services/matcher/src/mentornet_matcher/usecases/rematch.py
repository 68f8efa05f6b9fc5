"""Ending matches that stopped working, and placing the mentee again.

Triggers: a participant withdraws or is erased, a mentor's capacity drops below what
they carry, availability changes leave a pair too little time, the first session's
fit check fails, or QA escalates with action rematch. The match ends with a reason
and a cause (match.ended); its capacity hold is released; the mentee is placed again,
and a pair that failed (fit check, escalation) is never proposed again. Ending a
match that already ended does nothing, so redelivered events are harmless.
"""

from __future__ import annotations

from mentornet_chassis.store.typed import Change
from mentornet_contracts.events.matches import EndCause, MatchEndReason

from ..domain import match_endings, matches, rematch
from ..domain.candidates import as_mentor, is_matchable
from ..domain.documents import Match
from ..domain.programs import rules_of
from ..store import MatcherStores
from .matchmaker import Matchmaker
from .proposals import emitting

FAILED = (EndCause.FIT_CHECK_FAILED, EndCause.ESCALATION)


class UnknownMatch(LookupError):
    """An event about a match this service never made: retried, then DLQ."""


class Rematcher:
    def __init__(self, stores: MatcherStores, matchmaker: Matchmaker) -> None:
        self.stores = stores
        self.matchmaker = matchmaker

    async def end(
        self,
        match: Match,
        reason: MatchEndReason,
        cause: EndCause,
        detail: str = "",
        *,
        place_again: bool = True,
    ) -> Match | None:
        """End the match and (unless it ran its course) place its mentee again; None if
        it had already ended."""

        def step(state: Match | None) -> Change[Match]:
            if state is None or state["status"] not in matches.PLACED:
                return Change(None)
            ended = match_endings.end(state, reason, cause, detail, failed=cause in FAILED)
            return emitting(*ended)

        state = await self.stores.match_states.change(match["match_id"], step)
        if state is None or state.get("end_cause") != str(cause):
            return None
        await self.matchmaker.proposer.release(match)
        if place_again:
            await self._place_again(match)
        self.matchmaker.wake_relay()
        return state

    async def close(self, match: Match, reason: MatchEndReason, detail: str) -> Match:
        """The program's team closes an active match (match.ended, cause None): the
        mentor's place is free again; the mentee is not placed again."""

        def closing(state: Match | None) -> Change[Match]:
            return emitting(*match_endings.close(_known(state), reason, detail))

        written = await self.stores.match_states.change(match["match_id"], closing)
        await self.matchmaker.proposer.release(match)
        self.matchmaker.wake_relay()
        return _known(written)

    async def _place_again(self, match: Match) -> None:
        mentee = await self.stores.candidate(match["mentee_id"])
        if mentee is not None and is_matchable(mentee, "mentee"):
            cause = f"{match['match_id']}:rematch"
            await self.matchmaker.place_newcomer(match["program_id"], match["mentee_id"], cause)

    async def participant_left(self, participant_id: str, cause: EndCause) -> None:
        """A mentee who leaves ends their matches; a mentor who leaves ends theirs and
        their mentees are placed with someone else."""
        for side, reason in (("mentee_id", MatchEndReason.WITHDRAWN), ("mentor_id", None)):
            for match in await self._placed(participant_id, side):
                await self.end(match, reason or MatchEndReason.REMATCHED, cause)

    async def mentor_changed(self, mentor_id: str) -> None:
        """End what no longer fits after a mentor's profile or availability changed."""
        candidate = await self.stores.candidate(mentor_id)
        if candidate is None or not is_matchable(candidate, "mentor"):
            return
        mentor = as_mentor(candidate)
        holding = await self._placed(mentor_id, "mentor_id")
        program = await self.stores.program(mentor.program_id)
        if program is not None:
            in_program = [m for m in holding if m["program_id"] == mentor.program_id]
            for match in rematch.over_capacity(in_program, rules_of(program), mentor.capacity):
                await self.end(match, MatchEndReason.REMATCHED, EndCause.MENTOR_CAPACITY_REDUCED)
        await self.availability_changed(mentor_id, "mentor_id")

    async def availability_changed(self, participant_id: str, side: str) -> None:
        for match in await self._placed(participant_id, side):
            if not await self.matchmaker.pairs.pair_has_time(match):
                await self.end(match, MatchEndReason.REMATCHED, EndCause.AVAILABILITY_CHANGED)

    async def completed(self, match_id: str, detail: str) -> None:
        """The match's sessions are all settled: it ends as completed, the mentor's
        place is free again, and the mentee is not placed again."""
        match = await self.stores.match(match_id)
        if match is None:
            raise UnknownMatch(f"no match {match_id} here")
        await self.end(
            match,
            MatchEndReason.COMPLETED,
            EndCause.SESSIONS_COMPLETED,
            detail,
            place_again=False,
        )

    async def escalated(self, match_id: str, detail: str) -> None:
        match = await self.stores.match(match_id)
        if match is None:
            raise UnknownMatch(f"no match {match_id} here")
        await self.end(match, MatchEndReason.REMATCHED, EndCause.ESCALATION, detail)

    async def _placed(self, participant_id: str, side: str) -> list[Match]:
        return [
            m
            for m in await self.stores.matches_of(participant_id, side)
            if m["status"] in matches.PLACED
        ]


def _known(match: Match | None) -> Match:
    if match is None:
        raise UnknownMatch("the match is no longer stored")
    return match
