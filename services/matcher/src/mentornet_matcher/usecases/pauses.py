"""Pausing and resuming matches: a coordinator's or the pair's request, QA's pause
step, and the timer that resumes a pause at its end.

Each writes the match and its match.paused / match.resumed in one conditional write
(the outbox), then wakes the relay. The rules are pure (domain/pauses.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from mentornet_chassis.store.typed import Change
from mentornet_contracts.events.matches import Decider, PauseActor

from ..domain import pauses
from ..domain.documents import Match, Program
from ..domain.programs import as_published
from ..store import MatcherStores
from .proposals import emitting
from .rematch import UnknownMatch

DEFAULT_MAX_PAUSE_WEEKS = 4
"""A program this service does not know (yet) allows the contracts' default."""


@dataclass(frozen=True)
class PauseOutcome:
    match: Match
    waiting_for: list[str]
    """Who of the match has yet to ask, while a participants' pause waits for them."""


def max_pause_weeks(program: Program | None) -> int:
    return DEFAULT_MAX_PAUSE_WEEKS if program is None else as_published(program).max_pause_weeks


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

        def step(state: Match | None) -> Change[Match]:
            current = state or match
            if asking == Decider.COORDINATOR:
                return emitting(*pauses.pause(current, PauseActor.COORDINATOR, text, weeks, now))
            changed, event = pauses.request(current, asking, text, weeks, now)
            return emitting(changed) if event is None else emitting(changed, event)

        written = await self._write(match["match_id"], step)
        return PauseOutcome(written, pauses.waiting_for(written))

    async def resume(self, match: Match, asking: Decider) -> Match:
        now = self.clock()
        by = pauses.resumer(asking)

        def step(state: Match | None) -> Change[Match]:
            return emitting(*pauses.resume(state or match, by, now))

        return await self._write(match["match_id"], step)

    async def qa_pause(self, match_id: str, case_id: str, detail: str) -> Match | None:
        """QA's escalation step `pause`: the match pauses for the program's longest
        pause. A match that is not active, or that this case paused already, is left
        as it is (the event may come again)."""
        match = await self.stores.match(match_id)
        if match is None:
            raise UnknownMatch(f"no match {match_id} here")
        weeks = max_pause_weeks(await self.stores.program(match["program_id"]))
        now = self.clock()

        def step(state: Match | None) -> Change[Match]:
            if state is None or not pauses.qa_may_pause(state, case_id):
                return Change(None)
            return emitting(*pauses.pause(state, PauseActor.QA, detail, weeks, now, case_id))

        changed = await self.stores.match_states.apply(match_id, step)
        if changed.wrote:
            self.wake_relay()
        return changed.state

    async def _write(self, match_id: str, step: Callable[[Match | None], Change[Match]]) -> Match:
        written = await self.stores.match_states.change(match_id, step)
        self.wake_relay()
        assert written is not None
        return written
