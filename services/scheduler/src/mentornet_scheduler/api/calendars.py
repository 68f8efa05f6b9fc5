"""iCalendar over HTTP: one session's .ics, and a participant's feed (a signed URL that
calendar apps can subscribe to without a bearer token)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Query
from fastapi.responses import Response
from mentornet_chassis.http.guard import SignedIn, guarded_router
from mentornet_chassis.http.policy import PAIR, TEAM, Grant, allow
from mentornet_chassis.http.provided import provided

from ..usecases.feeds import Feeds
from .views import FeedLink

ICS = "text/calendar; charset=utf-8"
ICS_RESPONSE: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "An iCalendar file.",
        "content": {"text/calendar": {"schema": {"type": "string"}}},
    }
}
Calendars = Annotated[Feeds, Depends(provided(Feeds))]
router = guarded_router(tags=["calendars"])
own_feed = allow("calendars.feed", Grant.SELF, Grant.SERVICE, on="participant", hide=True)
pair_or_team = (*PAIR, *TEAM)


@router.get(
    "/sessions/{session_id}.ics",
    response_class=Response,
    responses=ICS_RESPONSE,
    **allow("sessions.ics", *pair_or_team, on="session"),
)
async def session_ics(session_id: str, feeds: Calendars, principal: SignedIn) -> Response:
    """The session in the caller's own zone (UTC for coordinators)."""
    body = await feeds.session_ics(session_id, principal.ids)
    return Response(body, media_type=ICS)


@router.get("/participants/{participant_id}/calendar-feed", response_model=FeedLink, **own_feed)
async def feed_url(participant_id: str, feeds: Calendars) -> dict[str, str]:
    """The participant's feed URL: subscribe to it in any calendar app."""
    url = await feeds.url(participant_id, rotate=False)
    return {"participant_id": participant_id, "url": url}


@router.post(
    "/participants/{participant_id}/calendar-feed/rotate", response_model=FeedLink, **own_feed
)
async def rotate_feed(participant_id: str, feeds: Calendars) -> dict[str, str]:
    """A new feed URL; the old one stops working (a leaked link, say)."""
    url = await feeds.url(participant_id, rotate=True)
    return {"participant_id": participant_id, "url": url}


@router.get(
    "/calendars/{participant_id}.ics",
    response_class=Response,
    responses=ICS_RESPONSE,
    **allow("calendars.subscribe", Grant.PUBLIC),
)
async def feed(
    participant_id: str,
    feeds: Calendars,
    expires: int = Query(description="When the feed URL stops working (epoch seconds)."),
    key: str = Query(description="The feed URL's signature."),
) -> Response:
    """Every session of the participant, in their zone; cancelled ones as CANCELLED."""
    return Response(await feeds.feed(participant_id, expires, key), media_type=ICS)
