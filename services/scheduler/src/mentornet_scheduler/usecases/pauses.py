"""What follows a pause and a resume (domain/pauses.py).

Paused: the mentor's time held by the cancelled 1:1 sessions is given back (a cohort
seat holds none of its own). Resumed: the rest of the series is planned again from
the resume time plus the booking lead, inside both calendars and the mentor's ledger
(planned inside the ledger's write, as the booker does), and written with its events
in one change; a match that was still waiting to be booked is booked (or its
check-ins planned) as if newly confirmed. Both run after every delivery and are
idempotent: the resume is noted by the handler and done once, here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from mentornet_chassis.store.typed import Change

from ..domain import ledger, pauses, resume_plans, resumed_sessions, timers
from ..domain.budget import HourBudget
from ..domain.resume_plans import Placement
from ..domain.state import BookingState, Ledger, Match, Session, SessionStatus
from ..store import SERVICE
from .booking import Booker
from .checkins import CheckinDesk
from .context import Pair, Unbookable, Waiting
from .office import Office
from .reservations import Hold


@dataclass(eq=False)
class PauseDesk(Office):
    booker: Booker
    checkin_desk: CheckinDesk

    async def paused(self, match: Match) -> None:
        """Give back the mentor's time the pause's cancelled sessions held."""
        pause = match.get("pause") if match else None
        if not pause:
            return
        gone = set(pause["cancelled"])
        held = {
            s["booking_id"]
            for s in match["sessions"]
            if s["session_id"] in gone and not s.get("cohort_id")
        }
        await self.reservations.release(match["mentor_id"], held)

    async def resume(self, match_id: str) -> None:
        match = await self.stores.match_states.get(match_id)
        if not pauses.awaiting(match):
            return
        assert match is not None
        booking = match["booking"]
        if booking == BookingState.COHORT:
            await self._seats(match)
        elif booking == BookingState.BOOKED and resumed_sessions.is_async(match):
            await self._checkins(match)
        elif booking == BookingState.BOOKED:
            await self._live(match)
        else:
            await self._write(match_id, [], resumed_sessions.nothing)
        if booking == BookingState.PENDING:
            await self.booker.book(match_id)
        elif booking == BookingState.CHECKINS:
            await self.checkin_desk.plan(match_id)

    async def _live(self, match: Match) -> None:
        now = self.contexts.clock()
        rest = pauses.remaining(match, now)
        if not rest:
            await self._write(match["match_id"], [], resumed_sessions.nothing)
            return
        try:
            pair = await self.contexts.pair(match)
        except (Waiting, Unbookable) as why:
            await self._write(
                match["match_id"], resume_plans.nowhere(rest, str(why)), resumed_sessions.nothing
            )
            return
        placements = await self._hold(match, pair, rest)
        zones = self.contexts.zones(match, pair)
        await self._index(match, rest)
        await self._write(match["match_id"], placements, resumed_sessions.live(zones), zones)
        unplaced = {
            p.session["booking_id"]
            for p in placements
            if p.start is None and p.session["status"] == SessionStatus.SCHEDULED
        }
        await self.reservations.release(match["mentor_id"], unplaced)

    async def _hold(self, match: Match, pair: Pair, rest: Sequence[Session]) -> list[Placement]:
        """Plan the rest inside the mentor's ledger write: the sessions moving give back
        their time first, the placed ones hold theirs (new ones under their new id)."""
        moving = [s for s in rest if s["status"] == SessionStatus.SCHEDULED]
        first = await self.contexts.booking(
            match, pair, leaving_out=[s["session_id"] for s in moving]
        )
        anchor = datetime.fromisoformat(min(match["sessions"], key=_order)["starts_at"])
        cap, zone = pair.program.max_monthly_hours_per_mentor, pair.mentor.timezone
        round_ = match.get("pauses", 0) + 1
        planned: list[list[Placement]] = []

        def decide(current: Ledger | None) -> Change[Ledger]:
            held = ledger.release(current, {s["booking_id"] for s in moving}) or current
            booking = replace(
                first,
                mentor=replace(first.mentor, busy=(*first.mentor.busy, *ledger.busy(held))),
                budget=HourBudget.of(zone, cap, ledger.minutes_by_month(held)),
            )
            placements = resume_plans.live(booking, rest, anchor)
            planned[:] = [placements]
            holds = [_hold(match, p, round_) for p in placements if p.start is not None]
            booked = self.reservations.booked(held, match["mentor_id"], zone, cap, holds)
            return Change(booked if booked is not None else held)

        mentor = await self.stores.person_of(match["mentor_id"])
        await self.stores.ledger_states.apply(mentor, decide)
        return planned[0]

    async def _checkins(self, match: Match) -> None:
        now = self.contexts.clock()
        rest = pauses.remaining(match, now)
        series = resumed_sessions.series_of(match)
        if series is None:
            await self._write(match["match_id"], [], resumed_sessions.nothing)
            return
        kickoff = now + self.contexts.rules.lead
        placements = resume_plans.checkins(rest, series, kickoff)
        await self._index(match, rest)
        zones = await self.checkin_desk.zones(match)
        await self._write(
            match["match_id"], placements, resumed_sessions.checkin(series, zones), zones
        )

    async def _seats(self, match: Match) -> None:
        now = self.contexts.clock()
        rest = pauses.remaining(match, now)
        cid = match.get("cohort_id")
        cohort = await self.stores.cohort_states.get(cid) if cid else None
        group = {
            g["sequence"]: datetime.fromisoformat(g["starts_at"])
            for g in (cohort.get("sessions", []) if cohort else [])
        }
        placements = resume_plans.seats(rest, group, now)
        await self._index(match, rest)
        await self._write(match["match_id"], placements, resumed_sessions.seat, {})

    async def _index(self, match: Match, rest: Sequence[Session]) -> None:
        """The ids the resume may give new sessions, known to the lookup before the write."""
        round_ = match.get("pauses", 0) + 1
        ids = [pauses.resumed_id(match["match_id"], s["sequence"], round_) for s in rest]
        await self.stores.index_sessions(match["match_id"], ids)

    async def _write(
        self,
        match_id: str,
        placements: Sequence[Placement],
        build: pauses.Build,
        zones: dict[str, str] | None = None,
    ) -> None:
        now = self.contexts.clock()

        def decide(state: Match | None) -> Change[Match]:
            if state is None:
                return Change(None)
            changed, events = pauses.resumed(state, placements, build, zones or {})
            if changed is None:
                return Change(None)
            changed = timers.retimed(state, changed, now, self.clockwork)
            if changed["booking"] == BookingState.PENDING:
                changed["due_epoch"] = now.timestamp()
            return Change.announced(changed, events, SERVICE)

        await self.stores.match_states.apply(match_id, decide)


def _order(session: Session) -> tuple[int, str]:
    return session["sequence"], session["starts_at"]


def _hold(match: Match, placement: Placement, round_: int) -> Hold:
    session = placement.session
    assert placement.start is not None
    kept = session["status"] == SessionStatus.SCHEDULED
    booking_id = (
        session["booking_id"]
        if kept
        else pauses.resumed_id(match["match_id"], session["sequence"], round_)
    )
    return Hold(booking_id, placement.start, session["duration_minutes"], match["match_id"])
