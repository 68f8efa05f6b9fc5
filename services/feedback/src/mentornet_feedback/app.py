"""Feedback's composition root: the only place its parts are built and wired.

`clock` is the one source of "now" (due dates, edit windows, reminders), so tests can
run the real service on a controllable clock."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from mentornet_chassis.messaging.timers import DueScanner, DueTask, Falling, firing
from mentornet_chassis.process.runtime import Runtime, ServiceParts
from mentornet_contracts.catalogue import SERVICES
from mentornet_contracts.errors import UnknownEntity
from mentornet_contracts.events.feedback import FeedbackReminderDue

from .api import ROUTERS, access
from .domain import requests
from .domain.requests import Windows
from .domain.state import Match
from .handlers import SIDE_BY_SIDE, feedback_handlers
from .settings import FeedbackSettings
from .store import MATCHES, PEOPLE, PROGRAMS, TEMPLATES, FeedbackStores
from .store.texts import TEXTS, Texts
from .store.versions import VERSIONS, TemplateVersions
from .usecases.checkins import Checkins
from .usecases.common import Parts
from .usecases.followups import FollowUps
from .usecases.goals import Goals
from .usecases.match_facts import MatchFacts
from .usecases.outcomes import Outcomes
from .usecases.reports import Reports
from .usecases.surveys import Surveys
from .usecases.templates import Templates
from .usecases.views import FeedbackViews

SERVICE = "feedback"
SETTINGS = FeedbackSettings


def stores_of(runtime: Runtime) -> FeedbackStores:
    templates = runtime.aggregates(TEMPLATES)
    return FeedbackStores(
        matches=runtime.aggregates(MATCHES),
        programs=runtime.aggregates(PROGRAMS),
        templates=templates,
        people=runtime.aggregates(PEOPLE),
        texts=Texts(runtime.db[TEXTS]),
        versions=TemplateVersions(runtime.db[VERSIONS], legacy=templates),
    )


def windows_of(settings: FeedbackSettings) -> Windows:
    return Windows(
        due_after=timedelta(days=settings.due_after_days),
        edit_for=timedelta(hours=settings.edit_window_hours),
        close_after=timedelta(days=settings.close_after_days),
    )


def reminders(windows: Windows) -> Falling[Match]:
    """Reminders and closings (domain/requests.py), as the timer scanner calls them."""

    def due(state: Match, now: datetime) -> tuple[Match, list[FeedbackReminderDue]]:
        return requests.due(state, now, windows)

    return due


def build(runtime: Runtime, clock: Callable[[], datetime] | None = None) -> ServiceParts:
    clock = clock or runtime.clock
    settings = runtime.settings_as(FeedbackSettings)
    stores = stores_of(runtime)
    parts = Parts(stores, clock, windows_of(settings), runtime.wake_relay)
    due = firing(stores.match_states, reminders(parts.windows), SERVICE)
    timers = DueScanner(
        [DueTask(stores.matches, due)], clock, settings.timer_poll_seconds, runtime.wake_relay
    )
    return ServiceParts(
        side_by_side=SIDE_BY_SIDE,
        clock=clock,
        routers=ROUTERS,
        provides=[
            Templates(parts),
            Surveys(parts),
            Reports(parts),
            Goals(parts),
            FeedbackViews(parts),
            Checkins(parts),
            Outcomes(parts),
        ],
        handlers=feedback_handlers(FollowUps(parts), MatchFacts(parts), clock),
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
