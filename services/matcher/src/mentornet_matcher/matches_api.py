"""Matches over HTTP: read a proposal, accept or decline it, run matching on demand."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import APIRouter, Depends, Request
from mentornet_chassis.aggregates import Decision, State
from mentornet_chassis.auth import Principal, Role, forbidden, requiring
from mentornet_chassis.http import ApiError, not_found
from mentornet_contracts import new_envelope
from mentornet_contracts.events.matches import Decider
from pydantic import BaseModel, ConfigDict, Field

from .domain import loads, matches
from .matchmaker import SERVICE, Matchmaker
from .store import MatcherStores

Current = Callable[[Request], Awaitable[Principal]]


class Decline(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(default="", max_length=500, description="Why, in a few words.")


def _decider(principal: Principal, match: dict[str, Any]) -> Decider:
    """Who is deciding: the mentee or mentor of this match, or a coordinator of its program."""
    if principal.subject == match["mentee_id"]:
        return Decider.MENTEE
    if principal.subject == match["mentor_id"]:
        return Decider.MENTOR
    if principal.runs(match["program_id"]) or principal.has(Role.SERVICE):
        return Decider.COORDINATOR
    raise forbidden(f"you are not part of match {match['match_id']}")


def _not_open(exc: matches.MatchNotOpen) -> ApiError:
    error = ApiError(409, "conflict", "match_id", str(exc))
    error.body["match"] = exc.match
    return error


def create_router(stores: MatcherStores, matchmaker: Matchmaker, current: Current) -> APIRouter:
    router = APIRouter(tags=["matches"])

    async def visible(match_id: str, principal: Principal) -> tuple[dict[str, Any], Decider]:
        match = await stores.matches.get_state(match_id)
        if match is None:
            raise not_found("match_id", f"no match {match_id}")
        return match, _decider(principal, match)

    @router.get("/matches/{match_id}")
    async def get(match_id: str, principal: Principal = Depends(current)) -> dict[str, Any]:
        return (await visible(match_id, principal))[0]

    @router.post("/matches/{match_id}/accept")
    async def accept(match_id: str, principal: Principal = Depends(current)) -> dict[str, Any]:
        _, by = await visible(match_id, principal)
        if by == Decider.MENTEE:
            raise forbidden("the mentor or a coordinator accepts a proposal")
        try:
            applied = await stores.matches.apply(match_id, lambda state: _accepted(state, by))
        except matches.MatchNotOpen as exc:
            raise _not_open(exc) from None
        matchmaker.wake_relay()
        assert applied.state is not None
        return applied.state

    @router.post("/matches/{match_id}/decline")
    async def decline(
        match_id: str, body: Decline, principal: Principal = Depends(current)
    ) -> dict[str, Any]:
        match, by = await visible(match_id, principal)
        try:
            applied = await stores.matches.apply(
                match_id, lambda state: _declined(state, by, body.reason)
            )
        except matches.MatchNotOpen as exc:
            raise _not_open(exc) from None
        await stores.loads.apply(
            match["mentor_id"],
            lambda state: _released(state, match["mentor_id"], match_id),
        )
        await matchmaker.place(
            match["program_id"], f"{match_id}:declined", only={match["mentee_id"]}
        )
        assert applied.state is not None
        return applied.state

    @router.get("/programs/{program_id}/matches")
    async def listing(
        program_id: str, principal: Principal = requiring(current, Role.COORDINATOR, Role.SERVICE)
    ) -> dict[str, Any]:
        """Every match of the program with its explanation, and who is waiting and why."""
        if not (principal.runs(program_id) or principal.has(Role.SERVICE)):
            raise forbidden(f"you do not coordinate program {program_id}")
        return {
            "program_id": program_id,
            "matches": await stores.matches_in(program_id),
            "waitlisted": await stores.waiting_in(program_id),
        }

    @router.post("/programs/{program_id}/matching-runs")
    async def run(
        program_id: str, principal: Principal = requiring(current, Role.COORDINATOR, Role.SERVICE)
    ) -> dict[str, Any]:
        """Place every unplaced mentee of the program now (a batch, certified optimal)."""
        if not (principal.runs(program_id) or principal.has(Role.SERVICE)):
            raise forbidden(f"you do not coordinate program {program_id}")
        if await stores.programs.get_state(program_id) is None:
            raise not_found("program_id", f"no published program {program_id}")
        placement = await matchmaker.place(program_id, f"run-{uuid.uuid4().hex}")
        return {
            "program_id": program_id,
            "proposed": placement.proposed,
            "waitlisted": placement.waitlisted,
            "total_score": placement.total_score,
            "optimality_gap": placement.gap,
        }

    return router


def _accepted(state: State | None, by: Decider) -> Decision:
    assert state is not None
    match, accepted, confirmed = matches.accept(state, by)
    first = new_envelope(accepted, SERVICE)
    return Decision(state=match, events=[first, new_envelope(confirmed, SERVICE, caused_by=first)])


def _declined(state: State | None, by: Decider, reason: str) -> Decision:
    assert state is not None
    match, event = matches.decline(state, by, reason)
    return Decision(state=match, events=[new_envelope(event, SERVICE)])


def _released(state: State | None, mentor_id: str, match_id: str) -> Decision:
    return Decision(state=loads.release(state, mentor_id, match_id))
