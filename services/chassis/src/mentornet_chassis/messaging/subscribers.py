"""Thin subscribers: decode (done by the processor), decide on one aggregate with a
pure function, save state, inbox id and events in one write, then follow up.

The follow-up runs after every delivery, duplicates included: it must be idempotent,
and a crash between the write and the follow-up must not lose it.

Each helper is generic in the document type `S`: given a `Documents[S]` (or a plain
AggregateStore) and functions on `S`, it casts once, here, not in every service.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any, TypeAlias, cast

from mentornet_contracts import Envelope, Event, new_envelope

from mentornet_chassis.messaging.consumer import Handler
from mentornet_chassis.store.aggregates import AggregateStore, Applied, Decision, State
from mentornet_chassis.store.typed import Documents, S, typed, untyped

Updating: TypeAlias = Callable[[S | None, Any], S | None]
"""The new document, or None to leave it as it is."""
TimedUpdating: TypeAlias = Callable[[S | None, Any, datetime], S | None]
"""The same, given when the fact happened (the event's CloudEvents time)."""
Deciding: TypeAlias = Callable[[S | None, Any], tuple[S | None, list[Event]]]
"""The new document (None: leave it) and the events it emits."""
ThenOn: TypeAlias = Callable[[Envelope[Any], S], Awaitable[None]]
"""What follows, given the document as the write left it (empty if there is none)."""
Update = Updating[State]
TimedUpdate = TimedUpdating[State]
Decide = Deciding[State]
Then = ThenOn[State]
Aggregate = Callable[[Any], str]
"""Which aggregate an event is about; by default the record key (the event's subject)."""
Store: TypeAlias = AggregateStore | Documents[S]
"""Where the aggregates are: typed (`Documents[S]`) or the plain store."""


def by_match(event: Any) -> str:
    """The aggregate of an event about a match whose record key is not the match id
    (it carries `match_id`)."""
    return str(event.match_id)


async def nothing(envelope: Envelope[Any], state: object) -> None:
    return None


def _aggregate_id(envelope: Envelope[Any], aggregate: Aggregate | None) -> str:
    return aggregate(envelope.event) if aggregate is not None else envelope.subject


def _plain(store: Store[S]) -> AggregateStore:
    return store.store if isinstance(store, Documents) else store


async def follow_up(then: ThenOn[S], envelope: Envelope[Any], applied: Applied) -> None:
    """Run `then` on the document as `applied` left it (an empty one if there is none)."""
    await then(envelope, cast("S", applied.state or {}))


def deciding(
    store: Store[S],
    decide: Deciding[S],
    then: ThenOn[S] = nothing,
    *,
    source: str,
    aggregate: Aggregate | None = None,
) -> Handler:
    """A handler that updates an aggregate and emits events, caused by the one handled
    (same correlation id)."""

    async def handle(envelope: Envelope[Any]) -> Applied:
        def step(current: State | None) -> Decision:
            state, events = decide(typed(current), envelope.event)
            caused = [new_envelope(e, source, caused_by=envelope) for e in events]
            return Decision(state=untyped(state), events=caused)

        aggregate_id = _aggregate_id(envelope, aggregate)
        applied = await _plain(store).apply(aggregate_id, step, handled=envelope.id)
        await follow_up(then, envelope, applied)
        return applied

    return handle


def updating_at(
    store: Store[S],
    update: TimedUpdating[S],
    then: ThenOn[S] = nothing,
    *,
    aggregate: Aggregate | None = None,
    new_likely: bool = False,
) -> Handler:
    """Like `updating`, for read models that record when things happened: the time is
    the event's, not the consumer's, so a backlog or a replay keeps the true times."""

    async def handle(envelope: Envelope[Any]) -> Applied:
        def step(current: State | None) -> Decision:
            return Decision(state=untyped(update(typed(current), envelope.event, envelope.time)))

        aggregate_id = _aggregate_id(envelope, aggregate)
        applied = await _plain(store).apply(
            aggregate_id, step, handled=envelope.id, new_likely=new_likely
        )
        await follow_up(then, envelope, applied)
        return applied

    return handle


def updating(
    store: Store[S],
    update: Updating[S],
    then: ThenOn[S] = nothing,
    *,
    aggregate: Aggregate | None = None,
    new_likely: bool = False,
) -> Handler:
    """A handler that only updates a read model (nothing to emit). `new_likely`: the
    event usually creates the aggregate (a registration): see AggregateStore.apply."""
    return updating_at(
        store,
        lambda state, event, _: update(state, event),
        then,
        aggregate=aggregate,
        new_likely=new_likely,
    )
