"""The scheduler's clock (chassis timers): reminders, attendance prompts, missed-session
deadlines and inactivity per match; waiting bookings retried; cohorts settled when full
or their time is up. Any replica may run it; each write is conditional, so each
reminder is sent once."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from mentornet_chassis.messaging.timers import DueScanner, DueTask, firing

from .domain import timers
from .domain.state import BookingState, Match
from .store import SERVICE, SchedulerStores
from .usecases.booking import Booker
from .usecases.cohorts import CohortDesk


def timer_worker(
    stores: SchedulerStores,
    booker: Booker,
    cohorts: CohortDesk,
    clockwork: timers.Clockwork,
    clock: Callable[[], datetime],
    poll_s: float,
    wake_relay: Callable[[], None],
) -> DueScanner:
    fire = firing(stores.match_states, _due(clockwork), SERVICE)

    async def match_work(match_id: str, now: datetime) -> None:
        match = await stores.match_states.get(match_id)
        if match is not None and match["booking"] == BookingState.PENDING:
            await booker.book(match_id)
        else:
            await fire(match_id, now)

    async def cohort_work(cohort_id: str, now: datetime) -> None:
        await cohorts.settle(cohort_id)

    tasks = [DueTask(stores.matches, match_work), DueTask(stores.cohorts, cohort_work)]
    return DueScanner(tasks, clock, poll_s, wake_relay)


def _due(clockwork: timers.Clockwork) -> Callable[[Match, datetime], tuple[Match, list[Any]]]:
    return lambda match, now: timers.due(match, now, clockwork)
