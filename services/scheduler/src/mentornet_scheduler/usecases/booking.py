"""Booking a confirmed match's series: plan inside both calendars, hold the mentor's
time on their ledger, then write the sessions and their events in one write.

A booking waits (and is retried by the timers) while the program or a calendar has
not arrived; a match in a cohort program joins its cohort instead. A replica claims
the match before booking it, so two replicas never book one match; a replica that
dies mid-booking loses its claim after a while and the timers book again, replacing
the ledger entries it left.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import timedelta

from mentornet_chassis.store.typed import Change
from mentornet_contracts.events.programs import ProgramTier
from mentornet_contracts.events.sessions import BookingFailure

from ..domain import ledger, matches, timers
from ..domain.budget import HourBudget
from ..domain.planning import Plan, plan_series
from ..domain.state import BookingState, Ledger, Match, MatchRules, MatchStatus
from ..store import SERVICE
from .cohorts import CohortDesk
from .context import Pair, Unbookable, Waiting
from .office import Office
from .reservations import Hold


@dataclass(eq=False)
class Booker(Office):
    cohorts: CohortDesk
    retry: timedelta

    async def book(self, match_id: str) -> None:
        match = await self.stores.match_states.get(match_id)
        if not _waiting(match):
            return
        assert match is not None
        try:
            pair = await self.contexts.pair(match)
        except Waiting as waiting:
            await self._later(match_id, str(waiting))
            return
        except Unbookable as reason:
            unbookable = Plan(failure=BookingFailure.NO_OVERLAP, detail=str(reason))
            await self._write(match_id, unbookable, {}, None)
            return
        if pair.program.tier == ProgramTier.COHORT:
            await self.cohorts.join(match, pair)
            return
        owner = uuid.uuid4().hex
        now = self.contexts.clock()
        taken = await self.stores.match_states.apply(
            match_id, lambda state: Change(matches.claim(state, owner, now))
        )
        if not taken.wrote:
            return
        plan = await self._hold(match, pair)
        await self.stores.index_sessions(
            match_id, [matches.session_id(match_id, p.sequence) for p in plan.sessions]
        )
        zones = self.contexts.zones(match, pair)
        if not await self._write(match_id, plan, zones, matches.rules(pair.program), owner):
            held = {matches.session_id(match_id, p.sequence) for p in plan.sessions}
            await self.reservations.release(match["mentor_id"], held)

    async def _hold(self, match: Match, pair: Pair) -> Plan:
        """Plan against the mentor's ledger as it is at the write, so concurrent bookings
        for one mentor each plan around the others (a lost race plans again). Entries an
        earlier, interrupted booking of this match left are replaced."""
        first = await self.contexts.booking(match, pair)
        cap = pair.program.max_monthly_hours_per_mentor
        planned: list[Plan] = []

        def decide(current: Ledger | None) -> Change[Ledger]:
            held = ledger.without_match(current, match["match_id"])
            booking = replace(
                first,
                mentor=replace(first.mentor, busy=(*first.mentor.busy, *ledger.busy(held))),
                budget=HourBudget.of(pair.mentor.timezone, cap, ledger.minutes_by_month(held)),
            )
            plan = plan_series(booking)
            planned[:] = [plan]
            holds = [
                Hold(
                    matches.session_id(match["match_id"], p.sequence),
                    p.starts_at,
                    p.minutes,
                    match["match_id"],
                )
                for p in plan.sessions
            ]
            booked = self.reservations.booked(
                held, match["mentor_id"], pair.mentor.timezone, cap, holds
            )
            return Change(booked if booked is not None else held)

        mentor = await self.stores.person_of(match["mentor_id"])
        await self.stores.ledger_states.apply(mentor, decide)
        return planned[0]

    async def _write(
        self,
        match_id: str,
        plan: Plan,
        zones: dict[str, str],
        rules: MatchRules | None,
        owner: str | None = None,
    ) -> bool:
        """The sessions and their events, unless the match ended meanwhile or another
        replica's claim took over; whether they were written."""
        now = self.contexts.clock()

        def decide(state: Match | None) -> Change[Match]:
            if state is None or not _waiting(state):
                return Change(None)
            if owner is not None and not matches.claimed_by(state, owner):
                return Change(None)
            kept = rules or state.get("rules")
            booked, events = matches.booked(
                {**state, "rules": kept} if kept else state, plan, zones
            )
            booked["sessions"] = [
                timers.skip_passed(s, now, self.clockwork) for s in booked["sessions"]
            ]
            booked["due_epoch"] = timers.next_due(booked, self.clockwork)
            booked.pop("waiting", None)
            booked.pop("claim", None)
            return Change.announced(booked, events, SERVICE)

        return (await self.stores.match_states.apply(match_id, decide)).wrote

    async def _later(self, match_id: str, reason: str) -> None:
        retry_at = (self.contexts.clock() + self.retry).timestamp()

        def decide(state: Match | None) -> Change[Match]:
            if state is None or state["booking"] != BookingState.PENDING:
                return Change(None)
            return Change({**state, "waiting": reason, "due_epoch": retry_at})

        await self.stores.match_states.apply(match_id, decide)

    async def pending(self, matches_found: list[Match]) -> None:
        """Try every waiting booking among these matches (a calendar or program came)."""
        for match in matches_found:
            if _waiting(match):
                await self.book(match["match_id"])


def _waiting(match: Match | None) -> bool:
    """Active and not booked yet."""
    return (
        match is not None
        and match["status"] == MatchStatus.ACTIVE
        and match["booking"] == BookingState.PENDING
    )
