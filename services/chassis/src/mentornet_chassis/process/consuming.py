"""The consuming side of a service process: the record processor with its retry
policy, dead letters and parking, the parking worker, the partition watch, and the
batch subscriber."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from mentornet_chassis.messaging.broker import subscribe
from mentornet_chassis.messaging.consumer import RecordProcessor, RetryPolicy
from mentornet_chassis.messaging.deadletter_store import DeadLetterStore
from mentornet_chassis.messaging.deadletters import DeadLetters
from mentornet_chassis.messaging.parking import PARKED, ParkingLot, ParkingPolicy, ParkingWorker
from mentornet_chassis.messaging.progress import PartitionWatch
from mentornet_chassis.process.runtime import Runtime, ServiceParts, Worker
from mentornet_chassis.process.settings import ServiceSettings


@dataclass
class Consuming:
    """What `consuming` wired: the subscriber, the partition watch, and the workers
    and start-up hooks the process must run for it."""

    subscriber: Any
    watch: PartitionWatch
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
    dlq: str,
    letters: DeadLetterStore,
    on_emitted: Callable[[], None],
) -> Consuming:
    """Subscribe the service's handlers to its topics; dead letters go to `letters`."""
    retry = RetryPolicy(
        settings.max_attempts,
        settings.retry_backoff_ms / 1000,
        settings.retry_backoff_max_ms / 1000,
    )
    lot = parking_lot(settings, runtime) if parts.parks else None
    dead_letters = DeadLetters(
        service,
        dlq,
        letters.keep,
        runtime.metrics,
        max_message_bytes=settings.kafka.max_message_bytes,
    )
    processor = RecordProcessor(
        runtime.registry,
        parts.handlers,
        dead_letters,
        runtime.metrics,
        retry,
        on_emitted=on_emitted,
        parking=lot,
        parks=parts.parks,
        max_rewinds=settings.max_rewinds,
    )
    subscriber: Any = None
    watch = PartitionWatch(
        runtime.metrics, settings.stall_after_s, lambda: getattr(subscriber, "consumer", None)
    )
    subscriber = subscribe(
        runtime.broker,
        processor,
        [t.name for t in parts.consumes],
        group_id=settings.consumer_group or f"mentornet-{service}",
        watch=watch,
    )
    wired = Consuming(subscriber, watch, [watch.run, letters.run_purge])
    if lot is None:
        return wired
    worker = ParkingWorker(
        lot, processor.retry_in_turn, lot.policy.first_retry_s, runtime.metrics.parked.set
    )
    wired.workers.append(worker.run)
    wired.startup.append(lot.ensure_indexes)
    return wired
