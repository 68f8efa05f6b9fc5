"""Trying a match's unplaced dates again when availability changes: each future date
gets the nearest start within the cadence's tolerance that fits both calendars, the
buffer and the mentor's hours (held on the ledger, then written with its
session.scheduled); a cohort member is re-seated per date; a match that got nothing
at all goes back to waiting, so the booker books it afresh. A date that still finds no
time is diagnosed again: its reason and detail kept up to date, and coordinators told
again (session.booking.failed.v2) when the reason changed."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from mentornet_chassis.errors import Invalid
from mentornet_chassis.store.typed import Change

from ..domain import calendars, cohort_changes, refill, unplaced
from ..domain.planning import Booking, Planned, diagnose, nearest_start
from ..domain.seating import Member
from ..domain.series import Series
from ..domain.state import BookingState, CohortStatus, Match, MatchStatus
from ..domain.unplaced import Unplaced
from ..domain.windows import subtract
from ..store import SchedulerStores
from .context import Contexts, Pair, Unbookable, Waiting
from .desk import Desk
from .reservations import Hold


class Refilling:
    def __init__(self, stores: SchedulerStores, contexts: Contexts, desk: Desk) -> None:
        self.stores = stores
        self.contexts = contexts
        self.desk = desk

    async def again(self, match_id: str, participant_id: str) -> None:
        match = await self.stores.match_states.get(match_id)
        if match is None or match["status"] != MatchStatus.ACTIVE:
            return
        if match.get("cohort_id"):
            if participant_id == match["mentee_id"]:
                await self._reseat(match)
            return
        if match["booking"] == BookingState.FAILED and not match["sessions"]:
            await self._afresh(match_id)
        elif match.get("unplaced"):
            await self._dates(match)

    async def _afresh(self, match_id: str) -> None:
        now = self.contexts.clock()

        def decide(state: Match | None) -> Change[Match]:
            if state is None or state["booking"] != BookingState.FAILED or state["sessions"]:
                return Change(None)
            waiting: Match = {
                **state,
                "booking": BookingState.PENDING,
                "unplaced": [],
                "failure": None,
                "due_epoch": now.timestamp(),
            }
            return Change(waiting)

        await self.stores.match_states.apply(match_id, decide)

    async def _dates(self, match: Match) -> None:
        now = self.contexts.clock()
        future = [d for d in unplaced.kept(match) if d.target > now]
        if not future:
            return
        try:
            pair = await self.contexts.pair(match)
        except (Waiting, Unbookable):
            return
        booking = await self.contexts.booking(match, pair)
        zones = self.contexts.zones(match, pair)
        still: list[Unplaced] = []
        for date in future:
            start = nearest_start(booking, date.target, pair.series.tolerance)
            if start is None:
                still.append(diagnose(booking, date.sequence, date.target, booking.not_before))
            elif await self._book(match["match_id"], pair, date, start, zones):
                _taken(booking, start)
        if any(refill.stale(match, d) for d in still):
            await self.desk.change(match["match_id"], lambda m: refill.rediagnosed(m, still))

    async def _book(
        self, match_id: str, pair: Pair, date: Unplaced, start: datetime, zones: Mapping[str, str]
    ) -> bool:
        """Hold the mentor's time, then write the session; whether the date was booked."""
        current = await self.stores.match_states.get(match_id)
        if current is None or all(
            n["sequence"] != date.sequence for n in current.get("unplaced", [])
        ):
            return False
        series: Series = pair.series
        sid = refill.fresh_id(current, date.sequence)
        minutes = series.session_minutes
        try:
            await self.desk.reservations.hold(
                current["mentor_id"],
                pair.mentor.timezone,
                pair.program.max_monthly_hours_per_mentor,
                [Hold(sid, start, minutes, match_id)],
            )
        except Invalid:
            return False
        await self.stores.index_sessions(match_id, [sid])
        planned = Planned(date.sequence, start, minutes, series.session_type(date.sequence - 1))
        state = await self.desk.change(
            match_id, lambda m: refill.placed(m, planned, zones, sid=sid)
        )
        if all(s["session_id"] != sid for s in state["sessions"]):
            await self.desk.reservations.release(current["mentor_id"], {sid})
            return False
        return True

    async def _reseat(self, match: Match) -> None:
        cohort = await self.stores.cohort_states.get(match.get("cohort_id") or "")
        if cohort is None or cohort["status"] != CohortStatus.SCHEDULED:
            return
        calendar = await self.stores.calendar_states.get(match["mentee_id"])
        mentee = calendars.availability(calendar)
        member = Member(match["mentee_id"], mentee)
        zones = {match["mentor_id"]: cohort["slot"]["timezone"]}
        if mentee is not None:
            zones[match["mentee_id"]] = mentee.timezone
        now = self.contexts.clock()
        before = {s["session_id"] for s in match["sessions"]}
        state = await self.desk.change(
            match["match_id"],
            lambda m: cohort_changes.reseated(m, cohort, member, now, zones),
        )
        added = [s["session_id"] for s in state["sessions"] if s["session_id"] not in before]
        if added:
            await self.stores.index_sessions(match["match_id"], added)


def _taken(booking: Booking, start: datetime) -> None:
    """The time just booked is no longer open to the match's next dates."""
    booking.budget.hold(start, booking.series.session_minutes)
    booking.open = subtract(
        booking.open, [(start - booking.buffer, start + booking.length + booking.buffer)]
    )
