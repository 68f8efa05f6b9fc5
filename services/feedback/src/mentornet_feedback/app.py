"""Feedback's composition root: the only place its parts are built and wired.

`clock` is the one source of "now" (due dates, edit windows, reminders), so tests can
run the real service on a controllable clock."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from mentornet_chassis.messaging.timers import DueScanner, DueTask, firing
from mentornet_chassis.process.runner import run_service
from mentornet_chassis.process.runtime import Runtime, ServiceParts
from mentornet_chassis.process.settings import load_settings
from mentornet_contracts.catalogue import SERVICES
from mentornet_contracts.errors import UnknownEntity

from . import access, reports_api, surveys_api
from .domain import requests
from .domain.requests import Windows
from .handlers import feedback_handlers
from .settings import FeedbackSettings
from .store import MATCHES, PEOPLE, TEMPLATES, FeedbackStores
from .store import PROGRAMS as RULES
from .texts import TEXTS, Texts
from .versions import VERSIONS, TemplateVersions

SERVICE = "feedback"
SETTINGS = FeedbackSettings


def build(runtime: Runtime, clock: Callable[[], datetime] | None = None) -> ServiceParts:
    clock = clock or runtime.clock
    settings = runtime.settings_as(FeedbackSettings)
    templates = runtime.aggregates(TEMPLATES)
    stores = FeedbackStores(
        matches=runtime.aggregates(MATCHES),
        programs=runtime.aggregates(RULES),
        templates=templates,
        people=runtime.aggregates(PEOPLE),
        texts=Texts(runtime.db[TEXTS]),
        versions=TemplateVersions(runtime.db[VERSIONS], legacy=templates),
    )
    windows = Windows(
        due_after=timedelta(days=settings.due_after_days),
        edit_for=timedelta(hours=settings.edit_window_hours),
        close_after=timedelta(days=settings.close_after_days),
    )
    reminders = firing(
        stores.matches, lambda state, now: requests.due(state, now, windows), SERVICE
    )
    timers = DueScanner(
        [DueTask(stores.matches, reminders)], clock, settings.timer_poll_seconds, runtime.wake_relay
    )
    return ServiceParts(
        clock=clock,
        routers=[
            surveys_api.create_router(stores, clock, windows, runtime.wake_relay),
            reports_api.create_router(stores, clock, runtime.wake_relay),
        ],
        handlers=feedback_handlers(stores, clock, windows),
        consumes=SERVICES[SERVICE].consumes,
        stores=stores.all(),
        on_startup=[
            stores.ensure_indexes,
            stores.texts.ensure_indexes,
            stores.versions.ensure_indexes,
        ],
        workers=[timers.run],
        parks=[UnknownEntity],
        resources=access.resolvers(stores),
    )


def main() -> None:
    run_service(SERVICE, load_settings(SETTINGS, SERVICE), build)
