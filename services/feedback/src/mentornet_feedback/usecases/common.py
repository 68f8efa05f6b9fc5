"""What every feedback use case works with, and the reads they share: a match, or the
match a session, request or action item belongs to, refused (404) when unknown."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from mentornet_chassis.errors import NotFound

from ..domain.requests import Windows
from ..domain.state import Match, Request
from ..domain.templates import TemplateSpec
from ..store import FeedbackStores

SERVICE = "feedback"
Clock = Callable[[], datetime]


@dataclass(frozen=True)
class Parts:
    stores: FeedbackStores
    clock: Clock
    """The one source of "now" (due dates, edit windows, summaries' "today")."""
    windows: Windows
    wake_relay: Callable[[], None]
    """Tells the outbox relay that a write left events to publish."""

    async def known_match(self, match_id: str) -> Match:
        match = await self.stores.match(match_id)
        if match is None:
            raise NotFound("match_id", f"no match {match_id} here")
        return match

    async def session_match(self, session_id: str) -> Match:
        match = await self.stores.match_of("session", session_id)
        if match is None or session_id not in match["sessions"]:
            raise NotFound("session_id", f"no session {session_id} here")
        return match

    async def request_and_match(self, request_id: str) -> tuple[Request, Match]:
        match = await self.stores.match_of("request", request_id)
        if match is None or request_id not in match["requests"]:
            raise NotFound("request_id", f"no feedback request {request_id}")
        return match["requests"][request_id], match

    async def template(self, program_id: str, version: int | None) -> tuple[int, TemplateSpec]:
        """The program's template at `version` (default: the current one)."""
        try:
            return await self.stores.template(program_id, version)
        except LookupError:
            raise NotFound(
                "version", f"program {program_id} has no template version {version}"
            ) from None
