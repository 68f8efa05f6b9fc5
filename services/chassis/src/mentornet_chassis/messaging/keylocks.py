"""A lock per key, so that one key's records are handled one at a time within a process,
whatever their topic (ordering.py says why); or a gate per key that lets a few in at a
time (the matcher's placements per program)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator


class KeyLocks:
    """A lock per key, kept only while someone holds or waits for it; with `at_once` above
    one, a gate that lets that many holders of one key in at a time."""

    def __init__(self, at_once: int = 1) -> None:
        self.at_once = at_once
        self._locks: dict[bytes, asyncio.Lock | asyncio.Semaphore] = {}
        self._users: dict[bytes, int] = {}

    def _new_gate(self) -> asyncio.Lock | asyncio.Semaphore:
        return asyncio.Lock() if self.at_once == 1 else asyncio.Semaphore(self.at_once)

    @contextlib.asynccontextmanager
    async def hold(self, key: bytes | None) -> AsyncIterator[None]:
        if not key:
            yield
            return
        lock = self._locks.get(key) or self._locks.setdefault(key, self._new_gate())
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
