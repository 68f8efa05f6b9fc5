"""Matches over HTTP: read a proposal; accept, decline, approve, swap it; the first
session's fit check; why not another mentor."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends
from mentornet_chassis.errors import Conflict, Forbidden, NotFound, Refusal
from mentornet_chassis.http.auth import Principal
from mentornet_chassis.http.guard import caller, guarded_router
from mentornet_chassis.http.policy import Grant, allow
from mentornet_contracts.events.matches import Decider
from pydantic import BaseModel, ConfigDict, Field

from .decisions import Decisions, Refused
from .domain.candidates import programs_of
from .store import MatcherStores

MENTOR, MENTEE, TEAM = Grant.MENTOR, Grant.MENTEE, (Grant.COORDINATOR, Grant.SERVICE)


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
    """Who is deciding, of those the policy admitted: the mentee or mentor of this match,
    else its program's team."""
    if match["mentee_id"] in principal.ids:
        return Decider.MENTEE
    if match["mentor_id"] in principal.ids:
        return Decider.MENTOR
    return Decider.COORDINATOR


def _refused(exc: Refused) -> Refusal:
    """409 with the match as it now is, so the client can show the current state."""
    return Conflict(exc.field, exc.reason, match=exc.match)


def create_router(stores: MatcherStores, decisions: Decisions) -> APIRouter:
    router = guarded_router(tags=["matches"])
    matchmaker = decisions.matchmaker

    async def visible(match_id: str, principal: Principal) -> tuple[dict[str, Any], Decider]:
        match = await stores.matches.get_state(match_id)
        if match is None:
            raise NotFound("match_id", f"no match {match_id}")
        return match, _decider(principal, match)

    @router.get("/matches/{match_id}", **allow("matches.read", MENTOR, MENTEE, *TEAM, on="match"))
    async def get(match_id: str, principal: Principal = Depends(caller)) -> dict[str, Any]:
        return (await visible(match_id, principal))[0]

    @router.post("/matches/{match_id}/accept", **allow("matches.accept", MENTOR, *TEAM, on="match"))
    async def accept(match_id: str, principal: Principal = Depends(caller)) -> dict[str, Any]:
        """The mentor accepts a proposal: the match is confirmed."""
        match, by = await visible(match_id, principal)
        try:
            return await decisions.accept(match, by)
        except Refused as exc:
            raise _refused(exc) from None

    @router.post(
        "/matches/{match_id}/decline", **allow("matches.decline", MENTOR, MENTEE, *TEAM, on="match")
    )
    async def decline(
        match_id: str, body: Decline, principal: Principal = Depends(caller)
    ) -> dict[str, Any]:
        """Mentee or mentor declines, or a coordinator rejects a proposal in review; the
        mentee is placed again without this pair."""
        match, by = await visible(match_id, principal)
        try:
            return await decisions.decline(match, by, body.reason)
        except Refused as exc:
            raise _refused(exc) from None

    @router.post(
        "/matches/{match_id}/approve", **allow("matches.approve", MENTEE, *TEAM, on="match")
    )
    async def approve(match_id: str, principal: Principal = Depends(caller)) -> dict[str, Any]:
        """A coordinator approves a proposal in review, or the mentee picks a shortlisted
        option; the mentor's capacity is reserved and the mentor is asked."""
        match, by = await visible(match_id, principal)
        if by == Decider.MENTEE and match["status"] == "in_review":
            raise Forbidden("Authorization", "a coordinator approves proposals in review")
        try:
            return await decisions.approve(match, by)
        except Refused as exc:
            raise _refused(exc) from None

    @router.get(
        "/matches/{match_id}/why-not/{mentor_id}",
        **allow("matches.why_not", MENTEE, *TEAM, on="match"),
    )
    async def why_not(
        match_id: str, mentor_id: str, principal: Principal = Depends(caller)
    ) -> dict[str, Any]:
        """Why this mentor was not proposed for this match's mentee."""
        match, _ = await visible(match_id, principal)
        reason = await matchmaker.pairs.why_not(match, mentor_id)
        if reason is None:
            raise NotFound("mentor_id", f"no mentor {mentor_id} in program {match['program_id']}")
        return {"match_id": match_id, "mentor_id": mentor_id, "reason": reason}

    @router.post("/matches/{match_id}/swap", **allow("matches.swap", *TEAM, on="match"))
    async def swap(
        match_id: str, body: Swap, principal: Principal = Depends(caller)
    ) -> dict[str, Any]:
        """A coordinator proposes another mentor instead of the one in review."""
        match, _ = await visible(match_id, principal)
        mentor = await stores.candidates.get_state(body.mentor_id)
        if programs_of(mentor).get("mentor") != match["program_id"]:
            raise NotFound("mentor_id", f"no mentor {body.mentor_id} in {match['program_id']}")
        try:
            await decisions.swap(match, body.mentor_id, body.reason)
        except Refused as exc:
            raise _refused(exc) from None
        return {"match_id": match_id, "status": "superseded", "mentor_id": body.mentor_id}

    @router.post(
        "/matches/{match_id}/fit-check",
        **allow("matches.fit_check", MENTOR, MENTEE, *TEAM, on="match"),
    )
    async def fit_check(
        match_id: str, body: FitCheck, principal: Principal = Depends(caller)
    ) -> dict[str, Any]:
        """After the first session: a pair that does not fit is ended and the mentee is
        placed again with someone else."""
        match, by = await visible(match_id, principal)
        try:
            return await decisions.fit_check(match, by, body.fits, body.reason)
        except Refused as exc:
            raise _refused(exc) from None

    return router
