"""Idempotency-Key on POST: the first request with a key runs; repeats get its answer.

Keys are scoped to the caller and the route. A repeat with a different body is refused
(422), a repeat while the first is still running gets 409; a failed first attempt
releases the key so the client can retry.
"""

from __future__ import annotations

import hashlib
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

from fastapi import Request
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import DuplicateKeyError

from .http import ApiError
from .mongo import Document

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 200


class IdempotencyStore:
    def __init__(self, collection: AsyncCollection[Document]) -> None:
        self.collection = collection

    async def ensure_indexes(self) -> None:
        await self.collection.create_index("created_at")

    async def once(
        self, request: Request, subject: str, run: Callable[[], Awaitable[dict[str, Any]]]
    ) -> dict[str, Any]:
        key = request.headers.get(HEADER)
        if key is None:
            return await run()
        if not key or len(key) > MAX_KEY_LENGTH:
            raise ApiError(422, "validation_failed", HEADER, f"1 to {MAX_KEY_LENGTH} characters")
        doc_id = f"{subject}|{request.method} {request.url.path}|{key}"
        fingerprint = hashlib.sha256(await request.body()).hexdigest()
        try:
            await self.collection.insert_one(
                {
                    "_id": doc_id,
                    "fingerprint": fingerprint,
                    "state": "running",
                    "created_at": datetime.now(UTC),
                }
            )
        except DuplicateKeyError:
            return await self._replay(doc_id, fingerprint)
        try:
            body = await run()
        except BaseException:
            await self.collection.delete_one({"_id": doc_id})
            raise
        await self.collection.replace_one(
            {"_id": doc_id},
            {
                "fingerprint": fingerprint,
                "state": "done",
                "body": body,
                "created_at": datetime.now(UTC),
            },
        )
        return body

    async def _replay(self, doc_id: str, fingerprint: str) -> dict[str, Any]:
        previous = await self.collection.find_one({"_id": doc_id})
        if previous is None:
            raise ApiError(409, "conflict", HEADER, "the first request with this key failed; retry")
        if previous["fingerprint"] != fingerprint:
            raise ApiError(
                422,
                "validation_failed",
                HEADER,
                "this key was already used with a different request body",
            )
        if previous["state"] != "done":
            raise ApiError(409, "conflict", HEADER, "a request with this key is still running")
        body: dict[str, Any] = previous["body"]
        return body
