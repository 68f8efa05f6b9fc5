"""How many newcomers to one program this process places at a time.

Registrations handled side by side (a poll batch's run of them, chassis lanes.py) would
otherwise all place their mentees at once: every placement bids for the same best
mentors, and all but one retry on the hold another just wrote. A few at a time keeps
what a partition-per-lane consumer always had (one placement per partition under way),
while the rest of each registration (the candidate, the identity book, an import's
count) is written for the whole run at once. Replicas still serialise on the holds."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

PLACING_AT_ONCE = 6
"""One per partition of the participants topic: the concurrency placements had before
records were handled side by side (bench/pipeline: unbounded, 75.6 fell to 34.6 a second;
one at a time, to 53)."""


class Turns:
    """At most `at_once` holders per key at a time; a key's gate is kept while in use."""

    def __init__(self, at_once: int) -> None:
        self.at_once = at_once
        self._gates: dict[str, asyncio.Semaphore] = {}
        self._users: dict[str, int] = {}

    @contextlib.asynccontextmanager
    async def turn(self, key: str) -> AsyncIterator[None]:
        gate = self._gates.setdefault(key, asyncio.Semaphore(self.at_once))
        self._users[key] = self._users.get(key, 0) + 1
        try:
            async with gate:
                yield
        finally:
            self._users[key] -= 1
            if not self._users[key]:
                del self._users[key], self._gates[key]
