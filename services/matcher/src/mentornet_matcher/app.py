"""Matcher's composition root."""

from __future__ import annotations

from mentornet_chassis.process.runner import run_service
from mentornet_chassis.process.runtime import Runtime, ServiceParts
from mentornet_chassis.process.settings import load_settings
from mentornet_contracts.catalogue import SERVICES
from mentornet_contracts.errors import UnknownEntity

from . import access, api, matches_api, program_board_api
from .batch_runs import BatchRuns
from .batch_worker import BatchWorker
from .decisions import Decisions
from .handlers import matcher_handlers
from .matchmaker import Matchmaker
from .rematch import Rematcher
from .settings import MatcherSettings
from .store import CANDIDATES, COVERAGE, LOADS, MATCHES, TAXONOMY, WAITLIST, MatcherStores
from .store import PROGRAMS as PROGRAM_RULES
from .taxonomy import Taxonomy

SERVICE = "matcher"
SETTINGS = MatcherSettings


def build(runtime: Runtime) -> ServiceParts:
    settings = runtime.settings_as(MatcherSettings)
    stores = MatcherStores(
        candidates=runtime.aggregates(CANDIDATES),
        programs=runtime.aggregates(PROGRAM_RULES),
        matches=runtime.aggregates(MATCHES),
        loads=runtime.aggregates(LOADS),
        waitlist=runtime.aggregates(WAITLIST),
        coverage=runtime.aggregates(COVERAGE),
        taxonomy=runtime.aggregates(TAXONOMY),
    )
    runs = BatchRuns(runtime.db, settings.batch_schedule_seconds)
    matchmaker = Matchmaker(
        stores,
        runs,
        runtime.wake_relay,
        Taxonomy(stores.taxonomy).skills,
        view_ttl_s=settings.newcomer_view_ms / 1000,
    )
    rematcher = Rematcher(stores, matchmaker)
    worker = BatchWorker(runs, matchmaker, settings.batch_poll_seconds)
    return ServiceParts(
        clock=runtime.clock,
        routers=[
            api.create_router(stores),
            matches_api.create_router(stores, Decisions(stores, matchmaker, rematcher)),
            program_board_api.create_router(stores, runs, matchmaker.coverage, worker.wake.set),
        ],
        handlers=matcher_handlers(stores, runs, matchmaker, rematcher),
        consumes=SERVICES[SERVICE].consumes,
        stores=stores.all(),
        workers=[worker.run],
        parks=[UnknownEntity],
        resources=access.resolvers(stores),
    )


def main() -> None:
    run_service(SERVICE, load_settings(SETTINGS, SERVICE), build)
