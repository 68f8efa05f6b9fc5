"""Matcher's composition root."""

from __future__ import annotations

from mentornet_chassis.runner import run_service
from mentornet_chassis.runtime import Runtime, ServiceParts
from mentornet_chassis.settings import load_settings
from mentornet_contracts.catalogue import PARTICIPANTS

from .api import create_router
from .handlers import participant_handlers
from .settings import MatcherSettings
from .store import CANDIDATES, CandidateStore

SERVICE = "matcher"


def build(runtime: Runtime) -> ServiceParts:
    aggregates = runtime.aggregates(CANDIDATES)
    store = CandidateStore(aggregates)
    return ServiceParts(
        routers=[create_router(store)],
        handlers=participant_handlers(store),
        consumes=[PARTICIPANTS],
        stores=[aggregates],
    )


def main() -> None:
    run_service(SERVICE, load_settings(MatcherSettings, SERVICE), build)
