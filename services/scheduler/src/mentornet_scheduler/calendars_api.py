"""iCalendar over HTTP: one session's .ics, a participant's feed (a signed URL that
calendar apps can subscribe to without a bearer token), and a cohort's slot."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from mentornet_chassis.auth import Principal, Role, forbidden
from mentornet_chassis.http import ApiError, not_found

from . import access
from .domain import calendars, ics, matches
from .store import SchedulerStores

Current = Callable[[Request], Awaitable[Principal]]
ICS = "text/calendar; charset=utf-8"
ICS_RESPONSE: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "An iCalendar file.",
        "content": {"text/calendar": {"schema": {"type": "string"}}},
    }
}


class FeedSigner:
    def __init__(self, key: bytes, public_url: str) -> None:
        self.key = key
        self.public_url = public_url.rstrip("/")

    def signature(self, participant_id: str) -> str:
        return hmac.new(self.key, participant_id.encode(), hashlib.sha256).hexdigest()[:32]

    def url(self, participant_id: str) -> str:
        return (
            f"{self.public_url}/calendars/{participant_id}.ics?key={self.signature(participant_id)}"
        )

    def check(self, participant_id: str, key: str) -> bool:
        return hmac.compare_digest(self.signature(participant_id), key)


def create_router(
    stores: SchedulerStores,
    signer: FeedSigner,
    current: Current,
    clock: Callable[[], datetime],
) -> APIRouter:
    router = APIRouter(tags=["calendars"])

    async def zone_of(participant_id: str) -> str:
        found = calendars.availability(await stores.calendars.get_state(participant_id))
        return found.timezone if found is not None else "UTC"

    @router.get("/sessions/{session_id}.ics", response_class=Response, responses=ICS_RESPONSE)
    async def session_ics(session_id: str, principal: Principal = Depends(current)) -> Response:
        """The session in the caller's own zone (UTC for coordinators)."""
        match = await stores.match_with_session(session_id)
        if match is None:
            raise not_found("session_id", f"no session {session_id}")
        access.may_see(principal, match)
        session = matches.find(match, session_id)
        assert session is not None
        shown = await zone_of(principal.subject) if access.party(principal, match) else "UTC"
        body = ics.calendar([(match, session)], shown, clock(), f"MentorNet session {session_id}")
        return Response(body, media_type=ICS)

    @router.get("/participants/{participant_id}/calendar-feed")
    async def feed_url(
        participant_id: str, principal: Principal = Depends(current)
    ) -> dict[str, str]:
        """The participant's feed URL: subscribe to it in any calendar app."""
        if not principal.is_self(participant_id) and not principal.has(Role.SERVICE):
            raise forbidden("a participant gets only their own feed")
        return {"participant_id": participant_id, "url": signer.url(participant_id)}

    @router.get("/calendars/{participant_id}.ics", response_class=Response, responses=ICS_RESPONSE)
    async def feed(
        participant_id: str, key: str = Query(description="The feed URL's signature.")
    ) -> Response:
        """Every session of the participant, in their zone; cancelled ones as CANCELLED."""
        if not signer.check(participant_id, key):
            raise ApiError(403, "forbidden", "key", "not this participant's feed signature")
        found = [(m, s) for m in await stores.matches_of(participant_id) for s in m["sessions"]]
        body = ics.calendar(found, await zone_of(participant_id), clock(), "MentorNet sessions")
        return Response(body, media_type=ICS)

    @router.get("/cohorts/{cohort_id}")
    async def cohort(cohort_id: str, principal: Principal = Depends(current)) -> dict[str, Any]:
        """The cohort's members, weekly slot, who attends and who cannot and why."""
        found = await stores.cohorts.get_state(cohort_id)
        if found is None:
            raise not_found("cohort_id", f"no cohort {cohort_id}")
        member = principal.subject in (found["mentor_id"], *found["members"].values())
        if not member and not access.oversees(principal, found):
            raise forbidden(f"you are not in cohort {cohort_id}")
        return {k: v for k, v in found.items() if k != "due_epoch"}

    return router
