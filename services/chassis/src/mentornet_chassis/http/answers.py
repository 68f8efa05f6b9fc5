"""The answers kept for Idempotency-Key (idempotency.py): one document per caller, route
and key, claimed while its request runs (on a renewed lease), then holding the answer
until the TTL purges it; erasure forgets the answers made by or about a person."""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections.abc import Collection
from datetime import UTC, datetime, timedelta
from typing import Any

import pymongo
from mentornet_contracts.events.participants import person_id_of
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import DuplicateKeyError, PyMongoError

from mentornet_chassis.process.workers import pause
from mentornet_chassis.store.mongo import Document

COLLECTION = "idempotency"
PURGE_EVERY_S = 3600.0
RUNNING_LEASE_S = 30.0
"""How long a running request's claim holds without being renewed; it is renewed every
third of that while the request runs, so only a claim whose process died lapses (or
one whose renewals a store outage longer than about two thirds of it held up)."""
RENEW_TIMEOUT_S = 2.0
"""How long one renewal may wait for the store: a renewal still waiting when its request
fails would otherwise extend the claim that request could not release."""


class IdempotencyStore:
    def __init__(
        self, collection: AsyncCollection[Document], ttl: timedelta = timedelta(hours=24)
    ) -> None:
        self.collection = collection
        self.ttl = ttl

    async def ensure_indexes(self) -> None:
        await self.collection.create_index("created_epoch")

    async def purge(self) -> int:
        """Drop answers older than the TTL; how many went. Times are epoch seconds (the
        embedded server stores a datetime written with $set as text)."""
        cutoff = time.time() - self.ttl.total_seconds()
        result = await self.collection.delete_many({"created_epoch": {"$lt": cutoff}})
        return int(result.deleted_count)

    async def forget(self, ids: Collection[str]) -> int:
        """Erasure: drop every kept answer made by or about these people (their ids in
        the caller, the path or the answer); how many went. Answers live a day at most,
        so the scan is short."""
        wanted = set(ids)
        gone = []
        async for doc in self.collection.find({}, {"_id": 1, "answer": 1}):
            if wanted & _named_in(str(doc["_id"]), doc.get("answer")):
                gone.append(doc["_id"])
        if gone:
            await self.collection.delete_many({"_id": {"$in": gone}})
        return len(gone)

    async def run_purge(self, stopping: asyncio.Event) -> None:
        """A background worker: purge every hour (and once at start)."""
        while not stopping.is_set():
            await self.purge()
            await pause(stopping, asyncio.Event(), PURGE_EVERY_S)

    async def claim(self, doc_id: str, fingerprint: str, holder: str) -> Document | None:
        """None when this request runs (`holder` then holds the key); else the earlier
        request's record. A record older than the TTL, or a running claim whose lease
        lapsed, is dropped, and the request runs as a first one."""
        for _ in range(2):
            try:
                await self.collection.insert_one(
                    {
                        "_id": doc_id,
                        "fingerprint": fingerprint,
                        "state": "running",
                        "holder": holder,
                        "lease_epoch": time.time() + RUNNING_LEASE_S,
                        "created_at": datetime.now(UTC),
                        "created_epoch": time.time(),
                    }
                )
            except DuplicateKeyError:
                previous = await self.collection.find_one({"_id": doc_id})
                if previous is None:
                    break
                if not await self._dropped_if_lapsed(previous):
                    return previous
                continue
            return None
        return {"state": "released", "fingerprint": fingerprint}

    async def _dropped_if_lapsed(self, previous: Document) -> bool:
        now = time.time()
        stale = now - self.ttl.total_seconds()
        if float(previous.get("created_epoch", 0.0)) < stale:
            await self.collection.delete_one(
                {"_id": previous["_id"], "created_epoch": {"$lt": stale}}
            )
            return True
        if previous["state"] == "running" and float(previous.get("lease_epoch", now)) < now:
            await self.collection.delete_one(
                {"_id": previous["_id"], "holder": previous["holder"], "lease_epoch": {"$lt": now}}
            )
            return True
        return False

    async def renew(self, doc_id: str, holder: str) -> None:
        await self.collection.update_one(
            {"_id": doc_id, "holder": holder, "state": "running"},
            {"$set": {"lease_epoch": time.time() + RUNNING_LEASE_S}},
        )

    async def hold(self, doc_id: str, holder: str, finished: asyncio.Event) -> None:
        """Renew the claim until its request has `finished`; a renewal the store refuses
        is tried again at the next turn. Ends by itself rather than being cancelled:
        cancelling a driver operation mid-flight is not safe (see mongo.ping)."""
        every = RUNNING_LEASE_S / 3
        while True:
            await pause(finished, asyncio.Event(), every)
            if finished.is_set():
                return
            with contextlib.suppress(PyMongoError), pymongo.timeout(RENEW_TIMEOUT_S):
                await self.renew(doc_id, holder)

    async def done(
        self, doc_id: str, fingerprint: str, answer: dict[str, Any], holder: str
    ) -> None:
        """Keep the answer, unless the claim lapsed and another request holds the key."""
        await self.collection.replace_one(
            {"_id": doc_id, "holder": holder},
            {
                "fingerprint": fingerprint,
                "state": "done",
                "answer": answer,
                "created_at": datetime.now(UTC),
                "created_epoch": time.time(),
            },
        )

    async def release(self, doc_id: str, holder: str) -> None:
        await self.collection.delete_one({"_id": doc_id, "holder": holder})


def _named_in(doc_id: str, answer: Any) -> set[str]:
    """Whole ids a kept answer names: its caller (and the caller's person), its path's
    segments, and every string in its JSON body (an id inside a longer one does not
    count; a body that is not JSON names nothing)."""
    caller, _, rest = doc_id.partition("|POST ")
    path = rest.partition("|")[0]
    named = {caller, person_id_of(caller), *path.split("/")}
    body = (answer or {}).get("body", "")
    with contextlib.suppress(TypeError, ValueError):
        named |= set(_strings(json.loads(body)))
    return named


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in (k, *_strings(v)) if isinstance(s, str)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []
