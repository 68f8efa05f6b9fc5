"""Matches over HTTP: read a proposal; accept, decline, approve, swap it; the first
session's fit check; why not another mentor; pause and resume a confirmed match, and
withdraw one's own open request to pause or resume."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import Body, Depends, Response, status
from mentornet_chassis.http.guard import SignedIn, guarded_router
from mentornet_chassis.http.policy import PAIR, TEAM, Grant, allow
from mentornet_contracts.events.matches import Decider, MatchEndReason
from mentornet_contracts.events.programs import MAX_PAUSE_WEEKS
from pydantic import BaseModel, ConfigDict, Field

from ..domain.documents import Match, MatchStatus
from ..domain.matches import decider
from ..usecases.pauses import PauseOutcome
from .parts import Deciding, Explaining, Pausing
from .views import MatchView, PausingView, SwappedView, WhyNotView

MENTOR, MENTEE = Grant.MENTOR, Grant.MENTEE
STATE: dict[str, Any] = {"response_model": MatchView, "response_model_exclude_unset": True}
"""For routes answering a match as it now is (api/views.py)."""

router = guarded_router(tags=["matches"])


class Decline(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"reason": "Our calendars never overlap: I am on call every Tuesday."}]
        },
    )

    reason: str = Field(default="", max_length=500, description="Why, in a few words.")


class Swap(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "mentor_id": "p-4c1d9e7a2b3f6a58",
                    "reason": "Priya knows the payments domain and has a free place.",
                }
            ]
        },
    )

    mentor_id: str = Field(min_length=1, max_length=64, description="The mentor to propose.")
    reason: str = Field(default="", max_length=500, description="Why, in a few words.")


class FitCheck(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "fits": False,
                    "reason": "We want different things: I need API design, not career advice.",
                }
            ]
        },
    )

    fits: bool = Field(description="Whether the pair fits, after the first session.")
    reason: str = Field(default="", max_length=500, description="Why not, in a few words.")


class PauseBody(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"weeks": 2, "reason": "Product launch: both of us are on release duty."}]
        },
    )

    weeks: int = Field(
        ge=1,
        le=MAX_PAUSE_WEEKS,
        description="How long, in weeks: 1 to the program's max_pause_weeks (default 4).",
        examples=[2],
    )
    reason: str = Field(
        min_length=1, max_length=500, description="Why, in plain words.", examples=["launch"]
    )


class ResumeBody(BaseModel):
    model_config = ConfigDict(extra="forbid")


ResumeRequest = Annotated[
    ResumeBody | None,
    Body(openapi_examples={"empty": {"summary": "The only body there is", "value": {}}}),
]


async def _visible(
    match_id: str, decisions: Deciding, principal: SignedIn
) -> tuple[Match, Decider]:
    """The match the path names, and who of it is asking."""
    match = await decisions.match(match_id)
    return match, decider(principal.ids, match)


Seen = Annotated[tuple[Match, Decider], Depends(_visible)]


@router.get("/matches/{match_id}", **STATE, **allow("matches.read", *PAIR, *TEAM, on="match"))
async def get(seen: Seen) -> Match:
    return seen[0]


@router.post(
    "/matches/{match_id}/accept", **STATE, **allow("matches.accept", MENTOR, *TEAM, on="match")
)
async def accept(seen: Seen, decisions: Deciding) -> Match:
    """The mentor accepts a proposal: the match is confirmed."""
    return await decisions.accept(*seen)


@router.post(
    "/matches/{match_id}/decline",
    **STATE,
    **allow("matches.decline", *PAIR, *TEAM, on="match"),
)
async def decline(body: Decline, seen: Seen, decisions: Deciding) -> Match:
    """Mentee or mentor declines, or a coordinator rejects a proposal in review; the
    mentee is placed again without this pair."""
    return await decisions.decline(*seen, body.reason)


@router.post(
    "/matches/{match_id}/approve",
    **STATE,
    **allow("matches.approve", MENTEE, *TEAM, on="match"),
)
async def approve(seen: Seen, decisions: Deciding) -> Match:
    """A coordinator approves a proposal in review, or the mentee picks a shortlisted
    option; the mentor's capacity is reserved and the mentor is asked."""
    return await decisions.approve(*seen)


@router.get(
    "/matches/{match_id}/why-not/{mentor_id}",
    response_model=WhyNotView,
    **allow("matches.why_not", MENTEE, *TEAM, on="match"),
)
async def why_not(mentor_id: str, seen: Seen, pairs: Explaining) -> WhyNotView:
    """Why this mentor was not proposed for this match's mentee."""
    match = seen[0]
    reason = await pairs.explain(match, mentor_id)
    return WhyNotView(match_id=match["match_id"], mentor_id=mentor_id, reason=reason)


@router.post(
    "/matches/{match_id}/swap",
    response_model=SwappedView,
    **allow("matches.swap", *TEAM, on="match"),
)
async def swap(body: Swap, seen: Seen, decisions: Deciding) -> SwappedView:
    """A coordinator proposes another mentor instead of the one in review."""
    match = seen[0]
    await decisions.swap(match, body.mentor_id, body.reason)
    return SwappedView(
        match_id=match["match_id"], status=MatchStatus.SUPERSEDED, mentor_id=body.mentor_id
    )


@router.post(
    "/matches/{match_id}/fit-check",
    **STATE,
    **allow("matches.fit_check", *PAIR, *TEAM, on="match"),
)
async def fit_check(body: FitCheck, seen: Seen, decisions: Deciding) -> Match:
    """After the first session: a pair that does not fit is ended and the mentee is
    placed again with someone else."""
    return await decisions.fit_check(*seen, body.fits, body.reason)


WAITING: dict[str, Any] = {
    "response_model": PausingView,
    "response_model_exclude_unset": True,
    "responses": {202: {"model": PausingView, "description": "Recorded; waiting for the other."}},
}
"""For the pair's requests: 200 once done, 202 with `waiting_for` until both asked."""


def _answer(outcome: PauseOutcome, response: Response) -> dict[str, Any]:
    if outcome.waiting_for:
        response.status_code = status.HTTP_202_ACCEPTED
    return {**outcome.match, "waiting_for": outcome.waiting_for}


@router.post(
    "/matches/{match_id}/pause", **WAITING, **allow("matches.pause", *PAIR, *TEAM, on="match")
)
async def pause(
    body: PauseBody, seen: Seen, pausing: Pausing, response: Response
) -> dict[str, Any]:
    """A coordinator pauses a confirmed match at once; its mentee or mentor asks, and
    the match pauses once both have (202 with `waiting_for` until then). `weeks` above
    the program's max_pause_weeks: 422; a match that is not active: 409 with it. A
    request lapses after 7 days and may be withdrawn (DELETE .../pause-request)."""
    return _answer(await pausing.pause(*seen, body.weeks, body.reason), response)


@router.post(
    "/matches/{match_id}/resume", **WAITING, **allow("matches.resume", *PAIR, *TEAM, on="match")
)
async def resume(
    seen: Seen, pausing: Pausing, response: Response, body: ResumeRequest = None
) -> dict[str, Any]:
    """The program's team ends a pause now. A pause the pair took ends early once both
    of them have asked (202 with `waiting_for` until then); a pause by a coordinator or
    by QA is the team's to end (409 naming `pause`). A match that is not paused: 409
    with it. The body, if any, is `{}`."""
    return _answer(await pausing.resume(*seen), response)


@router.delete(
    "/matches/{match_id}/pause-request",
    **STATE,
    **allow("matches.pause_request.withdraw", *PAIR, on="match"),
)
async def withdraw_pause_request(seen: Seen, pausing: Pausing) -> Match:
    """The mentee or mentor withdraws their own open request to pause (409 if they
    have none; a request lapses on its own after 7 days)."""
    return await pausing.withdraw(*seen, "pause")


@router.delete(
    "/matches/{match_id}/resume-request",
    **STATE,
    **allow("matches.resume_request.withdraw", *PAIR, on="match"),
)
async def withdraw_resume_request(seen: Seen, pausing: Pausing) -> Match:
    """The mentee or mentor withdraws their own open request to end the pair's pause
    early (409 if they have none; a request lapses on its own after 7 days)."""
    return await pausing.withdraw(*seen, "resume")


class EndBody(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "reason": "completed",
                    "detail": "Both goals reached; the pair wrapped up after 24 weeks.",
                }
            ]
        },
    )

    reason: Literal["completed", "withdrawn", "stalled", "other"] = Field(
        description="Why: completed (ran its course), or an early closure's reason code.",
        examples=["completed"],
    )
    detail: str = Field(default="", max_length=500, description="More on the reason.")


@router.post("/matches/{match_id}/end", **STATE, **allow("matches.end", *TEAM, on="match"))
async def end(body: EndBody, seen: Seen, decisions: Deciding) -> Match:
    """The program's team ends an active (confirmed or paused) match, early or as
    completed: match.ended with the reason (no cause), the mentor's place is free again
    and the mentee is not placed again. 409 with the match when it is not active."""
    return await decisions.close(seen[0], MatchEndReason(body.reason), body.detail)
