"""Planning an async match's check-ins (domain/checkins.py): no windows, no ledger.

A match is async by its own format (match.confirmed) or by its program's
session_format. Such a match is taken away from live booking (booking `checkins`)
and, once its program is known, gets its whole cadence of check-ins in one write.
"""

from __future__ import annotations

from mentornet_chassis.store.typed import Change

from ..domain import calendars, checkin_clock, checkins, matches, timers
from ..domain.state import BookingState, Match, MatchStatus
from ..store import SERVICE, SchedulerStores
from .context import Contexts


class CheckinDesk:
    def __init__(
        self, stores: SchedulerStores, contexts: Contexts, clockwork: timers.Clockwork
    ) -> None:
        self.stores = stores
        self.contexts = contexts
        self.clockwork = clockwork

    async def take(self, match_id: str) -> bool:
        """Plan the match's check-ins if it is async; whether it is (live booking is
        then not for it)."""
        match = await self.stores.match_states.get(match_id)
        if match is None or match["status"] != MatchStatus.ACTIVE:
            return False
        if match["booking"] == BookingState.PENDING:
            program = await self.contexts.program(match["program_id"])
            if not checkins.is_async(match, program):
                return False
            if not await self._switch(match_id):
                return False
        elif not checkins.awaiting(match):
            return checkins.is_async(match, None)
        await self.plan(match_id)
        return True

    async def pending(self, found: list[Match]) -> None:
        """Every waiting match among these that is (or turned out to be) async."""
        for match in found:
            if match["booking"] in (BookingState.PENDING, BookingState.CHECKINS):
                await self.take(match["match_id"])

    async def _switch(self, match_id: str) -> bool:
        """A pending match whose program is async: taken away from live booking."""

        def decide(state: Match | None) -> Change[Match]:
            if state is None or state["booking"] != BookingState.PENDING:
                return Change(None)
            if state["status"] != MatchStatus.ACTIVE:
                return Change(None)
            switched: Match = {
                **state,
                "format": checkin_clock.ASYNC,
                "booking": BookingState.CHECKINS,
                "due_epoch": None,
            }
            switched.pop("claim", None)
            return Change(switched)

        await self.stores.match_states.apply(match_id, decide)
        return checkins.awaiting(await self.stores.match_states.get(match_id))

    async def plan(self, match_id: str) -> None:
        match = await self.stores.match_states.get(match_id)
        if not checkins.awaiting(match):
            return
        assert match is not None
        program = await self.contexts.program(match["program_id"])
        if program is None:
            reason = f"program {match['program_id']} has not arrived"
            await self.stores.match_states.apply(
                match_id, lambda state: Change(checkins.waiting(state, reason))
            )
            return
        series = checkins.series_of(program)
        zones = await self.zones(match)
        now = self.contexts.clock()
        kickoff = now + self.contexts.rules.lead
        await self.stores.index_sessions(
            match_id,
            [matches.session_id(match_id, c.sequence) for c in checkins.cadence(series, kickoff)],
        )
        rules = matches.rules(program)

        def decide(state: Match | None) -> Change[Match]:
            if state is None:
                return Change(None)
            planned, events = checkins.planned(state, series, kickoff, zones, rules)
            if planned is None:
                return Change(None)
            planned["sessions"] = [
                timers.skip_passed(s, now, self.clockwork) for s in planned["sessions"]
            ]
            planned["due_epoch"] = timers.next_due(planned, self.clockwork)
            return Change.announced(planned, events, SERVICE)

        await self.stores.match_states.apply(match_id, decide)

    async def zones(self, match: Match) -> dict[str, str]:
        """Each person's zone, where their calendar is known (for local times only)."""
        found: dict[str, str] = {}
        for person in (match["mentor_id"], match["mentee_id"]):
            known = calendars.availability(await self.stores.calendar_states.get(person))
            if known is not None:
                found[person] = known.timezone
        return found
