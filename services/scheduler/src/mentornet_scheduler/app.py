"""Scheduler's composition root: the only place its parts are built and wired.

`clock` is the one source of "now" for booking, timers and the API, so tests can run
the real service on a controllable clock."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from mentornet_chassis.process.runtime import Runtime, ServiceParts
from mentornet_contracts.catalogue import SERVICES
from mentornet_contracts.errors import UnknownEntity

from .api import ROUTERS, access
from .domain.timers import Clockwork
from .handlers import SIDE_BY_SIDE, scheduler_handlers
from .settings import SchedulerSettings
from .store import CALENDARS, COHORTS, LEDGERS, SERVICE, SchedulerStores
from .store import MATCHES as MATCH_VIEWS
from .store import PROGRAMS as RULES
from .usecases.booking import Booker
from .usecases.checkins import CheckinDesk
from .usecases.cohorts import CohortDesk
from .usecases.context import Contexts, Rules
from .usecases.desk import Desk
from .usecases.feeds import Feeds, FeedSigner
from .usecases.pauses import PauseDesk
from .usecases.queries import Queries
from .usecases.replanning import Replanner
from .usecases.reservations import Reservations
from .workers import timer_worker

SETTINGS = SchedulerSettings
DEV_FEED_KEY = b"mentornet-local-calendar-feed-key"


def build(runtime: Runtime, clock: Callable[[], datetime] | None = None) -> ServiceParts:
    clock = clock or runtime.clock
    settings = runtime.settings_as(SchedulerSettings)
    stores = SchedulerStores(
        calendars=runtime.aggregates(CALENDARS),
        programs=runtime.aggregates(RULES),
        matches=runtime.aggregates(MATCH_VIEWS),
        ledgers=runtime.aggregates(LEDGERS),
        cohorts=runtime.aggregates(COHORTS),
    )
    clockwork = Clockwork(
        reminder_offsets=tuple(settings.reminder_offsets_minutes),
        prompt_after=timedelta(hours=settings.attendance_prompt_hours),
        missed_after=timedelta(hours=settings.attendance_deadline_hours),
    )
    rules = Rules(
        lead=timedelta(hours=settings.booking_lead_hours),
        buffer=timedelta(minutes=settings.buffer_minutes),
    )
    contexts = Contexts(stores, clock, rules)
    reservations = Reservations(stores, rules.buffer)
    cohorts = CohortDesk(
        stores, contexts, reservations, clockwork, timedelta(hours=settings.cohort_settle_hours)
    )
    booker = Booker(
        stores,
        contexts,
        reservations,
        clockwork,
        cohorts,
        timedelta(seconds=settings.booking_retry_seconds),
    )
    desk = Desk(stores, contexts, reservations, clockwork)
    replanner = Replanner(stores, contexts, desk)
    checkin_desk = CheckinDesk(stores, contexts, clockwork)
    pause_desk = PauseDesk(stores, contexts, reservations, clockwork, booker, checkin_desk)
    timers = timer_worker(
        stores, booker, cohorts, clockwork, clock, settings.timer_poll_seconds, runtime.wake_relay
    )
    signer = FeedSigner(_feed_key(settings), settings.public_url, settings.feed_link_days)
    return ServiceParts(
        side_by_side=SIDE_BY_SIDE,
        clock=clock,
        routers=ROUTERS,
        provides=[desk, Queries(stores), Feeds(stores, signer, clock)],
        handlers=scheduler_handlers(
            stores, booker, replanner, clock, pause_desk=pause_desk, checkin_desk=checkin_desk
        ),
        consumes=SERVICES[SERVICE].consumes,
        stores=stores.all(),
        on_startup=[stores.ensure_indexes],
        workers=[timers.run],
        parks=[UnknownEntity],
        resources=access.resolvers(stores),
    )


def _feed_key(settings: SchedulerSettings) -> bytes:
    """The feed key, never the token key (a leaked feed URL must not help forge tokens);
    in development only (settings refuse production without one), a fixed local key."""
    if settings.feed_key is not None:
        return settings.feed_key.get_secret_value().encode()
    return DEV_FEED_KEY
