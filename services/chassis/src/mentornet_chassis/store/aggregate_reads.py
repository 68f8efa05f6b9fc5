"""Reading one collection of aggregates (aggregates.py writes them): one document or
several, those with unsent outbox entries (for the relay), those whose timer is due
(for timers.py), and the indexes these reads need."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from pymongo.asynchronous.collection import AsyncCollection

from mentornet_chassis.store.aggregate_docs import Loaded, State, loaded_from
from mentornet_chassis.store.coalesce import CoalescedCollection
from mentornet_chassis.store.mongo import Document

NOT_THERE_YET = Loaded(state=None, version=0)
"""An aggregate that has no document yet."""


class AggregateReads:
    def __init__(self, collection: AsyncCollection[Document]) -> None:
        self.collection = collection
        self.coalesced = CoalescedCollection(collection)
        """Loads and first writes made side by side go to the store as one command."""

    async def load(self, aggregate_id: str) -> Loaded:
        doc = await self.coalesced.find_by_id(aggregate_id)
        return NOT_THERE_YET if doc is None else loaded_from(doc)

    async def load_many(self, aggregate_ids: Collection[str]) -> dict[str, Loaded]:
        """The documents among `aggregate_ids` that exist, in one read."""
        cursor = self.collection.find({"_id": {"$in": list(aggregate_ids)}})
        return {str(doc["_id"]): loaded_from(doc) async for doc in cursor}

    async def get_state(self, aggregate_id: str) -> State | None:
        return (await self.load(aggregate_id)).state

    async def pending(
        self, ids: Collection[str] | None = None, *, before: datetime | None = None
    ) -> list[Document]:
        """Whole aggregates with unsent outbox entries: all of them, those among `ids`,
        or those last written `before`. Whole, so that marking their entries sent can
        rewrite them at once. The time is compared here, not in the query: the embedded
        store answers `pending` alone from its index but scans the collection for
        `pending` and a time together (docs/embedded-stack.md), and pending aggregates
        are few."""
        query: Document = {"pending": True}
        if ids is not None:
            query["_id"] = {"$in": list(ids)}
        found = [doc async for doc in self.collection.find(query)]
        if before is None:
            return found
        return [doc for doc in found if _written_before(doc, before)]

    async def due_ids(self, now_epoch: float, limit: int = 200) -> list[str]:
        """Aggregates whose `state.due_epoch` has come (see timers.py)."""
        cursor = self.collection.find({"state.due_epoch": {"$lte": now_epoch}}, {"_id": 1}).limit(
            limit
        )
        return [doc["_id"] async for doc in cursor]

    async def ensure_indexes(self) -> None:
        await self.collection.create_index("pending")
        await self.collection.create_index("state.due_epoch")


def _written_before(doc: Document, before: datetime) -> bool:
    written = doc.get("updated_at")
    if not isinstance(written, datetime):
        return True
    return (written if written.tzinfo else written.replace(tzinfo=before.tzinfo)) < before
