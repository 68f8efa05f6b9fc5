"""What a service's composition root receives (Runtime) and what it hands back
(ServiceParts); process/wiring.py builds the process around them."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, TypeVar

from fastapi import APIRouter
from faststream.kafka import KafkaBroker
from mentornet_contracts import Event, Registry, Topic
from pymongo import AsyncMongoClient
from pymongo.asynchronous.database import AsyncDatabase

from mentornet_chassis.http.guard import Resolver
from mentornet_chassis.messaging.consumer import Handler
from mentornet_chassis.process.metrics import Metrics
from mentornet_chassis.process.settings import ServiceSettings
from mentornet_chassis.process.workers import Worker
from mentornet_chassis.store.aggregates import AggregateStore
from mentornet_chassis.store.identity import Enrolments
from mentornet_chassis.store.mongo import Document
from mentornet_chassis.tracing.setup import NO_TRACING, Tracing

S = TypeVar("S", bound=ServiceSettings)


async def _nothing_kept(ids: Collection[str]) -> int:
    return 0


def utc_now() -> datetime:
    """The wall clock; composition roots take a clock so tests can move time."""
    return datetime.now(UTC)


@dataclass
class Runtime:
    """Process-wide resources, created once by the runner before `build` is called."""

    service: str
    settings: ServiceSettings
    registry: Registry
    metrics: Metrics
    client: AsyncMongoClient[Document]
    db: AsyncDatabase[Document]
    broker: KafkaBroker
    wake_relay: Callable[[], None]
    forget_answers: Callable[[Collection[str]], Awaitable[int]] = field(default=_nothing_kept)
    """Erasure: drop the Idempotency-Key answers made by or about these people."""
    clock: Callable[[], datetime] = utc_now
    """The service's "now": the wall clock, or the local stack's shared simulated one."""
    tracing: Tracing = NO_TRACING
    """The service's tracer (tracing/setup.py), for spans of its own."""

    def aggregates(self, collection: str) -> AggregateStore:
        """A store whose events must fit the broker's records (EventTooLarge if not)."""
        return AggregateStore(
            self.db[collection],
            self.registry,
            max_record_bytes=self.settings.kafka.max_event_bytes,
        )

    def settings_as(self, kind: type[S]) -> S:
        """The settings, as the service's own class (the runner built them from it)."""
        if not isinstance(self.settings, kind):
            raise TypeError(
                f"{self.service} needs {kind.__name__}, got {type(self.settings).__name__}"
            )
        return self.settings


@dataclass
class ServiceParts:
    """A service's pieces: HTTP routes, event handlers, stores that emit, start-up work,
    background workers (each runs until the event it is given is set), per-route body
    limits for uploads (path pattern to bytes) and the errors that park a record."""

    routers: Sequence[APIRouter] = ()
    provides: Sequence[object] = ()
    """What the routes ask for by type (http/provided.py): use cases, stores, settings."""
    handlers: Mapping[type[Event], Handler] = field(default_factory=dict)
    consumes: Sequence[Topic] = ()
    stores: Sequence[AggregateStore] = ()
    on_startup: Sequence[Callable[[], Awaitable[Any]]] = ()
    workers: Sequence[Worker] = ()
    body_limits: Mapping[str, int] = field(default_factory=dict)
    resources: Mapping[str, Resolver] = field(default_factory=dict)
    """What the routes' permissions act on (policy.py): a kind to its resolver."""
    enrolments: Enrolments | None = None
    """A caller's enrolments (identity.py); by default, a book kept from the
    registration events of a service that reads the participants topic."""
    parks: Sequence[type[Exception]] = ()
    """Handler errors meaning "refers to something not seen yet": such records are
    parked and retried later (messaging/ordering.py) instead of blocking their partition."""
    side_by_side: Collection[type[Event]] = ()
    """Event types whose records about different keys are independent: a lane's run of
    them is handled at once, its reads and first writes sent as one command each
    (messaging/lanes.py)."""
    forget_answers: Callable[[Collection[str]], Awaitable[int]] = field(default=_nothing_kept)
    """Erasure: drop the Idempotency-Key answers made by or about these people."""
    clock: Callable[[], datetime] = utc_now
    """The service's "now"; its events are dated by it too (stamp_events_with)."""


Build = Callable[[Runtime], ServiceParts]
