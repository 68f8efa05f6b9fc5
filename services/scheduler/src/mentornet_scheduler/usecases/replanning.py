"""What changes to people and programs do to sessions already booked.

- New availability: each future session that no longer fits is moved to the nearest
  time that does (session.rescheduled, saying why) or, when none does, cancelled and
  its date unplaced with the true reason (session.booking.failed for the
  coordinators); then the match's unplaced future dates are tried again (booked ones
  leave the list), a cohort member is re-seated per date, and a match that got
  nothing at all is booked afresh.
- A participant who withdraws or is erased: their future sessions are cancelled and,
  on erasure, their zone leaves the sessions' local times.
- An ended match: its future sessions were cancelled with the end; the mentor's time
  is given back here.
- New program rules: active matches take the new thresholds.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from mentornet_chassis.errors import Invalid
from mentornet_chassis.store.typed import Change
from mentornet_contracts.events.programs import ProgramPublished

from ..domain import checkin_clock, cohort_changes, matches, refill, sessions, timers
from ..domain.planning import diagnose, nearest_start
from ..domain.state import Cohort, Match, MatchStatus, SessionStatus
from ..store import SERVICE, SchedulerStores
from .context import Contexts, Unbookable, Waiting
from .desk import Desk
from .refilling import Refilling


class Replanner:
    def __init__(self, stores: SchedulerStores, contexts: Contexts, desk: Desk) -> None:
        self.stores = stores
        self.contexts = contexts
        self.desk = desk
        self.refill = Refilling(stores, contexts, desk)

    async def availability_changed(self, participant_id: str) -> None:
        now = self.contexts.clock()
        for match in await self.stores.matches_of(participant_id):
            if match["status"] != MatchStatus.ACTIVE:
                continue
            for session in matches.upcoming(match, now):
                if not session.get("cohort_id") and not checkin_clock.is_checkin(session):
                    await self._refit(match["match_id"], session["session_id"], participant_id)
            await self.refill.again(match["match_id"], participant_id)

    async def _refit(self, match_id: str, sid: str, who: str) -> None:
        match = await self.stores.match_states.get(match_id)
        session = matches.find(match, sid) if match else None
        if match is None or session is None or session["status"] != SessionStatus.SCHEDULED:
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
        moved_to = nearest_start(booking, start, pair.series.tolerance)
        if moved_to is not None:
            try:
                await self.desk.reschedule(match, sid, moved_to, reason)
                return
            except (Invalid, sessions.SessionConflict):
                pass
        date = diagnose(booking, session["sequence"], start, booking.not_before)
        await self.desk.change(match_id, lambda m: refill.dropped(m, sid, reason, date))
        await self.desk.reservations.release(match["mentor_id"], {session["booking_id"]})

    async def left(self, participant_id: str, *, erased: bool) -> None:
        now = self.contexts.clock()
        reason = "the participant was erased" if erased else "the participant withdrew"
        for match in await self.stores.matches_of(participant_id):
            going = [
                s["booking_id"] for s in matches.upcoming(match, now) if not s.get("cohort_id")
            ]

            def leave(state: Match | None) -> Change[Match]:
                assert state is not None
                changed, events = sessions.cancel_upcoming(state, now, reason)
                if erased:
                    changed = sessions.forget(changed, participant_id)
                if changed == state:
                    return Change(None)
                changed["due_epoch"] = timers.next_due(changed, self.desk.clockwork)
                return Change.announced(changed, events, SERVICE)

            await self.stores.match_states.apply(match["match_id"], leave)
            await self.desk.reservations.release(match["mentor_id"], set(going))
            await self._cohort_done(match)
        if erased:
            await self._forget_in_cohorts(participant_id)

    async def match_ended(self, match: Match) -> None:
        cancelled = {
            s["booking_id"]
            for s in match["sessions"]
            if s["status"] == SessionStatus.CANCELLED and not s.get("cohort_id")
        }
        await self.desk.reservations.release(match["mentor_id"], cancelled)
        await self._cohort_done(match)

    async def _cohort_done(self, match: Match) -> None:
        """When no member of a cohort is still active, its future group sessions give
        the mentor's time back."""
        cid = match.get("cohort_id")
        cohort = await self.stores.cohort_states.get(cid) if cid else None
        if cohort is None:
            return
        for member in cohort["members"]:
            other = await self.stores.match_states.get(member)
            if other is not None and other["status"] == MatchStatus.ACTIVE:
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
                await self.stores.cohort_states.apply(cid, _forgetting(participant_id))

    async def program_changed(self, program: ProgramPublished) -> None:
        rules = matches.rules(program)
        for match in await self.stores.matches_in(program.program_id):
            if match["status"] != MatchStatus.ACTIVE or match.get("rules") == rules:
                continue

            def refresh(state: Match | None) -> Change[Match]:
                assert state is not None
                changed: Match = {**state, "rules": rules}
                changed["due_epoch"] = timers.next_due(changed, self.desk.clockwork)
                return Change(changed)

            await self.stores.match_states.apply(match["match_id"], refresh)


def _forgetting(participant_id: str) -> Callable[[Cohort | None], Change[Cohort]]:
    return lambda state: Change(cohort_changes.forget(state, participant_id))
