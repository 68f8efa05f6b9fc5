"""What people do to sessions over HTTP: move, cancel, record attendance, book an
extra session, ask for open times. Each change is checked against both calendars,
the buffer and the mentor's hours (refusals name the reason), held on the mentor's
ledger, then written with its event in one write."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any

from mentornet_chassis.errors import Invalid
from mentornet_chassis.process.logging import get_logger
from mentornet_chassis.store.typed import Change
from mentornet_contracts.events.sessions import Attendance, SessionType

from ..domain import matches, on_hold, sessions, timers, unplaced
from ..domain.planning import Booking, Planned, open_starts, plan_series
from ..domain.sessions import SessionConflict, UnknownSession
from ..domain.state import BookingState, Match, Session, SessionStatus
from ..domain.views import Viewer, recorded_by
from ..store import SERVICE
from .context import Pair, Unbookable, Waiting
from .office import Office
from .reservations import Hold

log = get_logger(__name__)
Edit = Callable[[Match], tuple[Match, list[Any]]]
"""One change to a match: the match after it and the events it makes."""


class Desk(Office):
    async def _pair(self, match: Match) -> Pair:
        try:
            return await self.contexts.pair(match)
        except (Waiting, Unbookable) as exc:
            raise SessionConflict(str(exc), None) from None

    async def _checked(
        self, match: Match, pair: Pair, sid: str | None, start: datetime, minutes: int
    ) -> Booking:
        booking = await self.contexts.booking(
            match, pair, leaving_out=[sid] if sid else [], lead=False
        )
        refusal = booking.refusal(start, minutes)
        if refusal is not None:
            raise Invalid("starts_at", refusal)
        return booking

    async def _hold(
        self, match: Match, pair: Pair, booking_id: str, start: datetime, minutes: int
    ) -> None:
        """Raises ledger.Refused (an Invalid start) when the mentor's ledger says no."""
        await self.reservations.hold(
            match["mentor_id"],
            pair.mentor.timezone,
            pair.program.max_monthly_hours_per_mentor,
            [Hold(booking_id, start, minutes, match["match_id"])],
        )

    async def change(self, match_id: str, edit: Edit) -> Match:
        """Apply one change to the match and set its next timer; raises what the domain
        raised (SessionConflict, Invalid)."""
        now = self.contexts.clock()

        def decide(state: Match | None) -> Change[Match]:
            assert state is not None
            changed, events = edit(state)
            retimed = timers.retimed(state, changed, now, self.clockwork)
            return Change.announced(retimed, events, SERVICE)

        applied = await self.stores.match_states.apply(match_id, decide)
        assert applied.state is not None
        return applied.state

    async def reschedule(self, match: Match, sid: str, start: datetime, reason: str) -> Match:
        """Raises MatchOnHold when the match is paused (nothing moves into or during a
        pause), MatchEnded when it has ended."""
        on_hold.check_open(match)
        session = self._movable(match, sid)
        pair = await self._pair(match)
        await self._checked(match, pair, sid, start, session["duration_minutes"])
        await self._hold(match, pair, session["booking_id"], start, session["duration_minutes"])
        zones = self.contexts.zones(match, pair)
        try:
            return await self.change(
                match["match_id"], lambda m: _one(_moved(m, sid, start, zones, reason))
            )
        except Exception:
            await self.reconcile(match, session["booking_id"], pair)
            raise

    async def cancel(self, match: Match, sid: str, reason: str) -> Match:
        session = self._movable(match, sid)
        state = await self.change(
            match["match_id"], lambda m: _one(sessions.cancel(m, sid, reason))
        )
        await self.reservations.release(match["mentor_id"], {session["booking_id"]})
        return state

    async def attendance(
        self, match: Match, sid: str, attendance: Attendance, recorder: Viewer
    ) -> Match:
        """Attended, or who did not turn up, as recorded by the mentor or mentee the
        recorder is, else by the program's team."""
        now = self.contexts.clock()
        by = recorded_by(match, recorder)
        return await self.change(
            match["match_id"], lambda m: sessions.record_attendance(m, sid, attendance, now, by)
        )

    async def add(
        self, match: Match, start: datetime, kind: SessionType, minutes: int | None
    ) -> Match:
        """A session the pair or a coordinator books by hand: it fills the match's
        earliest unplaced date when it has one, else it is an extra (a milestone review)."""
        on_hold.check_open(match)
        if len(match["sessions"]) >= matches.MAX_SESSIONS:
            raise SessionConflict(
                f"match {match['match_id']} has {len(match['sessions'])} sessions, the most "
                "one match holds",
                None,
            )
        pair = await self._pair(match)
        length = minutes or pair.program.cadence.session_minutes
        await self._checked(match, pair, None, start, length)
        new_id = extra_session_id()
        await self._hold(match, pair, new_id, start, length)
        await self.stores.index_sessions(match["match_id"], [new_id])
        zones = self.contexts.zones(match, pair)

        def add_one(state: Match) -> tuple[Match, list[Any]]:
            on_hold.check_open(state)
            earliest = next(iter(unplaced.kept(state)), None)
            sequence = earliest.sequence if earliest else matches.next_sequence(state)
            new = matches.new_session(
                state, Planned(sequence, start, length, kind), zones, sid=new_id
            )
            in_cohort = state["booking"] == BookingState.COHORT
            booking = BookingState.COHORT if in_cohort else BookingState.BOOKED
            added: Match = {**state, "sessions": [*state["sessions"], new], "booking": booking}
            if earliest is not None:
                added = unplaced.without(added, sequence)
                added["failure"] = added.get("failure") if added.get("unplaced") else None
            return added, [matches.scheduled_event(added, new)]

        try:
            return await self.change(match["match_id"], add_one)
        except Exception:
            await self.reconcile(match, new_id, pair)
            raise

    async def reconcile(self, match: Match, booking_id: str, pair: Pair) -> None:
        """After a change whose ledger hold went through but whose session write did
        not: the ledger entry follows the session as it now is (or goes)."""
        match_id = match["match_id"]
        state = await self.stores.match_states.get(match_id)
        sessions_now = state["sessions"] if state else []
        session = next((s for s in sessions_now if s["booking_id"] == booking_id), None)
        if state is None or session is None or session["status"] != SessionStatus.SCHEDULED:
            await self.reservations.release(match["mentor_id"], {booking_id})
            return
        start = datetime.fromisoformat(session["starts_at"])
        try:
            await self._hold(state, pair, booking_id, start, session["duration_minutes"])
        except Invalid:
            log.error("could not restore a ledger entry", match_id=match_id, booking_id=booking_id)

    async def open_times(
        self,
        match: Match,
        limit: int,
        start: datetime | None = None,
        end: datetime | None = None,
    ) -> tuple[list[datetime], str]:
        """Starts the pair could book between `start` and `end` (default: the program's
        horizon), or none and why (no overlap at all, or all taken)."""
        now = self.contexts.clock()
        if start is not None and start < now:
            raise Invalid("from", f"{start.isoformat()} is in the past")
        if start is not None and end is not None and end <= start:
            raise Invalid("to", "must be after from")
        pair = await self._pair(match)
        booking = await self.contexts.booking(match, pair)
        starts = [
            s
            for s in open_starts(booking, 10_000)
            if (start is None or s >= start) and (end is None or s < end)
        ][:limit]
        if starts:
            return starts, ""
        return [], plan_series(booking).detail or "nothing open in the program's horizon"

    def _movable(self, match: Match, sid: str) -> Session:
        session = matches.find(match, sid)
        if session is None:
            raise UnknownSession(sid)
        if session["status"] != SessionStatus.SCHEDULED:
            raise SessionConflict(f"session {sid} is {session['status']}", session)
        if session.get("cohort_id"):
            raise SessionConflict(
                "a cohort's group session moves for the whole cohort, not one member", session
            )
        return session


def extra_session_id() -> str:
    """An extra session booked by hand: random, so two added at once never collide."""
    return f"s-{uuid.uuid4().hex[:16]}"


def _moved(
    match: Match, sid: str, start: datetime, zones: dict[str, str], reason: str
) -> tuple[Match, Any]:
    """The move, unless the match was paused or ended meanwhile."""
    on_hold.check_open(match)
    return sessions.reschedule(match, sid, start, zones, reason)


def _one(change: tuple[Match, Any]) -> tuple[Match, list[Any]]:
    state, event = change
    return state, [event]
