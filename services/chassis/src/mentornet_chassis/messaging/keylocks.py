"""One key's records handled one at a time within a process, whatever their topic.

Some facts about one entity travel on several topics under the same key (a match's
sessions and its risk flags, both keyed by the match id), and a batch's partitions
are handled side by side. Without this, a fact landing from another topic's lane
could slip between a parked record's retry and a newer record of its line, and the
two would apply out of order. Holding the key's lock while a record (or a parked
one) is handled closes that race within a process. Facts under *another* key (a
match's proposal, keyed by the mentee) are ordered by the waiting record holding its
line instead (UnknownEntity's `on_topic`, waiting.awaits_own).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator


class KeyLocks:
    """A lock per key, kept only while someone holds or waits for it."""

    def __init__(self) -> None:
        self._locks: dict[bytes, asyncio.Lock] = {}
        self._users: dict[bytes, int] = {}

    @contextlib.asynccontextmanager
    async def hold(self, key: bytes | None) -> AsyncIterator[None]:
        if not key:
            yield
            return
        lock = self._locks.setdefault(key, asyncio.Lock())
        self._users[key] = self._users.get(key, 0) + 1
        try:
            async with lock:
                yield
        finally:
            self._users[key] -= 1
            if not self._users[key]:
                del self._users[key], self._locks[key]

    def __len__(self) -> int:
        return len(self._locks)
