"""iCalendar for people's calendar apps: one session's .ics, and a participant's feed
behind a signed URL that calendar apps can subscribe to without a bearer token."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import datetime

from mentornet_chassis.errors import Forbidden, NotFound
from mentornet_chassis.process.signed_links import WALL_CLOCK, Clock, SignedLinks
from mentornet_chassis.store.typed import Change

from ..domain import calendars, ics, matches
from ..domain.sessions import UnknownSession
from ..domain.state import Calendar, CalendarStatus
from ..store import SchedulerStores


class FeedSigner:
    """Feed URLs carry an HMAC of the participant id, their feed token and an expiry:
    rotating the token (or erasing the person) stops every earlier URL of theirs,
    rotating the key stops everyone's, and each stops by itself after `days`."""

    def __init__(
        self, key: bytes, public_url: str, days: int = 365, clock: Clock = WALL_CLOCK
    ) -> None:
        self.links = SignedLinks(key, days * 86400, ":", clock)
        self.public_url = public_url.rstrip("/")

    def signature(self, participant_id: str, token: str, expires: int) -> str:
        return self.links.signature(participant_id, token, expires=expires)

    def url(self, participant_id: str, token: str) -> str:
        expires, key = self.links.sign(participant_id, token)
        return f"{self.public_url}/calendars/{participant_id}.ics?expires={expires}&key={key}"

    def check(self, participant_id: str, token: str | None, expires: int, key: str) -> bool:
        if not token:
            return False
        return self.links.valid(participant_id, token, expires=expires, key=key)


class Feeds:
    def __init__(
        self, stores: SchedulerStores, signer: FeedSigner, clock: Callable[[], datetime]
    ) -> None:
        self.stores = stores
        self.signer = signer
        self.clock = clock

    async def session_ics(self, session_id: str, caller_ids: frozenset[str]) -> bytes:
        """The session in the caller's own zone when they are one of the pair (UTC for
        anyone else, such as coordinators)."""
        match = await self.stores.match_with_session(session_id)
        session = matches.find(match, session_id) if match is not None else None
        if match is None or session is None:
            raise UnknownSession(session_id)
        mine = next((p for p in (match["mentor_id"], match["mentee_id"]) if p in caller_ids), None)
        shown = await self._zone_of(mine) if mine is not None else "UTC"
        name = f"MentorNet session {session_id}"
        return ics.calendar([(match, session)], shown, self.clock(), name)

    async def url(self, participant_id: str, *, rotate: bool) -> str:
        """The participant's feed URL; `rotate`: under a new token, so the old URL
        stops working (a leaked link, say)."""
        fresh = secrets.token_urlsafe(18)

        def decide(state: Calendar | None) -> Change[Calendar]:
            if state is None or state.get("status") != CalendarStatus.ACTIVE:
                raise NotFound("participant_id", f"no calendar for {participant_id}")
            if state.get("feed_token") and not rotate:
                return Change(None)
            return Change({**state, "feed_token": fresh})

        applied = await self.stores.calendar_states.apply(participant_id, decide)
        assert applied.state is not None
        return self.signer.url(participant_id, applied.state["feed_token"])

    async def feed(self, participant_id: str, expires: int, key: str) -> bytes:
        """Every session of the participant, in their zone; cancelled ones as CANCELLED."""
        calendar = await self.stores.calendar_states.get(participant_id)
        token = calendar.get("feed_token") if calendar is not None else None
        if not self.signer.check(participant_id, token, expires, key):
            raise Forbidden("key", "not a current feed signature, or expired")
        mine = await self.stores.matches_of(participant_id)
        found = [(match, session) for match in mine for session in match["sessions"]]
        shown = await self._zone_of(participant_id)
        return ics.calendar(found, shown, self.clock(), "MentorNet sessions")

    async def _zone_of(self, participant_id: str) -> str:
        found = calendars.availability(await self.stores.calendar_states.get(participant_id))
        return found.timezone if found is not None else "UTC"
