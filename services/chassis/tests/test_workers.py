"""Background workers run beside the HTTP server; one that dies stops the process,
unless what stopped it was the store being unreachable."""

from __future__ import annotations

import asyncio

import pytest
from mentornet_chassis.process.runner import ServiceProcess
from mentornet_chassis.process.runtime import Runtime, ServiceParts
from mentornet_chassis.process.settings import ServiceSettings
from mentornet_tooling.testing.backends import Endpoints
from mentornet_tooling.testing.services import service_settings
from pymongo.errors import ServerSelectionTimeoutError

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


async def test_a_worker_stopped_by_a_store_outage_starts_again_and_the_process_lives(
    stack: Endpoints,
) -> None:
    """MongoDB refusing connections (a restart, a failover) is not the worker's fault:
    the process stays up and the worker starts again."""
    starts: list[int] = []
    process: ServiceProcess

    async def flaky(stopping: asyncio.Event) -> None:
        starts.append(1)
        if len(starts) < 3:
            raise ServerSelectionTimeoutError("127.0.0.1:27017: connection refused")
        process.stopping.set()

    def build(_: Runtime) -> ServiceParts:
        return ServiceParts(workers=[flaky])

    settings = service_settings(stack, ServiceSettings, "intake")
    process = ServiceProcess("intake", settings, build, handle_signals=False)
    await asyncio.wait_for(process.run(), timeout=30)
    assert not process.failed
    assert len(starts) == 3
