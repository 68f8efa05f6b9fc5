"""Pausing and resuming matches: a coordinator's or the pair's request (which the
person may withdraw), QA's pause step, and the timer that resumes a pause at its end.

Each writes the match and its match.paused / match.resumed in one conditional write
(the outbox), then wakes the relay. The rules are pure (domain/pauses.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from mentornet_chassis.errors import NotFound
from mentornet_chassis.store.typed import Change
from mentornet_contracts.events.matches import Decider, PauseActor
from mentornet_contracts.events.programs import ProgramPublished

from ..domain import pause_requests, pauses
from ..domain.documents import Match, Program
from ..domain.programs import as_published
from ..store import MatcherStores
from .proposals import emitting
from .rematch import UnknownMatch

QA_PAUSE_REASON = "paused by the program team"
"""What a QA pause says to the pair (the scheduler copies it into session.cancelled):
never the trigger; the event's case_id links the case for the team."""


@dataclass(frozen=True)
class PauseOutcome:
    match: Match
    waiting_for: list[str]
    """Who of the match has yet to ask, while the pair's request (to pause, or to end
    their pause early) waits for them."""


def max_pause_weeks(program: Program | None) -> int:
    """The program's longest pause; a program this service does not know (yet) allows
    the contracts' default."""
    if program is None:
        return int(ProgramPublished.model_fields["max_pause_weeks"].default)
    return as_published(program).max_pause_weeks


class Pauses:
    def __init__(
        self,
        stores: MatcherStores,
        clock: Callable[[], datetime],
        wake_relay: Callable[[], None],
    ) -> None:
        self.stores = stores
        self.clock = clock
        self.wake_relay = wake_relay

    async def pause(self, match: Match, asking: Decider, weeks: int, reason: str) -> PauseOutcome:
        """A coordinator pauses at once; a mentee's or mentor's request is recorded, and
        the match pauses when the other has asked too."""
        program = await self.stores.program(match["program_id"])
        pauses.check_weeks(weeks, max_pause_weeks(program))
        text = pauses.check_reason(reason)
        now = self.clock()

        def step(current: Match) -> Change[Match]:
            if asking == Decider.COORDINATOR:
                return emitting(*pauses.pause(current, PauseActor.COORDINATOR, text, weeks, now))
            changed, event = pauses.request(current, asking, text, weeks, now)
            return emitting(changed) if event is None else emitting(changed, event)

        written = await self._write(match["match_id"], step)
        return PauseOutcome(written, pause_requests.waiting_for(written, now))

    async def resume(self, match: Match, asking: Decider) -> PauseOutcome:
        """The program's team ends a pause at once; the pair ends their own pause early
        once both have asked (a pause by a coordinator or QA: 409 to them)."""
        now = self.clock()

        def step(current: Match) -> Change[Match]:
            changed, event = pauses.ask_resume(current, asking, now)
            return emitting(changed) if event is None else emitting(changed, event)

        written = await self._write(match["match_id"], step)
        return PauseOutcome(written, pause_requests.waiting_for(written, now))

    async def withdraw(self, match: Match, asking: Decider, kind: pause_requests.Kind) -> Match:
        """The person's own open request to pause (or to resume) is withdrawn; 409 when
        they have none."""
        now = self.clock()

        def step(current: Match) -> Change[Match]:
            return emitting(pause_requests.withdraw(current, asking, kind, now))

        return await self._write(match["match_id"], step)

    async def qa_pause(self, match_id: str, case_id: str) -> Match | None:
        """QA's escalation step `pause`: the match pauses for the program's longest
        pause, with a neutral reason. A match that is not active, or that this case
        paused already, is left as it is (the event may come again)."""
        match = await self.stores.match(match_id)
        if match is None:
            raise UnknownMatch(f"no match {match_id} here")
        weeks = max_pause_weeks(await self.stores.program(match["program_id"]))
        now = self.clock()

        def step(state: Match | None) -> Change[Match]:
            if state is None or not pauses.qa_may_pause(state, case_id):
                return Change(None)
            paused = pauses.pause(state, PauseActor.QA, QA_PAUSE_REASON, weeks, now, case_id)
            return emitting(*paused)

        changed = await self.stores.match_states.apply(match_id, step)
        if changed.wrote:
            self.wake_relay()
        return changed.state

    async def _write(self, match_id: str, step: Callable[[Match], Change[Match]]) -> Match:
        """Apply `step` to the stored match; a match no longer stored is a 404 (nothing
        is written for it)."""

        def stored(state: Match | None) -> Change[Match]:
            return Change(None) if state is None else step(state)

        written = await self.stores.match_states.change(match_id, stored)
        if written is None:
            raise NotFound("match_id", f"no match {match_id} here")
        self.wake_relay()
        return written
