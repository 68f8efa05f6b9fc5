"""One collection's aggregates as their typed documents.

The chassis keeps each aggregate's state as a plain dict (`State`); services type their
documents in `domain/` (TypedDicts, usually). `Documents[S]` is the typed view over an
`AggregateStore`: it reads and writes `S`, and the one cast between the two lives here.
Pure typing: every call is the AggregateStore call it wraps.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar, cast

from mentornet_contracts import Envelope, Event, new_envelope

from mentornet_chassis.store.aggregate_docs import Applied, Decision, Loaded, Outcome, State
from mentornet_chassis.store.aggregates import AggregateStore, Decide
from mentornet_chassis.store.mongo import Document

__all__ = ["Change", "Changed", "Documents", "S", "typed", "untyped"]

S = TypeVar("S", bound=Mapping[str, Any])
"""A typed aggregate document (a TypedDict, usually)."""


def typed(state: State | None) -> S | None:
    """A stored state as its typed document (the same dict)."""
    return cast("S | None", state)


def untyped(document: Mapping[str, Any] | None) -> State | None:
    """A typed document as the chassis stores it (the same dict)."""
    return cast("State | None", document)


@dataclass(frozen=True)
class Change(Generic[S]):
    """A decision on one typed aggregate: its new document (None: leave it as it is),
    the events that announce the change, and raw outbox records (chassis Decision)."""

    state: S | None
    events: Sequence[Envelope[Event]] = ()
    records: Sequence[Document] = ()

    @classmethod
    def announced(cls, state: S | None, events: Iterable[Event], source: str) -> Change[S]:
        """The change with its events, each in a new envelope from `source`."""
        return cls(state, [new_envelope(e, source) for e in events])

    def decision(self) -> Decision:
        return Decision(untyped(self.state), self.events, self.records)


@dataclass(frozen=True)
class Changed(Generic[S]):
    """What `Documents.apply` did (chassis Applied, with the typed document)."""

    outcome: Outcome
    version: int
    state: S | None
    emitted: tuple[Envelope[Event], ...] = field(default=())

    @property
    def wrote(self) -> bool:
        """False when nothing was written (a duplicate, or the state left as it was)."""
        return self.outcome is Outcome.APPLIED

    def untyped(self) -> Applied:
        """As the chassis's store answers (what a subscriber's handler returns)."""
        return Applied(self.outcome, self.version, untyped(self.state), self.emitted)


TypedDecide = Callable[[S | None], Change[S] | Awaitable[Change[S]]]
"""Given the current document (None: no aggregate yet), what to write."""


def _deciding(decide: TypedDecide[S]) -> Decide:
    """`decide` as the chassis store calls it: on the plain state, for a Decision."""

    def step(state: State | None) -> Decision | Awaitable[Decision]:
        change = decide(typed(state))
        return change.decision() if isinstance(change, Change) else _later(change)

    return step


async def _later(change: Awaitable[Change[S]]) -> Decision:
    return (await change).decision()


@dataclass(frozen=True)
class Documents(Generic[S]):
    """One collection's aggregates as their typed documents `S`."""

    store: AggregateStore

    async def get(self, key: str) -> S | None:
        return typed(await self.store.get_state(key))

    async def apply(
        self,
        key: str,
        decide: TypedDecide[S],
        *,
        handled: str | None = None,
        new_likely: bool = False,
        assume: Loaded | None = None,
    ) -> Changed[S]:
        """Load, decide, write conditionally on the version (AggregateStore.apply)."""
        applied: Applied = await self.store.apply(
            key,
            _deciding(decide),
            handled=handled,
            new_likely=new_likely,
            assume=assume,
        )
        return Changed(applied.outcome, applied.version, typed(applied.state), applied.emitted)

    async def change(
        self, key: str, decide: TypedDecide[S], *, handled: str | None = None
    ) -> S | None:
        """Apply, and the document as it now is."""
        return (await self.apply(key, decide, handled=handled)).state

    async def find(self, query: Mapping[str, Any]) -> list[S]:
        """Every document matching `query` (on the stored fields: `state.<key>`)."""
        found = self.store.collection.find(dict(query))
        return [cast("S", doc["state"]) async for doc in found if doc.get("state")]

    async def find_one(self, query: Mapping[str, Any]) -> S | None:
        found = await self.store.collection.find_one(dict(query))
        return cast("S", found["state"]) if found is not None else None
