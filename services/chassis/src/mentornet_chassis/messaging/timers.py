"""Work that falls due with time: each aggregate keeps `state.due_epoch` (epoch
seconds, or None), and a scanner runs the work of every aggregate whose time has
come. The work writes through the aggregate's conditional write, so several replicas
scanning at once still do each thing once.

One aggregate whose work fails is logged with its error and put off for `retry`, so
it cannot stop the others or the service; while MongoDB is unreachable the scanner
waits for it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, TypeAlias, cast

from mentornet_contracts import Event, new_envelope

from mentornet_chassis.messaging.consumer import STORE_UNREACHABLE
from mentornet_chassis.process.logging import get_logger
from mentornet_chassis.process.workers import pause
from mentornet_chassis.store.aggregates import AggregateStore, Decision, State
from mentornet_chassis.store.typed import Documents, S, untyped

log = get_logger(__name__)

Work = Callable[[str, datetime], Awaitable[None]]
"""Do what is due for one aggregate at a given time."""
Falling: TypeAlias = Callable[[S, datetime], tuple[S, Sequence[Event]]]
"""Pure: the document after what is due at that time (with its next `due_epoch`), and
the events it emits."""
Due = Falling[State]


@dataclass(frozen=True)
class DueTask:
    store: AggregateStore
    work: Work


def firing(store: AggregateStore | Documents[S], due: Falling[S], source: str) -> Work:
    """The usual work: apply `due` in one conditional write, if the aggregate is still
    due when written (another replica may have been first)."""

    async def fire(aggregate_id: str, now: datetime) -> None:
        def decide(state: State | None) -> Decision:
            when = (state or {}).get("due_epoch")
            if state is None or when is None or when > now.timestamp():
                return Decision(state=None)
            changed, events = due(cast("S", state), now)
            return Decision(untyped(changed), [new_envelope(e, source) for e in events])

        plain = store.store if isinstance(store, Documents) else store
        applied = await plain.apply(aggregate_id, decide)
        if applied.emitted:
            log.info(
                "timers fired", aggregate_id=aggregate_id, events=[e.type for e in applied.emitted]
            )

    return fire


class DueScanner:
    def __init__(
        self,
        tasks: Sequence[DueTask],
        clock: Callable[[], datetime],
        poll_s: float,
        wake_relay: Callable[[], None],
        retry: timedelta = timedelta(seconds=60),
        concurrency: int = 1,
    ) -> None:
        self.tasks = tasks
        self.clock = clock
        self.poll_s = poll_s
        self.wake_relay = wake_relay
        self.retry = retry
        self.concurrency = concurrency
        """Due aggregates worked on at once (each under its own claim): more than one
        where the work waits on the network, as the notifier's sends do."""
        self.wake = asyncio.Event()

    async def run(self, stopping: asyncio.Event) -> None:
        while not stopping.is_set():
            try:
                await self.run_once()
            except STORE_UNREACHABLE as exc:
                log.warning("store unreachable; timers wait for it", error=repr(exc))
            await pause(stopping, self.wake, self.poll_s)

    async def run_once(self) -> int:
        """One pass; how many aggregates had something due."""
        now, count = self.clock(), 0
        for task in self.tasks:
            due = await task.store.due_ids(now.timestamp())
            await self._all(task, due, now)
            count += len(due)
        if count:
            self.wake_relay()
        return count

    async def _all(self, task: DueTask, due: Sequence[str], now: datetime) -> None:
        """Every due aggregate, `concurrency` at a time; a store outage met by any is
        raised once all have stopped (none is left running behind the scanner)."""
        if self.concurrency <= 1:
            for aggregate_id in due:
                await self._guarded(task, aggregate_id, now)
            return
        slots = asyncio.Semaphore(self.concurrency)

        async def one(aggregate_id: str) -> None:
            async with slots:
                await self._guarded(task, aggregate_id, now)

        outcomes = await asyncio.gather(*(one(i) for i in due), return_exceptions=True)
        for outcome in outcomes:
            if isinstance(outcome, BaseException):
                raise outcome

    async def _guarded(self, task: DueTask, aggregate_id: str, now: datetime) -> None:
        try:
            await task.work(aggregate_id, now)
        except STORE_UNREACHABLE:
            raise
        except Exception as exc:
            log.error("timer work failed; retrying later", aggregate_id=aggregate_id, exc_info=exc)
            await task.store.apply(aggregate_id, _put_off((now + self.retry).timestamp()))


def _put_off(later: float) -> Callable[[State | None], Decision]:
    def decide(state: State | None) -> Decision:
        when: Any = (state or {}).get("due_epoch")
        if state is None or (when is not None and when >= later):
            return Decision(state=None)
        return Decision({**state, "due_epoch": later})

    return decide
