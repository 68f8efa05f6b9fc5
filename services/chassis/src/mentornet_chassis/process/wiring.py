"""Where a service process is wired: the one place its parts are built and connected.

`wire` creates the process-wide resources (the Runtime), calls the service's
composition root with them, and builds around its parts everything the process runs:
the outbox relay, which publishes what the stores and the dead letters wrote, only to
the service's own topics; for a consumer, the record processor with its retry policy,
dead letters and parking (messaging/ordering.py), the parking worker, the partition
watch and the batch subscriber; the Idempotency-Key store; the HTTP app. runner.py
then only runs what `wire` built.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import timedelta
from importlib.metadata import version
from typing import Any

from fastapi import FastAPI
from mentornet_contracts import REGISTRY, SERVICES, stamp_events_with
from opentelemetry.sdk.trace.export import SpanExporter

from mentornet_chassis.http.answers import COLLECTION as IDEMPOTENCY
from mentornet_chassis.http.answers import IdempotencyStore
from mentornet_chassis.http.app import create_http_app
from mentornet_chassis.http.auth import TokenVerifier
from mentornet_chassis.http.guard import Guard
from mentornet_chassis.messaging.broker import (
    create_broker,
    only_to,
    partitions_assigned,
    publisher,
    subscribe,
)
from mentornet_chassis.messaging.consumer import RecordProcessor, RetryPolicy
from mentornet_chassis.messaging.deadletter_store import DEAD_LETTERS, DeadLetterStore
from mentornet_chassis.messaging.deadletters import DeadLetters
from mentornet_chassis.messaging.ordering import ParkingWorker
from mentornet_chassis.messaging.outbox import OutboxRelay
from mentornet_chassis.messaging.parking import PARKED, ParkingLot, ParkingPolicy
from mentornet_chassis.messaging.progress import PartitionWatch
from mentornet_chassis.messaging.relay_failures import RelayPolicy
from mentornet_chassis.process.clock import FileClock
from mentornet_chassis.process.health import health_report
from mentornet_chassis.process.metrics import Metrics
from mentornet_chassis.process.runtime import Build, Runtime, ServiceParts, utc_now
from mentornet_chassis.process.settings import ServiceSettings
from mentornet_chassis.process.workers import Worker
from mentornet_chassis.store import identity
from mentornet_chassis.store.aggregates import AggregateStore
from mentornet_chassis.store.mongo import create_client, database, ping
from mentornet_chassis.tracing.messaging import RecordSpans
from mentornet_chassis.tracing.mongo import CommandSpans
from mentornet_chassis.tracing.setup import tracing_for

Hook = Callable[[], Awaitable[Any]]


def chassis_version() -> str:
    return version("mentornet-chassis")


@dataclass
class Wired:
    """What a process runs: the start-up hooks (in order), the HTTP app, the relay,
    the background workers, and for a consumer its subscriber and partition watch."""

    runtime: Runtime
    relay: OutboxRelay
    startup: list[Hook] = field(default_factory=list)
    workers: list[Worker] = field(default_factory=list)
    subscriber: Any = None
    watch: PartitionWatch | None = None
    app: FastAPI = field(init=False)


def runtime_for(
    service: str,
    settings: ServiceSettings,
    wake_relay: asyncio.Event | None = None,
    span_exporter: SpanExporter | None = None,
) -> Runtime:
    """The process-wide resources; nothing connects until the process starts.
    `span_exporter` (tests): where the service's spans go, instead of OTLP."""
    tracing = tracing_for(service, chassis_version(), exporter=span_exporter)
    client = create_client(
        settings.mongo,
        production=settings.production,
        app_name=f"mentornet-{service}",
        listeners=[CommandSpans(tracing.tracer)] if tracing.exports else [],
    )
    broker = create_broker(
        settings.kafka,
        client_id=f"mentornet-{service}",
        graceful_timeout_s=settings.shutdown_timeout_s,
    )
    clock = FileClock(settings.simulated_clock_file) if settings.simulated_clock_file else utc_now
    return Runtime(
        service=service,
        settings=settings,
        registry=REGISTRY,
        metrics=Metrics(service),
        client=client,
        db=database(client, settings.mongo, service),
        broker=broker,
        wake_relay=(wake_relay or asyncio.Event()).set,
        clock=clock,
        tracing=tracing,
    )


def wire(
    service: str,
    settings: ServiceSettings,
    build: Build,
    span_exporter: SpanExporter | None = None,
) -> Wired:
    """Build the service's parts on a new Runtime, and the process around them."""
    wake = asyncio.Event()
    runtime = runtime_for(service, settings, wake, span_exporter)
    keys = IdempotencyStore(
        runtime.db[IDEMPOTENCY], timedelta(hours=settings.idempotency_ttl_hours)
    )
    runtime.forget_answers = keys.forget
    parts = identity.knowing_people(runtime.db, build(runtime), keys.forget)
    stamp_events_with(parts.clock)
    letters = runtime.aggregates(DEAD_LETTERS) if parts.handlers else None
    stores = [*parts.stores, *([letters] if letters is not None else [])]
    wired = Wired(runtime, _relay(runtime, stores, wake))
    wired.startup = [s.ensure_indexes for s in parts.stores]
    wired.workers = list(parts.workers)
    if letters is not None:
        wired.startup.append(letters.ensure_indexes)
        _consume(wired, parts, DeadLetterStore(letters, wired.relay.wake))
    wired.startup += [keys.ensure_indexes, *parts.on_startup]
    wired.workers.append(keys.run_purge)
    wired.app = _http_app(wired, parts, keys)
    return wired


def _http_app(wired: Wired, parts: ServiceParts, keys: IdempotencyStore) -> FastAPI:
    runtime, settings = wired.runtime, wired.runtime.settings
    verifier = TokenVerifier(settings.auth, production=settings.production)
    return create_http_app(
        runtime.service,
        runtime.metrics,
        lambda: readiness(runtime, wired.subscriber),
        parts.routers,
        health=lambda: health_report(
            runtime.service, wired.relay, wired.watch, settings.stall_after_s
        ),
        max_body_bytes=settings.max_body_bytes,
        body_limits=parts.body_limits,
        idempotency=(keys, verifier.subject_of),
        guard=Guard(verifier, parts.resources, parts.enrolments),
        provides=parts.provides,
        tracer=runtime.tracing.tracer,
    )


def _relay(runtime: Runtime, stores: list[AggregateStore], wake: asyncio.Event) -> OutboxRelay:
    spec, settings = SERVICES[runtime.service], runtime.settings
    publish = only_to([t.name for t in (*spec.publishes, spec.dlq)], publisher(runtime.broker))
    publish = RecordSpans(runtime.tracing.tracer).traced(publish)
    return OutboxRelay(
        stores,
        publish,
        runtime.metrics,
        interval_s=settings.relay_interval_ms / 1000,
        idle_max_s=settings.relay_idle_max_ms / 1000,
        wake=wake,
        policy=RelayPolicy(
            settings.relay_max_attempts,
            settings.relay_backoff_ms / 1000,
            settings.relay_backoff_max_ms / 1000,
        ),
    )


def _consume(wired: Wired, parts: ServiceParts, letters: DeadLetterStore) -> None:
    """Subscribe the service's handlers to its topics; dead letters go to `letters`."""
    runtime, settings = wired.runtime, wired.runtime.settings
    service = runtime.service
    group_id = settings.consumer_group or f"mentornet-{service}"
    lot = _parking_lot(runtime) if parts.parks else None
    dead_letters = DeadLetters(
        service,
        SERVICES[service].dlq.name,
        letters.keep,
        runtime.metrics,
        max_message_bytes=settings.kafka.max_message_bytes,
    )
    processor = RecordProcessor(
        runtime.registry,
        parts.handlers,
        dead_letters,
        runtime.metrics,
        RetryPolicy(
            settings.max_attempts,
            settings.retry_backoff_ms / 1000,
            settings.retry_backoff_max_ms / 1000,
        ),
        on_emitted=wired.relay.wake,
        parking=lot,
        parks=parts.parks,
        max_rewinds=settings.max_rewinds,
        spans=RecordSpans(runtime.tracing.tracer, group_id),
    )
    watch = wired.watch = PartitionWatch(
        runtime.metrics, settings.stall_after_s, lambda: getattr(wired.subscriber, "consumer", None)
    )
    wired.subscriber = subscribe(
        runtime.broker,
        processor,
        [t.name for t in parts.consumes],
        group_id=group_id,
        watch=watch,
        session_timeout_ms=settings.kafka.session_timeout_ms,
        side_by_side={kind.event_type for kind in parts.side_by_side},
    )
    wired.workers += [watch.run, letters.run_purge]
    if lot is not None:
        worker = ParkingWorker(
            lot, processor.retry_in_turn, lot.policy.first_retry_s, runtime.metrics.parked.set
        )
        wired.workers.append(worker.run)
        wired.startup.append(lot.ensure_indexes)


def _parking_lot(runtime: Runtime) -> ParkingLot:
    settings = runtime.settings
    policy = ParkingPolicy(
        max_seconds=settings.park_max_seconds,
        first_retry_s=min(0.5, settings.park_retry_max_ms / 1000),
        max_retry_s=settings.park_retry_max_ms / 1000,
    )
    return ParkingLot(runtime.db[PARKED], policy)


async def readiness(runtime: Runtime, subscriber: Any) -> dict[str, bool]:
    mongodb, kafka = await asyncio.gather(ping(runtime.client), _broker_answers(runtime))
    checks = {"mongodb": mongodb, "kafka": kafka}
    if subscriber is not None:
        checks["partitions_assigned"] = partitions_assigned(subscriber)
    return checks


async def _broker_answers(runtime: Runtime) -> bool:
    try:
        async with asyncio.timeout(3):
            return bool(await runtime.broker.ping(timeout=2))
    except Exception:
        return False
