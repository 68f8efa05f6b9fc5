"""Cohorts: one mentor and a group of mentees meeting at one weekly slot.

Members join as their matches are confirmed. Once the cohort is full, or the program's
settle time after its first member has passed, the slot with the most member-dates
attendable is chosen (domain/cohorts.py) and the mentor's time is held once per group
session. Each member is seated per date: on the group sessions whose actual start lies
inside their windows on that date; their other dates are unplaced on their match with
the reason (session.booking.failed), and a member who can attend none is told why
(reason cohort_slot). Later joiners are seated the same way on the dates still ahead.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from mentornet_chassis.store.typed import Change
from mentornet_contracts.events.common import Availability

from ..domain import calendars, cohort_changes, ledger, matches, timers
from ..domain.budget import HourBudget
from ..domain.cohorts import CohortPlan, choose_slot
from ..domain.seating import Member
from ..domain.state import BookingState, Cohort, CohortStatus, Ledger, Match
from ..store import SERVICE
from .context import Pair, Waiting
from .office import Office
from .reservations import Hold


@dataclass(eq=False)
class CohortDesk(Office):
    settle_after: timedelta

    async def join(self, match: Match, pair: Pair) -> None:
        cid = matches.cohort_id(match["program_id"], match["mentor_id"])
        rules = matches.rules(pair.program)

        def enrol(state: Match | None) -> Change[Match]:
            if state is None or state["booking"] != BookingState.PENDING:
                return Change(None)
            return Change(
                {
                    **state,
                    "booking": BookingState.COHORT,
                    "cohort_id": cid,
                    "rules": rules,
                    "due_epoch": None,
                }
            )

        await self.stores.match_states.apply(match["match_id"], enrol)
        now = self.contexts.clock()
        size = pair.program.cohort_size or 1

        def add(state: Cohort | None) -> Change[Cohort]:
            cohort = state or cohort_changes.forming(cid, match, now + self.settle_after)
            return Change(cohort_changes.joined(cohort, match, now, size))

        applied = await self.stores.cohort_states.apply(cid, add)
        if applied.state is not None and applied.state["status"] == CohortStatus.SCHEDULED:
            await self.seat(applied.state, match["match_id"])

    async def settle(self, cid: str) -> None:
        cohort = await self.stores.cohort_states.get(cid)
        now = self.contexts.clock()
        if (
            cohort is None
            or cohort["status"] != CohortStatus.FORMING
            or (cohort["due_epoch"] or 0) > now.timestamp()
        ):
            return
        program = await self.contexts.program(cohort["program_id"])
        try:
            mentor = await self.contexts.availability(cohort["mentor_id"], "mentor")
        except Waiting:
            return
        if program is None:
            return
        members = [
            Member(mentee, await self._availability(mentee))
            for mentee in cohort["members"].values()
        ]
        series = Pair(program, mentor, mentor).series
        busy = await self.contexts.busy(cohort["mentor_id"])
        cap = program.max_monthly_hours_per_mentor
        planned: list[CohortPlan] = []

        def decide(current: Ledger | None) -> Change[Ledger]:
            """Plan inside the ledger's write (as the booker does), replacing entries an
            interrupted settle of this cohort left."""
            held = ledger.without_match(current, cid)
            plan = choose_slot(
                mentor,
                [*busy, *ledger.busy(held)],
                members,
                series,
                HourBudget.of(mentor.timezone, cap, ledger.minutes_by_month(held)),
                now + self.contexts.rules.lead,
                self.contexts.rules.buffer,
            )
            planned[:] = [plan]
            holds = [
                Hold(f"{cid}:{p.sequence}", p.starts_at, p.minutes, cid) for p in plan.plan.sessions
            ]
            booked = self.reservations.booked(
                held, cohort["mentor_id"], mentor.timezone, cap, holds
            )
            return Change(booked if booked is not None else held)

        mentor_person = await self.stores.person_of(cohort["mentor_id"])
        await self.stores.ledger_states.apply(mentor_person, decide)
        plan = planned[0]
        settled = await self._record(cid, plan, mentor.timezone)
        for match_id in settled["members"]:
            await self.seat(settled, match_id)

    async def _record(self, cid: str, plan: CohortPlan, timezone: str) -> Cohort:
        def decide(state: Cohort | None) -> Change[Cohort]:
            assert state is not None
            return Change.announced(*cohort_changes.settled(state, plan, timezone), SERVICE)

        applied = await self.stores.cohort_states.apply(cid, decide)
        assert applied.state is not None
        return applied.state

    async def seat(self, cohort: Cohort, match_id: str) -> None:
        """Give one member the cohort's sessions still ahead, or say why not."""
        match = await self.stores.match_states.get(match_id)
        if match is None or match["booking"] != BookingState.COHORT or match["sessions"]:
            return
        now = self.contexts.clock()
        mentee = await self._availability(match["mentee_id"])
        plan = cohort_changes.member_plan(cohort, Member(match["mentee_id"], mentee), now)
        zones = {match["mentor_id"]: cohort["slot"]["timezone"]}
        if mentee is not None:
            zones[match["mentee_id"]] = mentee.timezone
        await self.stores.index_sessions(
            match_id, [matches.session_id(match_id, p.sequence) for p in plan.sessions]
        )

        def decide(state: Match | None) -> Change[Match]:
            if state is None or state["sessions"] or state["booking"] != BookingState.COHORT:
                return Change(None)
            booked, events = matches.booked(state, plan, zones, cohort=cohort["cohort_id"])
            booked["booking"] = BookingState.COHORT
            booked["sessions"] = [
                timers.skip_passed(s, now, self.clockwork) for s in booked["sessions"]
            ]
            booked["due_epoch"] = timers.next_due(booked, self.clockwork)
            return Change.announced(booked, events, SERVICE)

        await self.stores.match_states.apply(match_id, decide)

    async def _availability(self, mentee_id: str) -> Availability | None:
        return calendars.availability(await self.stores.calendar_states.get(mentee_id))
