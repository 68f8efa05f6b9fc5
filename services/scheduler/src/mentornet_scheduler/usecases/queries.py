"""What the routes read: a match, the match holding a session, a participant's
matches and the sessions a caller sees of them, a cohort; an unknown one is refused as not found."""

from __future__ import annotations

from mentornet_chassis.errors import NotFound

from ..domain import views
from ..domain.sessions import UnknownSession
from ..domain.state import Cohort, Match
from ..domain.views import View, Viewer
from ..store import SchedulerStores


class Queries:
    def __init__(self, stores: SchedulerStores) -> None:
        self.stores = stores

    async def match(self, match_id: str) -> Match:
        match = await self.stores.match_states.get(match_id)
        if match is None:
            raise NotFound("match_id", f"no match {match_id} here (not confirmed yet?)")
        return match

    async def match_with_session(self, session_id: str) -> Match:
        match = await self.stores.match_with_session(session_id)
        if match is None:
            raise UnknownSession(session_id)
        return match

    async def matches_of(self, participant_id: str) -> list[Match]:
        """Every match the participant is in, as mentor or as mentee."""
        return await self.stores.matches_of(participant_id)

    async def sessions_of(
        self, participant_id: str, viewer: Viewer, status: str | None
    ) -> list[View]:
        """The participant's sessions in every match the viewer sees (in `status` only,
        when given), soonest first."""
        return views.sessions_seen(await self.matches_of(participant_id), viewer, status)

    async def cohort(self, cohort_id: str) -> Cohort:
        cohort = await self.stores.cohort_states.get(cohort_id)
        if cohort is None:
            raise NotFound("cohort_id", f"no cohort {cohort_id}")
        return cohort
