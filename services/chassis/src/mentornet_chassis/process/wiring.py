"""What a service process runs beside its HTTP routes: the outbox relay, and for a
consumer the subscriber with its dead letters, parking and partition watch."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from mentornet_contracts import SERVICES

from mentornet_chassis.messaging.broker import only_to, publisher
from mentornet_chassis.messaging.deadletter_store import DEAD_LETTERS, DeadLetterStore
from mentornet_chassis.messaging.outbox import OutboxRelay
from mentornet_chassis.messaging.relay_failures import RelayPolicy
from mentornet_chassis.process.consuming import Consuming, consuming
from mentornet_chassis.process.runtime import Runtime, ServiceParts


@dataclass
class Wired:
    relay: OutboxRelay
    consuming: Consuming | None


def wire(service: str, runtime: Runtime, parts: ServiceParts, wake: asyncio.Event) -> Wired:
    """The relay publishes the stores' events and, for a consumer, its dead letters
    (deadletter_store.py), only to the service's own topics."""
    spec, settings = SERVICES[service], runtime.settings
    publish = only_to([t.name for t in (*spec.publishes, spec.dlq)], publisher(runtime.broker))
    letters = runtime.aggregates(DEAD_LETTERS) if parts.handlers else None
    relay = OutboxRelay(
        [*parts.stores, *([letters] if letters is not None else [])],
        publish,
        runtime.metrics,
        interval_s=settings.relay_interval_ms / 1000,
        wake=wake,
        policy=RelayPolicy(
            settings.relay_max_attempts,
            settings.relay_backoff_ms / 1000,
            settings.relay_backoff_max_ms / 1000,
        ),
    )
    if letters is None:
        return Wired(relay, None)
    wired = consuming(
        service,
        settings,
        runtime,
        parts,
        dlq=spec.dlq.name,
        letters=DeadLetterStore(letters, relay.wake),
        on_emitted=relay.wake,
    )
    wired.startup.insert(0, letters.ensure_indexes)
    return Wired(relay, wired)
