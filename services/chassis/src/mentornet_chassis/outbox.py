"""The relay: publish pending outbox entries, in order per aggregate, then mark them sent.

An entry is removed only after the broker acknowledged it, so a crash in between
publishes it again; consumers drop the duplicate by event id (their inbox).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

from .aggregates import AggregateStore
from .logging import get_logger
from .metrics import Metrics
from .mongo import Document

log = get_logger(__name__)


@dataclass(frozen=True)
class OutgoingRecord:
    topic: str
    key: bytes
    value: bytes
    headers: dict[str, str]
    event_type: str


Publish = Callable[[OutgoingRecord], Awaitable[None]]


def _record(entry: Document) -> OutgoingRecord:
    return OutgoingRecord(
        topic=entry["topic"],
        key=entry["key"].encode(),
        value=entry["value"].encode(),
        headers={name: value for name, value in entry["headers"]},
        event_type=entry["type"],
    )


FULL_SCAN_EVERY = 10
"""Relay polls between scans of every store while writes keep waking it."""
IN_FLIGHT = 32
"""Aggregates relayed side by side (each one's entries stay in order)."""


class OutboxRelay:
    """Sends what this process's writes just added (the stores tell it which
    aggregates), and scans every store at start, at stop, when a poll interval passes
    without a write, and at least every FULL_SCAN_EVERY intervals: the scans pick up
    entries left by a crash, a failed publish or another process."""

    def __init__(
        self,
        stores: Sequence[AggregateStore],
        publish: Publish,
        metrics: Metrics,
        *,
        interval_s: float = 0.5,
        wake: asyncio.Event | None = None,
    ) -> None:
        self.stores = list(stores)
        self.publish = publish
        self.metrics = metrics
        self.interval_s = interval_s
        self._wake = wake or asyncio.Event()
        self._lock = asyncio.Lock()
        self._dirty: dict[AggregateStore, set[str]] = {}
        self._scanned_at: float | None = None
        self._in_flight = asyncio.Semaphore(IN_FLIGHT)
        for store in self.stores:
            store.watch_pending(self._note)

    def _note(self, store: AggregateStore, aggregate_id: str) -> None:
        self._dirty.setdefault(store, set()).add(aggregate_id)
        self._wake.set()

    def wake(self) -> None:
        """Publish soon: called after a write that added outbox entries."""
        self._wake.set()

    async def run_once(self, *, full: bool = False) -> int:
        """Publish what is pending (everything, on a full scan); return how many records
        were published."""
        async with self._lock:
            loop = asyncio.get_running_loop()
            due = self._scanned_at is None or (
                loop.time() - self._scanned_at >= FULL_SCAN_EVERY * self.interval_s
            )
            dirty, self._dirty = self._dirty, {}
            if full or due:
                self._scanned_at = loop.time()
                found = [(store, await store.pending()) for store in self.stores]
            else:
                found = [(store, await store.pending(ids)) for store, ids in dirty.items()]
            published = await self._relay_all(found)
            if full or due:
                backlog = sum(len(d.get("outbox") or []) for _, docs in found for d in docs)
                self.metrics.outbox_backlog.set(backlog - published)
            return published

    async def _relay_all(self, found: list[tuple[AggregateStore, list[Document]]]) -> int:
        jobs = [self._relay_aggregate(store, doc) for store, docs in found for doc in docs]
        results = await asyncio.gather(*jobs, return_exceptions=True)
        for result in results:
            if isinstance(result, BaseException):
                raise result
        return sum(r for r in results if isinstance(r, int))

    async def _relay_aggregate(self, store: AggregateStore, doc: Document) -> int:
        sent: set[str] = set()
        async with self._in_flight:
            try:
                for entry in doc.get("outbox") or []:
                    await self.publish(_record(entry))
                    self.metrics.events_emitted.labels(event_type=entry["type"]).inc()
                    sent.add(entry["id"])
            except Exception:
                self._dirty.setdefault(store, set()).add(doc["_id"])
                raise
            finally:
                if sent:
                    await store.mark_sent(doc["_id"], sent, doc)
        return len(sent)

    async def backlog(self) -> int:
        total = 0
        for store in self.stores:
            for doc in await store.pending():
                total += len(doc.get("outbox") or [])
        return total

    async def run(self, stopping: asyncio.Event) -> None:
        """Relay until `stopping` is set, then flush once more so nothing is left behind.
        A poll interval without a wake scans every store."""
        woken = True
        while not stopping.is_set():
            self._wake.clear()
            try:
                await self.run_once(full=not woken)
            except Exception as exc:
                log.warning("outbox relay failed; retrying", error=repr(exc))
            waiters = [
                asyncio.ensure_future(self._wake.wait()),
                asyncio.ensure_future(stopping.wait()),
            ]
            done, pending = await asyncio.wait(
                waiters, timeout=self.interval_s, return_when=asyncio.FIRST_COMPLETED
            )
            woken = bool(done)
            for waiter in pending:
                waiter.cancel()
        await self.run_once(full=True)
