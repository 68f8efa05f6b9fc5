"""Many aggregates in one store command: the bulk paths of an import and of the relay.

`insert_new` creates aggregates that do not exist yet (state and outbox entries, as a
first `save` would write them) with one unordered insert_many; any the store refuses
(already there, or a unique index taken) are handed back for the caller to decide again
one by one. `mark_sent_many` removes published entries from many aggregates with one
bulk write, each conditional on the version read; when any had changed since, each is
marked again by `mark_sent` (which reads it, and does nothing where the entries are
gone already). Both tell the store's watchers as single writes do."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from mentornet_contracts import Envelope, Event
from pymongo import ReplaceOne
from pymongo.errors import BulkWriteError

from mentornet_chassis.store.aggregate_docs import (
    State,
    Written,
    aggregate_document,
    loaded_from,
    outbox_entry,
)
from mentornet_chassis.store.aggregates import AggregateStore
from mentornet_chassis.store.mongo import Document

DUPLICATE_KEY = 11000


@dataclass(frozen=True)
class NewAggregate:
    aggregate_id: str
    state: State
    events: Sequence[Envelope[Event]] = ()


def _first_document(store: AggregateStore, new: NewAggregate) -> Document:
    entries = [outbox_entry(e, store.registry, store.max_record_bytes) for e in new.events]
    return {"_id": new.aggregate_id, **aggregate_document(1, new.state, entries, [])}


async def insert_new(store: AggregateStore, created: Sequence[NewAggregate]) -> set[str]:
    """Create every aggregate of `created` at once; the ids the store refused as
    duplicates (nothing was written for them). EventTooLarge before anything is written."""
    if not created:
        return set()
    docs = [_first_document(store, new) for new in created]
    refused: set[str] = set()
    try:
        await store.collection.insert_many(docs, ordered=False)
    except BulkWriteError as exc:
        errors = exc.details.get("writeErrors", [])
        if any(error.get("code") != DUPLICATE_KEY for error in errors):
            raise
        refused = {str(docs[error["index"]]["_id"]) for error in errors}
    for doc in docs:
        if doc["_id"] not in refused:
            added = tuple(doc["outbox"])
            store.tell_watchers(doc["_id"], Written(doc["state"], 1, (), added, added))
    return refused


async def mark_sent_many(store: AggregateStore, sent: Sequence[tuple[Document, set[str]]]) -> None:
    """`mark_sent` for many aggregates: `sent` pairs each pending document as read with
    the ids of its entries the broker acknowledged."""
    writes: list[tuple[Document, Document]] = []
    for seen, ids in sent:
        loaded = loaded_from(seen)
        remaining = [e for e in loaded.outbox if e["id"] not in ids]
        if len(remaining) == len(loaded.outbox):
            continue
        writes.append(
            (seen, aggregate_document(loaded.version + 1, loaded.state, remaining, loaded.inbox))
        )
    if not writes:
        return
    filters = [{"_id": seen["_id"], "version": seen["version"]} for seen, _ in writes]
    result = await store.collection.bulk_write(
        [ReplaceOne(f, doc) for f, (_, doc) in zip(filters, writes, strict=True)], ordered=False
    )
    if result.matched_count == len(writes):
        _told(store, writes)
        return
    for seen, ids in sent:
        await store.mark_sent(str(seen["_id"]), ids)


def _told(store: AggregateStore, writes: list[tuple[Document, Document]]) -> None:
    for seen, doc in writes:
        written = Written(
            doc["state"], doc["version"], tuple(doc["inbox"]), tuple(doc["outbox"]), ()
        )
        store.tell_watchers(str(seen["_id"]), written)
