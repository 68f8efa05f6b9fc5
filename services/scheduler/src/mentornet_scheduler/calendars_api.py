"""iCalendar over HTTP: one session's .ics, a participant's feed (a signed URL that
calendar apps can subscribe to without a bearer token), and a cohort's slot."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from mentornet_chassis.aggregates import Decision
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
    """Feed URLs carry an HMAC of the participant id and their feed token: rotating the
    token (or erasing the person) makes every earlier URL stop working."""

    def __init__(self, key: bytes, public_url: str) -> None:
        self.key = key
        self.public_url = public_url.rstrip("/")

    def signature(self, participant_id: str, token: str) -> str:
        message = f"{participant_id}:{token}".encode()
        return hmac.new(self.key, message, hashlib.sha256).hexdigest()[:40]

    def url(self, participant_id: str, token: str) -> str:
        key = self.signature(participant_id, token)
        return f"{self.public_url}/calendars/{participant_id}.ics?key={key}"

    def check(self, participant_id: str, token: str | None, key: str) -> bool:
        if not token:
            return False
        return hmac.compare_digest(self.signature(participant_id, token), key)


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

    async def feed_token(participant_id: str, *, rotate: bool) -> str:
        fresh = secrets.token_urlsafe(18)

        def decide(state: dict[str, Any] | None) -> Decision:
            if state is None or state.get("status") != calendars.ACTIVE:
                raise not_found("participant_id", f"no calendar for {participant_id}")
            if state.get("feed_token") and not rotate:
                return Decision(state=None)
            return Decision({**state, "feed_token": fresh})

        applied = await stores.calendars.apply(participant_id, decide)
        assert applied.state is not None
        return str(applied.state["feed_token"])

    def own_feed(participant_id: str, principal: Principal) -> None:
        if not principal.is_self(participant_id) and not principal.has(Role.SERVICE):
            raise forbidden("a participant gets only their own feed")

    @router.get("/participants/{participant_id}/calendar-feed")
    async def feed_url(
        participant_id: str, principal: Principal = Depends(current)
    ) -> dict[str, str]:
        """The participant's feed URL: subscribe to it in any calendar app."""
        own_feed(participant_id, principal)
        token = await feed_token(participant_id, rotate=False)
        return {"participant_id": participant_id, "url": signer.url(participant_id, token)}

    @router.post("/participants/{participant_id}/calendar-feed/rotate")
    async def rotate_feed(
        participant_id: str, principal: Principal = Depends(current)
    ) -> dict[str, str]:
        """A new feed URL; the old one stops working (a leaked link, say)."""
        own_feed(participant_id, principal)
        token = await feed_token(participant_id, rotate=True)
        return {"participant_id": participant_id, "url": signer.url(participant_id, token)}

    @router.get("/calendars/{participant_id}.ics", response_class=Response, responses=ICS_RESPONSE)
    async def feed(
        participant_id: str, key: str = Query(description="The feed URL's signature.")
    ) -> Response:
        """Every session of the participant, in their zone; cancelled ones as CANCELLED."""
        calendar = await stores.calendars.get_state(participant_id)
        if not signer.check(participant_id, (calendar or {}).get("feed_token"), key):
            raise ApiError(403, "forbidden", "key", "not a current feed signature")
        found = [(m, s) for m in await stores.matches_of(participant_id) for s in m["sessions"]]
        body = ics.calendar(found, await zone_of(participant_id), clock(), "MentorNet sessions")
        return Response(body, media_type=ICS)

    @router.get("/cohorts/{cohort_id}")
    async def cohort(cohort_id: str, principal: Principal = Depends(current)) -> dict[str, Any]:
        """The cohort's weekly slot and sessions. Its mentor and coordinators also see who
        attends and who cannot and why; a member sees only their own place."""
        found = await stores.cohorts.get_state(cohort_id)
        if found is None:
            raise not_found("cohort_id", f"no cohort {cohort_id}")
        public = {
            k: found.get(k)
            for k in ("cohort_id", "program_id", "mentor_id", "status", "slot", "sessions")
        }
        if principal.subject == found["mentor_id"] or access.oversees(principal, found):
            return {
                **public,
                **{k: found.get(k) for k in ("members", "attending", "unable", "detail")},
            }
        if principal.subject in found["members"].values():
            me = principal.subject
            attending = me in found.get("attending", [])
            return {**public, "attending": attending, "reason": found.get("unable", {}).get(me)}
        raise forbidden(f"you are not in cohort {cohort_id}")

    return router
