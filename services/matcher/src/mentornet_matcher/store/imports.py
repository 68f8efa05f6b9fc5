"""The imports the matcher has heard of (domain/imports.py): one small document each,
counted as its registrations are handled and marked when its end is.

Each count is one find_one_and_update (one for all the registrations handled side by
side) on a document known to exist: the embedded store ignores $setOnInsert in an
upserting find_one_and_update (docs/embedded-stack.md), so the document is created first
by an upserting update_one, once per import and process.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import cast

from mentornet_chassis.store.coalesce import Coalesced
from mentornet_chassis.store.mongo import Document
from pymongo import ReturnDocument
from pymongo.asynchronous.database import AsyncDatabase

from ..domain.imports import Arrival, ImportRecord, arrival, complete, holds

IMPORTS = "imports"

Arriving = tuple[str, str, int]
"""One registration to count: its import, its program, and a number of its own."""


class ImportBook:
    def __init__(self, db: AsyncDatabase[Document], clock: Callable[[], float] = time.time) -> None:
        self.imports = db[IMPORTS]
        self.clock = clock
        self._known: set[str] = set()
        self._arrivals = 0
        self._counting: Coalesced[Arriving, ImportRecord] = Coalesced(
            self._count_together, self._count_one
        )

    async def arrived(self, import_id: str, program_id: str) -> Arrival:
        """Count one of the import's registrations. Registrations handled side by side
        are counted with one $inc each import; each learns the count it made, so exactly
        one of them completes the import."""
        self._arrivals += 1
        record = await self._counting((import_id, program_id, self._arrivals))
        return arrival(record, self.clock())

    async def _count_one(self, arrival_key: Arriving) -> ImportRecord:
        import_id, program_id, _ = arrival_key
        return await self._change(import_id, program_id, {"$inc": {"seen": 1}})

    async def _count_together(
        self, arriving: Sequence[Arriving]
    ) -> dict[Arriving, ImportRecord | Exception]:
        by_import: dict[tuple[str, str], list[Arriving]] = {}
        for key in arriving:
            by_import.setdefault((key[0], key[1]), []).append(key)
        counted: dict[Arriving, ImportRecord | Exception] = {}
        for (import_id, program_id), keys in by_import.items():
            total = await self._change(import_id, program_id, {"$inc": {"seen": len(keys)}})
            first = total["seen"] - len(keys) + 1
            counted |= {key: {**total, "seen": first + n} for n, key in enumerate(keys)}
        return counted

    async def finish(self, import_id: str, program_id: str, expected: int) -> bool:
        """Note the import's end; whether it is complete now (every registration it
        made has been counted)."""
        record = await self._change(import_id, program_id, {"$set": {"expected": expected}})
        return complete(record)

    async def holding(self, import_id: str) -> bool:
        """Whether the import still holds its people back (not counting anyone)."""
        record = await self.imports.find_one({"_id": import_id})
        return record is not None and holds(cast(ImportRecord, record), self.clock())

    async def holding_in(self, program_id: str) -> set[str]:
        """The imports into the program that still hold their people back."""
        now = self.clock()
        found = self.imports.find({"program_id": program_id})
        return {str(r["_id"]) async for r in found if holds(cast(ImportRecord, r), now)}

    async def _change(self, import_id: str, program_id: str, change: Document) -> ImportRecord:
        if import_id not in self._known:
            first = {"program_id": program_id, "first_seen": self.clock(), "seen": 0}
            await self.imports.update_one({"_id": import_id}, {"$setOnInsert": first}, upsert=True)
            self._known.add(import_id)
        record = await self.imports.find_one_and_update(
            {"_id": import_id}, change, return_document=ReturnDocument.AFTER
        )
        return cast(ImportRecord, record)
