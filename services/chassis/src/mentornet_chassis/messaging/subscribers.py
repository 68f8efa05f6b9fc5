"""Thin subscribers: decode (done by the processor), decide on one aggregate with a
pure function, save state, inbox id and events in one write, then follow up.

The follow-up runs after every delivery, duplicates included: it must be idempotent,
and a crash between the write and the follow-up must not lose it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from mentornet_contracts import Envelope, Event, new_envelope

from mentornet_chassis.messaging.consumer import Handler
from mentornet_chassis.store.aggregates import AggregateStore, Applied, Decision, State

Update = Callable[[State | None, Any], State | None]
"""The new state, or None to leave it as it is."""
TimedUpdate = Callable[[State | None, Any, datetime], State | None]
"""The same, given when the fact happened (the event's CloudEvents time)."""
Decide = Callable[[State | None, Any], tuple[State | None, list[Event]]]
"""The new state (None: leave it) and the events it emits."""
Then = Callable[[Envelope[Any], State], Awaitable[None]]
Aggregate = Callable[[Any], str]
"""Which aggregate an event is about; by default the record key (the event's subject)."""


async def nothing(envelope: Envelope[Any], state: State) -> None:
    return None


def _aggregate_id(envelope: Envelope[Any], aggregate: Aggregate | None) -> str:
    return aggregate(envelope.event) if aggregate is not None else envelope.subject


def deciding(
    store: AggregateStore,
    decide: Decide,
    then: Then = nothing,
    *,
    source: str,
    aggregate: Aggregate | None = None,
) -> Handler:
    """A handler that updates an aggregate and emits events, caused by the one handled
    (same correlation id)."""

    async def handle(envelope: Envelope[Any]) -> Applied:
        def step(current: State | None) -> Decision:
            state, events = decide(current, envelope.event)
            caused = [new_envelope(e, source, caused_by=envelope) for e in events]
            return Decision(state=state, events=caused)

        applied = await store.apply(_aggregate_id(envelope, aggregate), step, handled=envelope.id)
        await then(envelope, applied.state or {})
        return applied

    return handle


def updating_at(
    store: AggregateStore,
    update: TimedUpdate,
    then: Then = nothing,
    *,
    aggregate: Aggregate | None = None,
    new_likely: bool = False,
) -> Handler:
    """Like `updating`, for read models that record when things happened: the time is
    the event's, not the consumer's, so a backlog or a replay keeps the true times."""

    async def handle(envelope: Envelope[Any]) -> Applied:
        def step(current: State | None) -> Decision:
            return Decision(state=update(current, envelope.event, envelope.time))

        aggregate_id = _aggregate_id(envelope, aggregate)
        applied = await store.apply(aggregate_id, step, handled=envelope.id, new_likely=new_likely)
        await then(envelope, applied.state or {})
        return applied

    return handle


def updating(
    store: AggregateStore,
    update: Update,
    then: Then = nothing,
    *,
    aggregate: Aggregate | None = None,
    new_likely: bool = False,
) -> Handler:
    """A handler that only updates a read model (nothing to emit). `new_likely`: the
    event usually creates the aggregate (a registration): see AggregateStore.apply."""

    async def handle(envelope: Envelope[Any]) -> Applied:
        def step(current: State | None) -> Decision:
            return Decision(state=update(current, envelope.event))

        aggregate_id = _aggregate_id(envelope, aggregate)
        applied = await store.apply(aggregate_id, step, handled=envelope.id, new_likely=new_likely)
        await then(envelope, applied.state or {})
        return applied

    return handle
