"""Cross-service fixtures: real intake and matcher processes on the session's stack."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager
from datetime import UTC, datetime
from functools import partial

import pytest
from mentornet_chassis.process.runtime import ServiceParts
from mentornet_chassis.process.settings import ServiceSettings
from mentornet_feedback.app import build as build_feedback
from mentornet_feedback.settings import FeedbackSettings
from mentornet_intake.app import build as build_intake
from mentornet_intake.settings import IntakeSettings
from mentornet_matcher.app import build as build_matcher
from mentornet_matcher.settings import MatcherSettings
from mentornet_notifier.app import build as build_notifier
from mentornet_notifier.settings import NotifierSettings
from mentornet_qa.app import build as build_qa
from mentornet_qa.settings import QaSettings
from mentornet_scheduler.app import build as build_scheduler
from mentornet_scheduler.settings import SchedulerSettings
from mentornet_tooling.testing.backends import Endpoints
from mentornet_tooling.testing.services import RunningService, running, service_settings

ServiceOn = Callable[..., AbstractAsyncContextManager[RunningService]]
SchedulerOn = ServiceOn


@pytest.fixture
async def intake(stack: Endpoints) -> AsyncIterator[RunningService]:
    async with running(
        "intake", service_settings(stack, IntakeSettings, "intake"), build_intake
    ) as service:
        yield service


@pytest.fixture
async def matcher(stack: Endpoints) -> AsyncIterator[RunningService]:
    async with running(
        "matcher",
        service_settings(stack, MatcherSettings, "matcher"),
        build_matcher,
        from_log_end=True,
    ) as service:
        yield service


def _on_clock(
    stack: Endpoints,
    unique: str,
    service: str,
    settings_cls: type[ServiceSettings],
    build: Callable[..., ServiceParts],
    **defaults: object,
) -> ServiceOn:
    """Start a service on a clock the test moves, with this test's database and consumer
    group; `restart=True` starts it again where the last one left off."""

    def start(
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        *,
        restart: bool = False,
        **settings: object,
    ) -> AbstractAsyncContextManager[RunningService]:
        values = service_settings(
            stack,
            settings_cls,
            service,
            database=f"test_{service}_{unique}",
            group=f"test-{service}-{unique}",
            park_retry_max_ms=500,
            **(defaults | settings),
        )
        return running(service, values, partial(build, clock=clock), from_log_end=not restart)

    return start


@pytest.fixture
def scheduler_on(stack: Endpoints, unique: str) -> ServiceOn:
    return _on_clock(
        stack,
        unique,
        "scheduler",
        SchedulerSettings,
        build_scheduler,
        timer_poll_seconds=0.2,
        booking_retry_seconds=1.0,
    )


@pytest.fixture
def feedback_on(stack: Endpoints, unique: str) -> ServiceOn:
    return _on_clock(
        stack, unique, "feedback", FeedbackSettings, build_feedback, timer_poll_seconds=0.2
    )


@pytest.fixture
def qa_on(stack: Endpoints, unique: str) -> ServiceOn:
    return _on_clock(stack, unique, "qa", QaSettings, build_qa, timer_poll_seconds=0.2)


@pytest.fixture
def notifier_on(stack: Endpoints, unique: str) -> ServiceOn:
    return _on_clock(stack, unique, "notifier", NotifierSettings, build_notifier, poll_seconds=0.2)
