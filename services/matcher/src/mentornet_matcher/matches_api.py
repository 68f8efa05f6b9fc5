"""Matches over HTTP: read a proposal; accept, decline, approve, swap it; the first
session's fit check; why not another mentor."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import APIRouter, Depends, Request
from mentornet_chassis.auth import Principal, Role, forbidden
from mentornet_chassis.http import ApiError, conflict, not_found
from mentornet_contracts.events.matches import Decider
from pydantic import BaseModel, ConfigDict, Field

from .decisions import Decisions, Refused
from .domain.candidates import programs_of
from .store import MatcherStores

Current = Callable[[Request], Awaitable[Principal]]


class Decline(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(default="", max_length=500, description="Why, in a few words.")


class Swap(BaseModel):
    model_config = ConfigDict(extra="forbid")

    mentor_id: str = Field(min_length=1, max_length=64, description="The mentor to propose.")
    reason: str = Field(default="", max_length=500, description="Why, in a few words.")


class FitCheck(BaseModel):
    model_config = ConfigDict(extra="forbid")

    fits: bool = Field(description="Whether the pair fits, after the first session.")
    reason: str = Field(default="", max_length=500, description="Why not, in a few words.")


def _decider(principal: Principal, match: dict[str, Any]) -> Decider:
    """Who is deciding: the mentee or mentor of this match, or a coordinator of its program."""
    if principal.subject == match["mentee_id"]:
        return Decider.MENTEE
    if principal.subject == match["mentor_id"]:
        return Decider.MENTOR
    if principal.runs(match["program_id"]) or principal.has(Role.SERVICE):
        return Decider.COORDINATOR
    raise forbidden(f"you are not part of match {match['match_id']}")


def _refused(exc: Refused) -> ApiError:
    """409 with the match as it now is, so the client can show the current state."""
    return conflict(exc.field, exc.reason, match=exc.match)


def create_router(stores: MatcherStores, decisions: Decisions, current: Current) -> APIRouter:
    router = APIRouter(tags=["matches"])
    matchmaker = decisions.matchmaker

    async def visible(match_id: str, principal: Principal) -> tuple[dict[str, Any], Decider]:
        match = await stores.matches.get_state(match_id)
        if match is None:
            raise not_found("match_id", f"no match {match_id}")
        return match, _decider(principal, match)

    async def deciding(
        match_id: str, principal: Principal, allowed: tuple[Decider, ...]
    ) -> tuple[dict[str, Any], Decider]:
        match, by = await visible(match_id, principal)
        if by not in allowed:
            raise forbidden(f"the {' or '.join(allowed)} decides this")
        return match, by

    @router.get("/matches/{match_id}")
    async def get(match_id: str, principal: Principal = Depends(current)) -> dict[str, Any]:
        return (await visible(match_id, principal))[0]

    @router.post("/matches/{match_id}/accept")
    async def accept(match_id: str, principal: Principal = Depends(current)) -> dict[str, Any]:
        """The mentor accepts a proposal: the match is confirmed."""
        match, by = await deciding(match_id, principal, (Decider.MENTOR, Decider.COORDINATOR))
        try:
            return await decisions.accept(match, by)
        except Refused as exc:
            raise _refused(exc) from None

    @router.post("/matches/{match_id}/decline")
    async def decline(
        match_id: str, body: Decline, principal: Principal = Depends(current)
    ) -> dict[str, Any]:
        """Mentee or mentor declines, or a coordinator rejects a proposal in review; the
        mentee is placed again without this pair."""
        match, by = await visible(match_id, principal)
        try:
            return await decisions.decline(match, by, body.reason)
        except Refused as exc:
            raise _refused(exc) from None

    @router.post("/matches/{match_id}/approve")
    async def approve(match_id: str, principal: Principal = Depends(current)) -> dict[str, Any]:
        """A coordinator approves a proposal in review, or the mentee picks a shortlisted
        option; the mentor's capacity is reserved and the mentor is asked."""
        match, by = await deciding(match_id, principal, (Decider.COORDINATOR, Decider.MENTEE))
        if by == Decider.MENTEE and match["status"] == "in_review":
            raise forbidden("a coordinator approves proposals in review")
        try:
            return await decisions.approve(match, by)
        except Refused as exc:
            raise _refused(exc) from None

    @router.get("/matches/{match_id}/why-not/{mentor_id}")
    async def why_not(
        match_id: str, mentor_id: str, principal: Principal = Depends(current)
    ) -> dict[str, Any]:
        """Why this mentor was not proposed for this match's mentee."""
        match, by = await visible(match_id, principal)
        if by == Decider.MENTOR:
            raise forbidden("the mentee or a coordinator asks this")
        reason = await matchmaker.pairs.why_not(match, mentor_id)
        if reason is None:
            raise not_found("mentor_id", f"no mentor {mentor_id} in program {match['program_id']}")
        return {"match_id": match_id, "mentor_id": mentor_id, "reason": reason}

    @router.post("/matches/{match_id}/swap")
    async def swap(
        match_id: str, body: Swap, principal: Principal = Depends(current)
    ) -> dict[str, Any]:
        """A coordinator proposes another mentor instead of the one in review."""
        match, _ = await deciding(match_id, principal, (Decider.COORDINATOR,))
        mentor = await stores.candidates.get_state(body.mentor_id)
        if programs_of(mentor).get("mentor") != match["program_id"]:
            raise not_found("mentor_id", f"no mentor {body.mentor_id} in {match['program_id']}")
        try:
            await decisions.swap(match, body.mentor_id, body.reason)
        except Refused as exc:
            raise _refused(exc) from None
        return {"match_id": match_id, "status": "superseded", "mentor_id": body.mentor_id}

    @router.post("/matches/{match_id}/fit-check")
    async def fit_check(
        match_id: str, body: FitCheck, principal: Principal = Depends(current)
    ) -> dict[str, Any]:
        """After the first session: a pair that does not fit is ended and the mentee is
        placed again with someone else."""
        match, by = await visible(match_id, principal)
        try:
            return await decisions.fit_check(match, by, body.fits, body.reason)
        except Refused as exc:
            raise _refused(exc) from None

    return router
