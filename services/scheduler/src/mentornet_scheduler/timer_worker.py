"""The scheduler's clock: every poll, whatever is due (reminders, attendance prompts,
missed-session deadlines, inactivity, waiting bookings, cohorts ready to settle) is
done and written with its events in one conditional write per match. Any replica may
run it; the version check on each write means each reminder is sent once."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime

from mentornet_chassis.aggregates import Decision, State
from mentornet_chassis.logging import get_logger
from mentornet_chassis.pause import pause
from mentornet_contracts import new_envelope

from .booker import Booker
from .cohort_desk import CohortDesk
from .domain import matches, timers
from .store import SchedulerStores

SERVICE = "scheduler"
log = get_logger(__name__)


class TimerWorker:
    def __init__(
        self,
        stores: SchedulerStores,
        booker: Booker,
        cohorts: CohortDesk,
        clockwork: timers.Clockwork,
        clock: Callable[[], datetime],
        poll_s: float,
        wake_relay: Callable[[], None],
    ) -> None:
        self.stores = stores
        self.booker = booker
        self.cohorts = cohorts
        self.clockwork = clockwork
        self.clock = clock
        self.poll_s = poll_s
        self.wake_relay = wake_relay
        self.wake = asyncio.Event()

    async def run(self, stopping: asyncio.Event) -> None:
        while not stopping.is_set():
            await self.run_once()
            await pause(stopping, self.wake, self.poll_s)

    async def run_once(self) -> int:
        """One pass; how many matches and cohorts had something due."""
        now = self.clock()
        due = await self.stores.due_matches(now.timestamp())
        for match_id in due:
            await self._match(match_id, now)
        cohorts = await self.stores.due_cohorts(now.timestamp())
        for cohort_id in cohorts:
            await self.cohorts.settle(cohort_id)
        if due or cohorts:
            self.wake_relay()
        return len(due) + len(cohorts)

    async def _match(self, match_id: str, now: datetime) -> None:
        match = await self.stores.matches.get_state(match_id)
        if match is None:
            return
        if match["booking"] == matches.PENDING:
            await self.booker.book(match_id)
            return

        def decide(state: State | None) -> Decision:
            if state is None or (state.get("due_epoch") or float("inf")) > now.timestamp():
                return Decision(state=None)
            changed, events = timers.due(state, now, self.clockwork)
            return Decision(changed, [new_envelope(e, SERVICE) for e in events])

        applied = await self.stores.matches.apply(match_id, decide)
        if applied.emitted:
            log.info("timers fired", match_id=match_id, events=[e.type for e in applied.emitted])
