"""Matcher's composition root."""

from __future__ import annotations

from mentornet_chassis.runner import run_service
from mentornet_chassis.runtime import Runtime, ServiceParts
from mentornet_chassis.settings import load_settings
from mentornet_contracts.catalogue import PARTICIPANTS, PROGRAMS

from . import api, matches_api
from .handlers import matcher_handlers
from .matchmaker import Matchmaker
from .settings import MatcherSettings
from .store import CANDIDATES, LOADS, MATCHES, WAITLIST, MatcherStores
from .store import PROGRAMS as PROGRAM_RULES

SERVICE = "matcher"
SETTINGS = MatcherSettings


def build(runtime: Runtime) -> ServiceParts:
    stores = MatcherStores(
        candidates=runtime.aggregates(CANDIDATES),
        programs=runtime.aggregates(PROGRAM_RULES),
        matches=runtime.aggregates(MATCHES),
        loads=runtime.aggregates(LOADS),
        waitlist=runtime.aggregates(WAITLIST),
    )
    matchmaker = Matchmaker(stores, runtime.wake_relay)
    return ServiceParts(
        routers=[
            api.create_router(stores, runtime.current),
            matches_api.create_router(stores, matchmaker, runtime.current),
        ],
        handlers=matcher_handlers(stores, matchmaker),
        consumes=[PARTICIPANTS, PROGRAMS],
        stores=stores.all(),
    )


def main() -> None:
    run_service(SERVICE, load_settings(SETTINGS, SERVICE), build)
