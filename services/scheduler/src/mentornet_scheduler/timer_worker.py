"""The scheduler's clock: every poll, whatever is due (reminders, attendance prompts,
missed-session deadlines, inactivity, waiting bookings, cohorts ready to settle) is
done and written with its events in one conditional write per match. Any replica may
run it; the version check on each write means each reminder is sent once."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta

from mentornet_chassis.aggregates import AggregateStore, Decision, State
from mentornet_chassis.consumer import STORE_UNREACHABLE
from mentornet_chassis.logging import get_logger
from mentornet_chassis.pause import pause
from mentornet_contracts import new_envelope

from .booker import Booker
from .cohort_desk import CohortDesk
from .domain import matches, timers
from .store import SchedulerStores

SERVICE = "scheduler"
log = get_logger(__name__)
RETRY = timedelta(seconds=60)


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
            try:
                await self.run_once()
            except STORE_UNREACHABLE as exc:
                log.warning("store unreachable; timers wait for it", error=repr(exc))
            await pause(stopping, self.wake, self.poll_s)

    async def run_once(self) -> int:
        """One pass; how many matches and cohorts had something due. One that fails is
        logged with its error and put off for RETRY_S, so it cannot stop the others or
        the service; it is tried again then."""
        now = self.clock()
        due = await self.stores.due_matches(now.timestamp())
        for match_id in due:
            await self._guarded(self.stores.matches, match_id, now, self._match(match_id, now))
        cohorts = await self.stores.due_cohorts(now.timestamp())
        for cohort_id in cohorts:
            await self._guarded(self.stores.cohorts, cohort_id, now, self.cohorts.settle(cohort_id))
        if due or cohorts:
            self.wake_relay()
        return len(due) + len(cohorts)

    async def _guarded(
        self, store: AggregateStore, aggregate_id: str, now: datetime, work: Awaitable[None]
    ) -> None:
        try:
            await work
        except STORE_UNREACHABLE:
            raise
        except Exception as exc:
            log.error("timer work failed; retrying later", aggregate_id=aggregate_id, exc_info=exc)
            later = (now + RETRY).timestamp()

            def put_off(state: State | None) -> Decision:
                due = (state or {}).get("due_epoch")
                if state is None or (due is not None and due >= later):
                    return Decision(state=None)
                return Decision({**state, "due_epoch": later})

            await store.apply(aggregate_id, put_off)

    async def _match(self, match_id: str, now: datetime) -> None:
        match = await self.stores.matches.get_state(match_id)
        if match is None:
            return
        if match["booking"] == matches.PENDING:
            await self.booker.book(match_id)
            return

        def decide(state: State | None) -> Decision:
            due = (state or {}).get("due_epoch")
            if state is None or due is None or due > now.timestamp():
                return Decision(state=None)
            changed, events = timers.due(state, now, self.clockwork)
            return Decision(changed, [new_envelope(e, SERVICE) for e in events])

        applied = await self.stores.matches.apply(match_id, decide)
        if applied.emitted:
            log.info("timers fired", match_id=match_id, events=[e.type for e in applied.emitted])
