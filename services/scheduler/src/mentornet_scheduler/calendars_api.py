"""iCalendar over HTTP: one session's .ics, a participant's feed (a signed URL that
calendar apps can subscribe to without a bearer token), and a cohort's slot."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response
from mentornet_chassis.errors import Forbidden, NotFound
from mentornet_chassis.http.auth import Principal
from mentornet_chassis.http.guard import caller, guarded_router
from mentornet_chassis.http.policy import Grant, allow
from mentornet_chassis.store.aggregates import Decision

from .domain import calendars, ics, matches
from .store import SchedulerStores

ICS = "text/calendar; charset=utf-8"
ICS_RESPONSE: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "An iCalendar file.",
        "content": {"text/calendar": {"schema": {"type": "string"}}},
    }
}


class FeedSigner:
    """Feed URLs carry an HMAC of the participant id, their feed token and an expiry:
    rotating the token (or erasing the person) stops every earlier URL of theirs,
    rotating the key stops everyone's, and each stops by itself after `days`."""

    def __init__(self, key: bytes, public_url: str, days: int = 365) -> None:
        self.key = key
        self.public_url = public_url.rstrip("/")
        self.seconds = days * 86400

    def signature(self, participant_id: str, token: str, expires: int) -> str:
        message = f"{participant_id}:{token}:{expires}".encode()
        return hmac.new(self.key, message, hashlib.sha256).hexdigest()[:40]

    def url(self, participant_id: str, token: str) -> str:
        expires = int(time.time() + self.seconds)
        key = self.signature(participant_id, token, expires)
        return f"{self.public_url}/calendars/{participant_id}.ics?expires={expires}&key={key}"

    def check(self, participant_id: str, token: str | None, expires: int, key: str) -> bool:
        if not token or expires < time.time():
            return False
        return hmac.compare_digest(self.signature(participant_id, token, expires), key)


def create_router(
    stores: SchedulerStores,
    signer: FeedSigner,
    clock: Callable[[], datetime],
) -> APIRouter:
    router = guarded_router(tags=["calendars"])
    own_feed = allow("calendars.feed", Grant.SELF, Grant.SERVICE, on="participant", hide=True)
    pair_or_team = (Grant.MENTOR, Grant.MENTEE, Grant.COORDINATOR, Grant.SERVICE)

    async def zone_of(participant_id: str) -> str:
        found = calendars.availability(await stores.calendars.get_state(participant_id))
        return found.timezone if found is not None else "UTC"

    @router.get(
        "/sessions/{session_id}.ics",
        response_class=Response,
        responses=ICS_RESPONSE,
        **allow("sessions.ics", *pair_or_team, on="session"),
    )
    async def session_ics(session_id: str, principal: Principal = Depends(caller)) -> Response:
        """The session in the caller's own zone (UTC for coordinators)."""
        match = await stores.match_with_session(session_id)
        if match is None:
            raise NotFound("session_id", f"no session {session_id}")
        session = matches.find(match, session_id)
        assert session is not None
        mine = principal.one_of(match["mentor_id"], match["mentee_id"])
        shown = await zone_of(mine) if mine is not None else "UTC"
        body = ics.calendar([(match, session)], shown, clock(), f"MentorNet session {session_id}")
        return Response(body, media_type=ICS)

    async def feed_token(participant_id: str, *, rotate: bool) -> str:
        fresh = secrets.token_urlsafe(18)

        def decide(state: dict[str, Any] | None) -> Decision:
            if state is None or state.get("status") != calendars.ACTIVE:
                raise NotFound("participant_id", f"no calendar for {participant_id}")
            if state.get("feed_token") and not rotate:
                return Decision(state=None)
            return Decision({**state, "feed_token": fresh})

        applied = await stores.calendars.apply(participant_id, decide)
        assert applied.state is not None
        return str(applied.state["feed_token"])

    @router.get("/participants/{participant_id}/calendar-feed", **own_feed)
    async def feed_url(participant_id: str) -> dict[str, str]:
        """The participant's feed URL: subscribe to it in any calendar app."""
        token = await feed_token(participant_id, rotate=False)
        return {"participant_id": participant_id, "url": signer.url(participant_id, token)}

    @router.post("/participants/{participant_id}/calendar-feed/rotate", **own_feed)
    async def rotate_feed(participant_id: str) -> dict[str, str]:
        """A new feed URL; the old one stops working (a leaked link, say)."""
        token = await feed_token(participant_id, rotate=True)
        return {"participant_id": participant_id, "url": signer.url(participant_id, token)}

    @router.get(
        "/calendars/{participant_id}.ics",
        response_class=Response,
        responses=ICS_RESPONSE,
        **allow("calendars.subscribe", Grant.PUBLIC),
    )
    async def feed(
        participant_id: str,
        expires: int = Query(description="When the feed URL stops working (epoch seconds)."),
        key: str = Query(description="The feed URL's signature."),
    ) -> Response:
        """Every session of the participant, in their zone; cancelled ones as CANCELLED."""
        calendar = await stores.calendars.get_state(participant_id)
        if not signer.check(participant_id, (calendar or {}).get("feed_token"), expires, key):
            raise Forbidden("key", "not a current feed signature, or expired")
        found = [(m, s) for m in await stores.matches_of(participant_id) for s in m["sessions"]]
        body = ics.calendar(found, await zone_of(participant_id), clock(), "MentorNet sessions")
        return Response(body, media_type=ICS)

    @router.get("/cohorts/{cohort_id}", **allow("cohorts.read", *pair_or_team, on="cohort"))
    async def cohort(cohort_id: str, principal: Principal = Depends(caller)) -> dict[str, Any]:
        """The cohort's weekly slot and sessions. Its mentor and coordinators also see who
        attends and who cannot and why; a member sees only their own place."""
        found = await stores.cohorts.get_state(cohort_id)
        if found is None:
            raise NotFound("cohort_id", f"no cohort {cohort_id}")
        public = {
            k: found.get(k)
            for k in ("cohort_id", "program_id", "mentor_id", "status", "slot", "sessions")
        }
        me = principal.one_of(*found["members"].values())
        if me is not None and me != found["mentor_id"]:
            attending = me in found.get("attending", [])
            return {**public, "attending": attending, "reason": found.get("unable", {}).get(me)}
        return {**public, **{k: found.get(k) for k in ("members", "attending", "unable", "detail")}}

    return router
