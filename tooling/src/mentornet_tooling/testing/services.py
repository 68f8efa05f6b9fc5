"""Run a real service inside the test's event loop, on the real broker and store."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
from mentornet_chassis.process.runner import ServiceProcess
from mentornet_chassis.process.runtime import Build
from mentornet_chassis.process.settings import KafkaSettings, MongoSettings, ServiceSettings
from mentornet_contracts.catalogue import EVENT_TOPICS
from opentelemetry.sdk.trace.export import SpanExporter
from pydantic import SecretStr

from mentornet_tooling.embedded import free_port
from mentornet_tooling.testing.backends import Endpoints
from mentornet_tooling.testing.kafka import start_group_at_log_end
from mentornet_tooling.testing.poll import eventually


@dataclass
class RunningService:
    process: ServiceProcess
    settings: ServiceSettings
    http: httpx.AsyncClient

    @property
    def database(self) -> str:
        assert self.settings.mongo.database is not None
        return self.settings.mongo.database


def service_settings(
    endpoints: Endpoints,
    settings_cls: type[ServiceSettings],
    service: str,
    *,
    database: str | None = None,
    group: str | None = None,
    **overrides: Any,
) -> ServiceSettings:
    """Settings on the test stack with a private database and consumer group."""
    suffix = uuid.uuid4().hex[:10]
    return settings_cls(
        http_port=free_port(),
        kafka=KafkaSettings(
            bootstrap_servers=endpoints.bootstrap_servers,
            session_timeout_ms=endpoints.session_timeout_ms,
        ),
        mongo=MongoSettings(
            uri=SecretStr(endpoints.mongo_uri), database=database or f"test_{service}_{suffix}"
        ),
        consumer_group=group or f"test-{service}-{suffix}",
        retry_backoff_ms=overrides.pop("retry_backoff_ms", 20),
        relay_interval_ms=overrides.pop("relay_interval_ms", 100),
        **overrides,
    )


@contextlib.asynccontextmanager
async def running(
    service: str,
    settings: ServiceSettings,
    build: Build,
    *,
    ready_timeout: float = 60,
    from_log_end: bool = False,
    span_exporter: SpanExporter | None = None,
) -> AsyncIterator[RunningService]:
    """With `from_log_end`, the service's consumer group starts at the current end of
    every event topic: it sees what the test does, not what earlier tests did.
    `span_exporter`: where the service's trace spans go (OpenTelemetry's in-memory one)."""
    if from_log_end and settings.consumer_group:
        topics = [topic.name for topic in EVENT_TOPICS]
        await start_group_at_log_end(
            settings.kafka.bootstrap_servers, settings.consumer_group, topics
        )
    process = ServiceProcess(
        service, settings, build, handle_signals=False, span_exporter=span_exporter
    )
    task = asyncio.create_task(process.run())
    base = f"http://{settings.http_host}:{settings.http_port}"
    async with httpx.AsyncClient(base_url=base, timeout=10) as http:

        async def ready() -> bool:
            if task.done():
                task.result()
            try:
                return (await http.get("/readyz")).status_code == 200
            except httpx.HTTPError:
                return False

        try:
            await eventually(ready, timeout=ready_timeout, what=f"{service} to be ready")
            yield RunningService(process, settings, http)
        finally:
            process.stopping.set()
            await asyncio.wait_for(task, timeout=settings.shutdown_timeout_s + 10)
