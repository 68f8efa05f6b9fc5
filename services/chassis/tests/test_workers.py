"""Background workers run beside the HTTP server; one that dies stops the process."""

from __future__ import annotations

import asyncio

import pytest
from mentornet_chassis.runner import ServiceProcess
from mentornet_chassis.runtime import Runtime, ServiceParts
from mentornet_chassis.settings import ServiceSettings
from mentornet_chassis.testing.backends import Endpoints
from mentornet_chassis.testing.services import service_settings

pytestmark = pytest.mark.integration


async def test_workers_run_until_stopping_and_a_failed_worker_stops_the_process(
    stack: Endpoints,
) -> None:
    ticks: list[int] = []

    async def steady(stopping: asyncio.Event) -> None:
        while not stopping.is_set():
            ticks.append(1)
            await asyncio.sleep(0.01)

    async def doomed(stopping: asyncio.Event) -> None:
        await asyncio.sleep(0.3)
        raise RuntimeError("the database went away for good")

    def build(_: Runtime) -> ServiceParts:
        return ServiceParts(workers=[steady, doomed])

    settings = service_settings(stack, ServiceSettings, "intake")
    process = ServiceProcess("intake", settings, build, handle_signals=False)
    await asyncio.wait_for(process.run(), timeout=30)
    assert process.failed
    assert len(ticks) > 5
