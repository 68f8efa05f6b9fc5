"""The five services a registration reaches, started together on the test stack for one
test: intake, the matcher, the scheduler, feedback and QA, each with its own database. All
but intake start at the end of the topics, so what they hold is that test's."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable
from contextlib import AsyncExitStack

from mentornet_chassis.process.runtime import ServiceParts
from mentornet_chassis.process.settings import ServiceSettings
from mentornet_feedback.app import build as build_feedback
from mentornet_feedback.settings import FeedbackSettings
from mentornet_intake.app import build as build_intake
from mentornet_intake.settings import IntakeSettings
from mentornet_matcher.app import build as build_matcher
from mentornet_matcher.settings import MatcherSettings
from mentornet_qa.app import build as build_qa
from mentornet_qa.settings import QaSettings
from mentornet_scheduler.app import build as build_scheduler
from mentornet_scheduler.settings import SchedulerSettings
from mentornet_tooling.testing.backends import Endpoints
from mentornet_tooling.testing.services import RunningService, running, service_settings
from opentelemetry.sdk.trace.export import SpanExporter

SERVICES: dict[str, tuple[type[ServiceSettings], Callable[..., ServiceParts]]] = {
    "intake": (IntakeSettings, build_intake),
    "matcher": (MatcherSettings, build_matcher),
    "scheduler": (SchedulerSettings, build_scheduler),
    "feedback": (FeedbackSettings, build_feedback),
    "qa": (QaSettings, build_qa),
}


@contextlib.asynccontextmanager
async def pipeline(
    stack: Endpoints, exporters: dict[str, SpanExporter] | None = None
) -> AsyncIterator[dict[str, RunningService]]:
    """The five services by name; `exporters`: where each one's trace spans go."""
    async with AsyncExitStack() as started:
        yield {
            name: await started.enter_async_context(
                running(
                    name,
                    service_settings(stack, settings_cls, name),
                    build,
                    from_log_end=name != "intake",
                    span_exporter=(exporters or {}).get(name),
                )
            )
            for name, (settings_cls, build) in SERVICES.items()
        }
