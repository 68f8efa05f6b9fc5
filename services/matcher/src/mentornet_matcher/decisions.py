"""People deciding on proposals: accept, decline, approve (or pick), reject.

Approving or picking reserves the mentor's capacity first, on the mentor's load
aggregate, so concurrent approvals serialise there and can never exceed it; a
decline releases it and places the mentee again without the declined pair.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from mentornet_chassis.store.aggregates import Decision, Outcome, State
from mentornet_contracts.events.matches import Decider, EndCause, MatchEndReason

from .domain import loads, matches
from .domain.candidates import as_mentor
from .domain.programs import rules_of
from .matchmaker import Matchmaker
from .proposals import emitting
from .rematch import Rematcher
from .store import MatcherStores


@dataclass(frozen=True)
class Refused(Exception):
    field: str
    reason: str
    match: State | None = None


class Decisions:
    def __init__(self, stores: MatcherStores, matchmaker: Matchmaker, rematcher: Rematcher) -> None:
        self.stores = stores
        self.matchmaker = matchmaker
        self.rematcher = rematcher

    async def _decide(self, match_id: str, step: Callable[[State | None], Decision]) -> State:
        try:
            applied = await self.stores.matches.apply(match_id, step)
        except matches.MatchNotOpen as exc:
            raise Refused("match_id", str(exc), exc.match) from None
        self.matchmaker.wake_relay()
        assert applied.state is not None
        return applied.state

    async def accept(self, match: State, by: Decider) -> State:
        def step(state: State | None) -> Decision:
            assert state is not None
            accepted_state, accepted, confirmed = matches.accept(state, by)
            return emitting(accepted_state, accepted, confirmed)

        return await self._decide(match["match_id"], step)

    async def decline(self, match: State, by: Decider, reason: str) -> State:
        def step(state: State | None) -> Decision:
            assert state is not None
            declined, event = matches.decline(state, by, reason)
            return emitting(declined, event)

        held = match["status"] in matches.HOLDS_CAPACITY
        state = await self._decide(match["match_id"], step)
        if held:
            await self.matchmaker.proposer.release(match)
        cause = f"{match['match_id']}:declined"
        await self.matchmaker.place_newcomer(match["program_id"], match["mentee_id"], cause)
        return state

    async def approve(self, match: State, by: Decider) -> State:
        """A coordinator approves a proposal in review; a mentee picks an option. A
        refused approval gives back only a hold it took itself: approving twice must
        not free the place of the proposal the first approval made."""
        took = await self._reserve(match)

        def step(state: State | None) -> Decision:
            assert state is not None
            approved, event = matches.approve(state, by)
            return emitting(approved, event)

        try:
            state = await self._decide(match["match_id"], step)
        except Refused:
            if took:
                await self.matchmaker.proposer.release(match)
            raise
        if match["status"] == "shortlisted":
            await self._supersede_other_options(match)
        return state

    async def _reserve(self, match: State) -> bool:
        """Hold the mentor's place for the match; whether this call took the hold."""
        program = await self.stores.programs.get_state(match["program_id"])
        mentor = await self.stores.candidates.get_state(match["mentor_id"])
        if program is None or mentor is None or "mentor" not in mentor.get("roles", {}):
            raise Refused("mentor_id", "the mentor or the program is no longer known here")
        rules, override = rules_of(program), as_mentor(mentor).capacity

        def hold(state: State | None) -> Decision:
            room = rules.capacity_left(override, loads.load_in(state, match["program_id"]))
            held = loads.reserve(
                state,
                loads.holder(as_mentor(mentor)),
                match["match_id"],
                match["program_id"],
                match["hours"],
                room,
                shared=rules.shared_hours,
            )
            return Decision(state=held if held is not state else None)

        try:
            holder = match.get("holder") or loads.holder(as_mentor(mentor))
            applied = await self.stores.loads.apply(holder, hold)
        except loads.NoCapacity as exc:
            raise Refused("mentor_id", str(exc), match) from None
        return applied.outcome is Outcome.APPLIED

    async def _supersede_other_options(self, picked: State) -> None:
        for other in await self.stores.matches_in(picked["program_id"]):
            if other["mentee_id"] == picked["mentee_id"] and other["status"] == "shortlisted":

                def step(state: State | None) -> Decision:
                    assert state is not None
                    ended, event = matches.supersede(state, "the mentee picked another option")
                    return emitting(ended, event)

                await self._decide(other["match_id"], step)

    async def swap(self, match: State, mentor_id: str, reason: str) -> State:
        """A coordinator replaces the proposed mentor of a match in review with another:
        the new proposal (capacity held) first, then the old one is ended."""
        if match["status"] != "in_review":
            raise Refused("match_id", f"match {match['match_id']} is {match['status']}", match)
        cause = f"{match['match_id']}:swap:{mentor_id}"
        refused = await self.matchmaker.pairs.offer_pair(match, mentor_id, cause)
        if refused is not None:
            raise Refused("mentor_id", refused, match)

        def step(state: State | None) -> Decision:
            assert state is not None
            ended, event = matches.supersede(state, f"swapped by a coordinator: {reason}")
            return emitting(ended, event)

        return await self._decide(match["match_id"], step)

    async def fit_check(self, match: State, by: Decider, fits: bool, reason: str) -> State:
        """After the first session: a pair that does not fit is ended and the mentee
        placed again, never with this mentor; a fit is recorded."""
        if match["status"] != "confirmed":
            raise Refused("match_id", f"match {match['match_id']} is {match['status']}", match)
        if not fits:
            ended = await self.rematcher.end(
                match, MatchEndReason.REMATCHED, EndCause.FIT_CHECK_FAILED, reason
            )
            return ended or await self._current(match)

        def step(state: State | None) -> Decision:
            assert state is not None
            return Decision(state=matches.record_fit(state, by))

        return await self._decide(match["match_id"], step)

    async def _current(self, match: State) -> State:
        state = await self.stores.matches.get_state(match["match_id"])
        assert state is not None
        return state
