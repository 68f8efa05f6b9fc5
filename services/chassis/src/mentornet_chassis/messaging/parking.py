"""The parked records' collection: each record waiting for what it refers to, with its
line, reason, tries and lease. When a record is parked and what becomes of it is
decided in ordering.py.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Collection
from dataclasses import dataclass

from pymongo import ReturnDocument
from pymongo.asynchronous.collection import AsyncCollection

from mentornet_chassis.messaging.records import IncomingRecord
from mentornet_chassis.store.mongo import Document

PARKED = "parked_records"
LEASE_S = 30.0


class ParkingExpired(Exception):
    """The fact an event waited for never came."""

    kind = "parked_expired"


@dataclass(frozen=True)
class ParkingPolicy:
    max_seconds: float = 900.0
    first_retry_s: float = 0.5
    max_retry_s: float = 30.0

    def next_try(self, attempts: int) -> float:
        return float(min(self.max_retry_s, self.first_retry_s * 2 ** max(0, attempts - 1)))


def _order(doc: Document) -> tuple[int, int]:
    return int(doc["partition"]), int(doc["offset"])


def _record_id(topic: str, partition: int, offset: int) -> str:
    return f"{topic}:{partition}:{offset}"


class ParkingLot:
    def __init__(self, collection: AsyncCollection[Document], policy: ParkingPolicy) -> None:
        self.collection = collection
        self.policy = policy
        self.arrivals = asyncio.Event()
        """Set when this process parks a record (the worker polls fast again)."""

    @staticmethod
    def line(topic: str, key: bytes | None) -> str:
        """Records of one topic and key wait in one line, in offset order."""
        return f"{topic}|{(key or b'').decode('utf-8', 'replace')}"

    async def waiting(self, topic: str, key: bytes | None) -> list[Document]:
        """The line's parked records, oldest first (almost always none)."""
        cursor = self.collection.find({"line": self.line(topic, key)}, {"value": 0, "headers": 0})
        return sorted(await cursor.to_list(None), key=_order)

    async def lines_waiting(self, lines: Collection[str]) -> set[str]:
        """Which of `lines` have parked records: one read for a whole batch."""
        cursor = self.collection.find({"line": {"$in": list(lines)}}, {"line": 1})
        return {str(doc["line"]) async for doc in cursor}

    async def park(self, record: IncomingRecord, reason: str, *, own_key: bool) -> None:
        """Idempotent: parking the same record again keeps its first arrival time.
        `own_key`: the fact it waits for is about its own key (ordering.awaits_own)."""
        now = time.time()
        await self.collection.update_one(
            {"_id": _record_id(record.topic, record.partition, record.offset)},
            {
                "$setOnInsert": {
                    "line": self.line(record.topic, record.key),
                    "topic": record.topic,
                    "partition": record.partition,
                    "offset": record.offset,
                    "key": (record.key or b"").decode("utf-8", "replace"),
                    "value": (record.value or b"").decode("utf-8", "replace"),
                    "headers": [[n, v.decode("utf-8", "replace")] for n, v in record.headers],
                    "parked_epoch": now,
                    "attempts": 0,
                    "next_epoch": now + self.policy.first_retry_s,
                    "lease_until": 0.0,
                    "own_key": own_key,
                },
                "$set": {"reason": reason},
            },
            upsert=True,
        )
        self.arrivals.set()

    async def due_lines(self, limit: int = 500) -> list[str]:
        now = time.time()
        cursor = self.collection.find({"next_epoch": {"$lte": now}}, {"line": 1}).limit(limit)
        return sorted({doc["line"] async for doc in cursor})

    async def line_of(self, line: str) -> list[Document]:
        cursor = self.collection.find({"line": line}, {"value": 0, "headers": 0})
        return sorted(await cursor.to_list(None), key=_order)

    async def lease(self, doc: Document, *, now_or_never: bool = False) -> Document | None:
        """The whole record, leased to this caller for LEASE_S; None when it is not due
        yet (unless `now_or_never`), gone, or another replica holds it."""
        now = time.time()
        if doc["lease_until"] > now or (doc["next_epoch"] > now and not now_or_never):
            return None
        return await self.collection.find_one_and_update(
            {"_id": doc["_id"], "lease_until": {"$lte": now}},
            {"$set": {"lease_until": now + LEASE_S}},
            return_document=ReturnDocument.AFTER,
        )

    async def holds(self, doc: Document) -> bool:
        """Whether the record is still in the lot (after a lease was refused: then
        someone else holds it)."""
        return bool(await self.collection.count_documents({"_id": doc["_id"]}, limit=1))

    async def give_back(self, doc: Document) -> None:
        """End this caller's lease without counting a try."""
        await self.collection.update_one({"_id": doc["_id"]}, {"$set": {"lease_until": 0.0}})

    def expired(self, doc: Document) -> bool:
        return time.time() - float(doc["parked_epoch"]) >= self.policy.max_seconds

    async def postpone(self, doc: Document, reason: str) -> None:
        attempts = int(doc["attempts"]) + 1
        await self.collection.update_one(
            {"_id": doc["_id"]},
            {
                "$set": {
                    "attempts": attempts,
                    "reason": reason,
                    "next_epoch": time.time() + self.policy.next_try(attempts),
                    "lease_until": 0.0,
                }
            },
        )

    async def release(self, doc: Document) -> None:
        await self.collection.delete_one({"_id": doc["_id"]})

    async def count(self) -> int:
        return await self.collection.count_documents({})

    async def ensure_indexes(self) -> None:
        await self.collection.create_index("line")
        await self.collection.create_index("next_epoch")
