"""What changes to people and programs do to sessions already booked.

- New availability: each future session that no longer fits is moved to the nearest
  time that does (session.rescheduled, saying why) or, when none does, cancelled with
  session.booking.failed for the coordinators.
- A participant who withdraws or is erased: their future sessions are cancelled and,
  on erasure, their zone leaves the sessions' local times.
- An ended match: its future sessions were cancelled with the end; the mentor's time
  is given back here.
- New program rules: active matches take the new thresholds.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from mentornet_chassis.store.aggregates import Decision, State
from mentornet_contracts import new_envelope
from mentornet_contracts.events.programs import ProgramPublished
from mentornet_contracts.events.sessions import BookingFailure

from .context import Contexts, Unbookable, Waiting
from .desk import Desk
from .domain import cohorts, matches, sessions, timers
from .domain.planning import nearest_start
from .store import SchedulerStores

SERVICE = "scheduler"
TOLERANCE = timedelta(days=3)


class Replanner:
    def __init__(self, stores: SchedulerStores, contexts: Contexts, desk: Desk) -> None:
        self.stores = stores
        self.contexts = contexts
        self.desk = desk

    async def availability_changed(self, participant_id: str) -> None:
        now = self.contexts.clock()
        for match in await self.stores.matches_of(participant_id):
            if match["status"] != "active":
                continue
            for session in matches.upcoming(match, now):
                if not session.get("cohort_id"):
                    await self._refit(match["match_id"], session["session_id"], participant_id)

    async def _refit(self, match_id: str, sid: str, who: str) -> None:
        match = await self.stores.matches.get_state(match_id)
        session = matches.find(match, sid) if match else None
        if match is None or session is None or session["status"] != matches.SCHEDULED:
            return
        try:
            pair = await self.contexts.pair(match)
        except (Waiting, Unbookable):
            return
        booking = await self.contexts.booking(match, pair, leaving_out=[sid], lead=False)
        start, minutes = datetime.fromisoformat(session["starts_at"]), session["duration_minutes"]
        why = booking.refusal(start, minutes)
        if why is None:
            return
        role = "mentor" if who == match["mentor_id"] else "mentee"
        reason = f"the {role}'s availability changed: {why}"
        moved_to = nearest_start(booking, start, TOLERANCE)
        if moved_to is not None:
            try:
                await self.desk.reschedule(match, sid, moved_to, reason)
                return
            except (sessions.Invalid, sessions.SessionConflict):
                pass
        failed = matches.failure(
            match, BookingFailure.FULLY_BOOKED, f"session {sid}: {reason}; no time nearby fits"
        )
        await self.desk.change(match_id, lambda m: _with(sessions.cancel(m, sid, reason), failed))
        await self.desk.reservations.release(match["mentor_id"], {session["booking_id"]})

    async def left(self, participant_id: str, *, erased: bool) -> None:
        now = self.contexts.clock()
        reason = "the participant was erased" if erased else "the participant withdrew"
        for match in await self.stores.matches_of(participant_id):
            going = [
                s["booking_id"] for s in matches.upcoming(match, now) if not s.get("cohort_id")
            ]

            def leave(state: State | None) -> Decision:
                assert state is not None
                changed, events = sessions.cancel_upcoming(state, now, reason)
                if erased:
                    changed = sessions.forget(changed, participant_id)
                if changed == state:
                    return Decision(state=None)
                changed["due_epoch"] = timers.next_due(changed, self.desk.clockwork)
                return Decision(changed, [new_envelope(e, SERVICE) for e in events])

            await self.stores.matches.apply(match["match_id"], leave)
            await self.desk.reservations.release(match["mentor_id"], set(going))
            await self._cohort_done(match)
        if erased:
            await self._forget_in_cohorts(participant_id)

    async def match_ended(self, match: State) -> None:
        cancelled = {
            s["booking_id"]
            for s in match.get("sessions", [])
            if s["status"] == matches.CANCELLED and not s.get("cohort_id")
        }
        await self.desk.reservations.release(match["mentor_id"], cancelled)
        await self._cohort_done(match)

    async def _cohort_done(self, match: State) -> None:
        """When no member of a cohort is still active, its future group sessions give
        the mentor's time back."""
        cid = match.get("cohort_id")
        cohort = await self.stores.cohorts.get_state(cid) if cid else None
        if cohort is None:
            return
        for member in cohort["members"]:
            other = await self.stores.matches.get_state(member)
            if other is not None and other["status"] == "active":
                return
        now = self.contexts.clock()
        ahead = {
            f"{cid}:{s['sequence']}"
            for s in cohort.get("sessions", [])
            if datetime.fromisoformat(s["starts_at"]) > now
        }
        await self.desk.reservations.release(cohort["mentor_id"], ahead)

    async def _forget_in_cohorts(self, participant_id: str) -> None:
        for match in await self.stores.matches_of(participant_id):
            cid = match.get("cohort_id")
            if cid:
                await self.stores.cohorts.apply(
                    cid, lambda state: Decision(cohorts.forget(state, participant_id))
                )

    async def program_changed(self, program: State) -> None:
        rules = matches.rules(ProgramPublished.model_validate(program))
        for match in await self.stores.matches_in(program["program_id"]):
            if match["status"] != "active" or match.get("rules") == rules:
                continue

            def refresh(state: State | None) -> Decision:
                assert state is not None
                changed = {**state, "rules": rules}
                changed["due_epoch"] = timers.next_due(changed, self.desk.clockwork)
                return Decision(changed)

            await self.stores.matches.apply(match["match_id"], refresh)


def _with(change: tuple[State, object], extra: object) -> tuple[State, list[object]]:
    state, event = change
    return state, [event, extra]
