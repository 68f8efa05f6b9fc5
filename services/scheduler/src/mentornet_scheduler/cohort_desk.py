"""Cohorts: one mentor and a group of mentees meeting at one weekly slot.

Members join as their matches are confirmed. Once the cohort is full, or the program's
settle time after its first member has passed, the slot that most members can attend
is chosen (domain/cohorts.py), the mentor's time is held once per group session, and
each member who can attend gets the group sessions in their own match; the others are
told why (session.booking.failed, reason cohort_slot). Later joiners get the remaining
sessions if they can attend them.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from mentornet_chassis.store.aggregates import Decision, State
from mentornet_contracts import new_envelope
from mentornet_contracts.events.common import Availability
from mentornet_contracts.events.sessions import (
    MAX_ABSENCE_REASON,
    BookingFailure,
    CohortAbsence,
    CohortSlotChosen,
)

from .context import Contexts, Pair, Waiting
from .domain import calendars, ledger, matches, timers
from .domain.budget import HourBudget
from .domain.cohorts import CHECKED, CohortPlan, Member, absence, choose_slot
from .domain.planning import Plan, Planned
from .reservations import Hold, Reservations
from .store import SchedulerStores

SERVICE = "scheduler"
FORMING, SCHEDULED, FAILED = "forming", "scheduled", "failed"


class CohortDesk:
    def __init__(
        self,
        stores: SchedulerStores,
        contexts: Contexts,
        reservations: Reservations,
        clockwork: timers.Clockwork,
        settle: timedelta,
    ) -> None:
        self.stores = stores
        self.contexts = contexts
        self.reservations = reservations
        self.clockwork = clockwork
        self.settle_after = settle

    async def join(self, match: State, pair: Pair) -> None:
        cid = matches.cohort_id(match["program_id"], match["mentor_id"])
        rules = matches.rules(pair.program)

        def enrol(state: State | None) -> Decision:
            if state is None or state["booking"] != matches.PENDING:
                return Decision(state=None)
            return Decision(
                {
                    **state,
                    "booking": matches.COHORT,
                    "cohort_id": cid,
                    "rules": rules,
                    "due_epoch": None,
                }
            )

        await self.stores.matches.apply(match["match_id"], enrol)
        now = self.contexts.clock()
        size = pair.program.cohort_size or 1

        def add(state: State | None) -> Decision:
            cohort = state or _new(cid, match, now + self.settle_after)
            if match["match_id"] in cohort["members"]:
                return Decision(state=None)
            members = {**cohort["members"], match["match_id"]: match["mentee_id"]}
            due = (
                now.timestamp()
                if len(members) >= size and cohort["status"] == FORMING
                else cohort["due_epoch"]
            )
            return Decision({**cohort, "members": members, "due_epoch": due})

        applied = await self.stores.cohorts.apply(cid, add)
        if applied.state is not None and applied.state["status"] == SCHEDULED:
            await self.seat(applied.state, match["match_id"])

    async def settle(self, cid: str) -> None:
        cohort = await self.stores.cohorts.get_state(cid)
        now = self.contexts.clock()
        if (
            cohort is None
            or cohort["status"] != FORMING
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

        def decide(current: State | None) -> Decision:
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
            return Decision(booked if booked is not None else held)

        await self.stores.ledgers.apply(await self.stores.person_of(cohort["mentor_id"]), decide)
        plan = planned[0]
        settled = await self._record(cid, plan, mentor.timezone)
        for match_id in settled["members"]:
            await self.seat(settled, match_id)

    async def _record(self, cid: str, plan: CohortPlan, timezone: str) -> State:
        def decide(state: State | None) -> Decision:
            assert state is not None
            if state["status"] != FORMING:
                return Decision(state=None)
            sessions = [
                {
                    "sequence": p.sequence,
                    "starts_at": p.starts_at.isoformat(),
                    "minutes": p.minutes,
                    "type": str(p.session_type),
                }
                for p in plan.plan.sessions
            ]
            status = SCHEDULED if sessions else FAILED
            recorded = {
                **state,
                "status": status,
                "due_epoch": None,
                "slot": {
                    "weekday": plan.weekday,
                    "local_start": plan.local_start,
                    "timezone": timezone,
                },
                "sessions": sessions,
                "attending": list(plan.attending),
                "unable": dict(plan.unable),
                "detail": plan.plan.detail,
            }
            events = [new_envelope(_chosen(recorded, plan), SERVICE)] if sessions else []
            return Decision(recorded, events)

        applied = await self.stores.cohorts.apply(cid, decide)
        assert applied.state is not None
        return applied.state

    async def seat(self, cohort: State, match_id: str) -> None:
        """Give one member the cohort's sessions still ahead, or say why not."""
        match = await self.stores.matches.get_state(match_id)
        if match is None or match["booking"] != matches.COHORT or match["sessions"]:
            return
        now = self.contexts.clock()
        ahead = [
            Planned(s["sequence"], datetime.fromisoformat(s["starts_at"]), s["minutes"], s["type"])
            for s in cohort.get("sessions", [])
            if datetime.fromisoformat(s["starts_at"]) > now
        ]
        mentee = await self._availability(match["mentee_id"])
        reason = cohort.get("unable", {}).get(match["mentee_id"])
        if reason is None and match["mentee_id"] not in cohort.get("attending", []):
            length = timedelta(minutes=ahead[0].minutes) if ahead else timedelta()
            reason = absence(mentee, [p.starts_at for p in ahead[:CHECKED]], length)
        if not ahead and reason is None:
            reason = cohort.get("detail") or "the cohort has no sessions left"
        zones = {match["mentor_id"]: cohort["slot"]["timezone"]}
        if mentee is not None:
            zones[match["mentee_id"]] = mentee.timezone
        plan = (
            Plan(failure=BookingFailure.COHORT_SLOT, detail=reason)
            if reason
            else Plan(tuple(ahead))
        )
        await self.stores.index_sessions(
            match_id, [matches.session_id(match_id, p.sequence) for p in plan.sessions]
        )

        def decide(state: State | None) -> Decision:
            if state is None or state["sessions"] or state["booking"] != matches.COHORT:
                return Decision(state=None)
            booked, events = matches.booked(state, plan, zones, cohort=cohort["cohort_id"])
            booked["booking"] = matches.COHORT
            booked["sessions"] = [
                timers.skip_passed(s, now, self.clockwork) for s in booked["sessions"]
            ]
            booked["due_epoch"] = timers.next_due(booked, self.clockwork)
            return Decision(booked, [new_envelope(e, SERVICE) for e in events])

        await self.stores.matches.apply(match_id, decide)

    async def _availability(self, mentee_id: str) -> Availability | None:
        return calendars.availability(await self.stores.calendars.get_state(mentee_id))


def _new(cid: str, match: State, settle_at: datetime) -> State:
    return {
        "cohort_id": cid,
        "program_id": match["program_id"],
        "mentor_id": match["mentor_id"],
        "members": {},
        "status": FORMING,
        "due_epoch": settle_at.timestamp(),
    }


def _chosen(cohort: State, plan: CohortPlan) -> CohortSlotChosen:
    first = plan.plan.sessions[0]
    return CohortSlotChosen(
        cohort_id=cohort["cohort_id"],
        program_id=cohort["program_id"],
        mentor_id=cohort["mentor_id"],
        timezone=cohort["slot"]["timezone"],
        weekday=plan.weekday,
        local_start=plan.local_start,
        duration_minutes=first.minutes,
        first_starts_at=first.starts_at,
        attending=tuple(plan.attending),
        unable=tuple(
            CohortAbsence(mentee_id=m, reason=r[:MAX_ABSENCE_REASON]) for m, r in plan.unable
        ),
    )
