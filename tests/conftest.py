"""Cross-service fixtures: real intake and matcher processes on the session's stack."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from mentornet_chassis.testing.backends import Endpoints
from mentornet_chassis.testing.services import RunningService, running, service_settings
from mentornet_intake.app import build as build_intake
from mentornet_intake.settings import IntakeSettings
from mentornet_matcher.app import build as build_matcher
from mentornet_matcher.settings import MatcherSettings


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
