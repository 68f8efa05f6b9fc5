"""Find the aggregate that holds a part (a session inside a match, an action item
inside a report) by the part's id.

A query on a path into an array of sub-documents would do on MongoDB with a multikey
index, but the embedded server finds nothing once such an index exists
(docs/embedded-stack.md); this small collection works on both. Entries are written
before the part itself: one whose write then lost a race points to an aggregate
without the part, which callers read as not found.
"""

from __future__ import annotations

from collections.abc import Iterable

from pymongo.asynchronous.collection import AsyncCollection

from mentornet_chassis.store.mongo import Document


class Lookup:
    def __init__(self, collection: AsyncCollection[Document]) -> None:
        self.collection = collection

    async def put(self, aggregate_id: str, part_ids: Iterable[str]) -> None:
        for part_id in part_ids:
            await self.collection.update_one(
                {"_id": part_id}, {"$set": {"aggregate_id": aggregate_id}}, upsert=True
            )

    async def get(self, part_id: str) -> str | None:
        entry = await self.collection.find_one({"_id": part_id})
        return str(entry["aggregate_id"]) if entry else None

    async def forget(self, part_ids: Iterable[str]) -> None:
        ids = list(part_ids)
        if ids:
            await self.collection.delete_many({"_id": {"$in": ids}})
