"""The `texts` collection: what people wrote (a request's answers, a report's notes,
agenda and action item texts, a check-in's reflection or reply), one document per
text, outside the match document so that a match does not grow by every word said in
it (domain/written.py).

Each document names its author, so an erasure deletes what the person wrote, and its
match, so a match's texts come back in one query. A document is written whole
(`replace_one` with its `_id` in the replacement: the embedded server ignores the
filter's `_id` on an upsert and would insert a second document).
"""

from __future__ import annotations

from collections.abc import Iterable

from mentornet_chassis.store.mongo import Document
from pymongo.asynchronous.collection import AsyncCollection

from ..domain.written import Body

TEXTS = "texts"


class Texts:
    def __init__(self, collection: AsyncCollection[Document]) -> None:
        self.collection = collection

    async def ensure_indexes(self) -> None:
        for field in ("author_id", "match_id"):
            await self.collection.create_index(field)

    async def put(self, text_id: str, author_id: str, match_id: str, body: Body) -> None:
        """Idempotent: the id is derived from the words (written.text_id)."""
        doc = {"_id": text_id, "author_id": author_id, "match_id": match_id, "body": body}
        await self.collection.replace_one({"_id": text_id}, doc, upsert=True)

    async def get_many(self, text_ids: Iterable[str]) -> dict[str, Body]:
        ids = list(text_ids)
        if not ids:
            return {}
        return await self._bodies({"_id": {"$in": ids}})

    async def of_match(self, match_id: str) -> dict[str, Body]:
        """Every text written about the match, including any it never accepted (the
        views read only those the match names)."""
        return await self._bodies({"match_id": match_id})

    async def delete(self, text_ids: Iterable[str]) -> None:
        ids = list(text_ids)
        if ids:
            await self.collection.delete_many({"_id": {"$in": ids}})

    async def delete_by_author(self, author_id: str) -> int:
        result = await self.collection.delete_many({"author_id": author_id})
        return int(result.deleted_count)

    async def _bodies(self, query: Document) -> dict[str, Body]:
        return {str(doc["_id"]): dict(doc["body"]) async for doc in self.collection.find(query)}
