"""The consuming side of a service process: the record processor with its retry
policy, dead letters and parking, the parking worker, and the batch subscriber."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from .broker import subscribe
from .consumer import RecordProcessor, RetryPolicy
from .deadletters import DeadLetters
from .outbox import Publish
from .parking import PARKED, ParkingLot, ParkingPolicy, ParkingWorker
from .runtime import Runtime, ServiceParts, Worker
from .settings import ServiceSettings


@dataclass
class Consuming:
    """What `consuming` wired: the subscriber, and the workers and start-up hooks the
    process must run for it."""

    subscriber: Any
    workers: list[Worker] = field(default_factory=list)
    startup: list[Callable[[], Awaitable[None]]] = field(default_factory=list)


def parking_lot(settings: ServiceSettings, runtime: Runtime) -> ParkingLot:
    policy = ParkingPolicy(
        max_seconds=settings.park_max_seconds,
        first_retry_s=min(0.5, settings.park_retry_max_ms / 1000),
        max_retry_s=settings.park_retry_max_ms / 1000,
    )
    return ParkingLot(runtime.db[PARKED], policy)


def consuming(
    service: str,
    settings: ServiceSettings,
    runtime: Runtime,
    parts: ServiceParts,
    *,
    publish: Publish,
    dlq: str,
    on_emitted: Callable[[], None],
) -> Consuming:
    """Subscribe the service's handlers to its topics; `publish` carries dead letters."""
    retry = RetryPolicy(
        settings.max_attempts,
        settings.retry_backoff_ms / 1000,
        settings.retry_backoff_max_ms / 1000,
    )
    lot = parking_lot(settings, runtime) if parts.parks else None
    processor = RecordProcessor(
        runtime.registry,
        parts.handlers,
        DeadLetters(service, dlq, publish, runtime.metrics),
        runtime.metrics,
        retry,
        on_emitted=on_emitted,
        parking=lot,
        parks=parts.parks,
    )
    subscriber = subscribe(
        runtime.broker,
        processor,
        [t.name for t in parts.consumes],
        group_id=settings.consumer_group or f"mentornet-{service}",
    )
    if lot is None:
        return Consuming(subscriber)
    worker = ParkingWorker(
        lot, processor.retry_in_turn, lot.policy.first_retry_s, runtime.metrics.parked.set
    )
    return Consuming(subscriber, [worker.run], [lot.ensure_indexes])
