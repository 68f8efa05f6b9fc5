"""Async check-ins over HTTP: the mentee's reflection, then the mentor's reply."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends
from mentornet_chassis.http.guard import guarded_router
from mentornet_chassis.http.policy import Grant, allow
from mentornet_chassis.http.provided import provided

from ..domain.checkin_words import CheckinView, ReflectionBody, ReplyBody
from ..usecases.checkins import Checkins
from . import access
from .access import Caller
from .views import CheckinAnswer, MatchCheckins

router = guarded_router(tags=["check-ins"])
Desk = Annotated[Checkins, Depends(provided(Checkins))]


@router.get(
    "/checkins/{session_id}",
    response_model=CheckinAnswer,
    response_model_exclude_unset=True,
    **allow("checkins.read", *access.SEE, on="session"),
)
async def read(session_id: str, checkins: Desk, viewer: Caller) -> CheckinView:
    """The check-in, where it stands (`state`) and the parts the caller may read: the
    pair and the program's team read both; a reflection's private note is not the
    mentor's to read."""
    return await checkins.read(session_id, viewer)


@router.get(
    "/matches/{match_id}/checkins",
    response_model=MatchCheckins,
    response_model_exclude_unset=True,
    **allow("checkins.of_match", *access.SEE, on="match"),
)
async def of_match(match_id: str, checkins: Desk, viewer: Caller) -> dict[str, object]:
    """The match's async check-ins in their order, each as GET /checkins/{id} shows it
    (none for a match that meets live)."""
    return {"match_id": match_id, "checkins": await checkins.of_match(match_id, viewer)}


@router.post(
    "/checkins/{session_id}/reflection",
    status_code=201,
    response_model=CheckinAnswer,
    response_model_exclude_unset=True,
    **allow("checkins.reflect", Grant.MENTEE, on="session"),
)
async def reflect(session_id: str, body: ReflectionBody, checkins: Desk) -> CheckinView:
    """The mentee's written reflection: once, between the check-in's opening and its
    due time (409 with the state otherwise)."""
    return await checkins.reflect(session_id, body)


@router.post(
    "/checkins/{session_id}/reply",
    status_code=201,
    response_model=CheckinAnswer,
    response_model_exclude_unset=True,
    **allow("checkins.reply", Grant.MENTOR, on="session"),
)
async def reply(session_id: str, body: ReplyBody, checkins: Desk) -> CheckinView:
    """The mentor's written reply: once, after the reflection, before the due time
    (409 with the state otherwise)."""
    return await checkins.reply(session_id, body)
