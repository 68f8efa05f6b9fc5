"""Matcher's composition root: the only place its parts are built and wired."""

from __future__ import annotations

from mentornet_chassis.process.runtime import Runtime, ServiceParts
from mentornet_contracts.catalogue import SERVICES
from mentornet_contracts.errors import UnknownEntity

from .api import ROUTERS, access
from .handlers import SIDE_BY_SIDE, matcher_handlers
from .settings import MatcherSettings
from .store import (
    CANDIDATES,
    COVERAGE,
    EXPERIMENTS,
    LOADS,
    MATCHES,
    PROGRAMS,
    TAXONOMY,
    WAITLIST,
    BatchRuns,
    MatcherStores,
    Taxonomy,
)
from .usecases.board import ProgramBoard
from .usecases.decisions import Decisions
from .usecases.followups import FollowUps
from .usecases.matchmaker import Matchmaker
from .usecases.pauses import Pauses
from .usecases.rematch import Rematcher
from .workers import BatchWorker, pause_timers

SERVICE = "matcher"
SETTINGS = MatcherSettings


def build(runtime: Runtime) -> ServiceParts:
    settings = runtime.settings_as(MatcherSettings)
    stores = MatcherStores(
        *(
            runtime.aggregates(name)
            for name in (
                CANDIDATES,
                PROGRAMS,
                MATCHES,
                LOADS,
                WAITLIST,
                COVERAGE,
                TAXONOMY,
                EXPERIMENTS,
            )
        )
    )
    runs = BatchRuns(runtime.db, settings.batch_schedule_seconds)
    matchmaker = Matchmaker(
        stores,
        runs,
        runtime.wake_relay,
        Taxonomy(stores.taxonomy).skills,
        today=runtime.clock,
        view_ttl_s=settings.newcomer_view_ms / 1000,
    )
    rematcher = Rematcher(stores, matchmaker)
    worker = BatchWorker(runs, matchmaker, settings.batch_poll_seconds)
    pausing = Pauses(stores, runtime.clock, runtime.wake_relay)
    timers = pause_timers(stores, runtime.clock, settings.timer_poll_seconds, runtime.wake_relay)
    return ServiceParts(
        side_by_side=SIDE_BY_SIDE,
        clock=runtime.clock,
        routers=ROUTERS,
        provides=[
            Decisions(stores, matchmaker, rematcher),
            ProgramBoard(stores, runs, matchmaker.coverage, worker.wake.set),
            matchmaker.pairs,
            matchmaker.experiments,
            pausing,
        ],
        handlers=matcher_handlers(stores, FollowUps(runs, matchmaker, rematcher, pausing)),
        consumes=SERVICES[SERVICE].consumes,
        stores=stores.all(),
        workers=[worker.run, timers.run],
        parks=[UnknownEntity],
        resources=access.resolvers(stores),
    )
