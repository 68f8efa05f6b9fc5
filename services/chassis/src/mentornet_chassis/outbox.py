"""The relay: publish pending outbox entries, in order per aggregate, then mark them sent.

An entry is removed only after the broker acknowledged it, so a crash in between
publishes it again; consumers drop the duplicate by event id (their inbox).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

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


SETTLE_S = 2.0
"""Full scans leave entries younger than this to the process that wrote them."""


class OutboxRelay:
    """Sends what this process's writes just added (the stores tell it which
    aggregates), and scans every store at start, at stop, when a poll interval passes
    without a write, and at least every FULL_SCAN_EVERY intervals: the scans pick up
    entries left by a crash, a failed publish or another process. Scans skip entries
    younger than `settle_s`, which their writer is sending: two relays sending the same
    entry would put it on the topic twice (consumers would drop the copy, but operators
    and subscribers would see it)."""

    def __init__(
        self,
        stores: Sequence[AggregateStore],
        publish: Publish,
        metrics: Metrics,
        *,
        interval_s: float = 0.5,
        settle_s: float = SETTLE_S,
        wake: asyncio.Event | None = None,
    ) -> None:
        self.stores = list(stores)
        self.publish = publish
        self.metrics = metrics
        self.interval_s = interval_s
        self.settle_s = settle_s
        self._wake = wake or asyncio.Event()
        self._lock = asyncio.Lock()
        self._dirty: dict[AggregateStore, set[str]] = {}
        self._scanned_at: float | None = None
        for store in self.stores:
            store.watch_pending(self._note)

    def _note(self, store: AggregateStore, aggregate_id: str) -> None:
        self._dirty.setdefault(store, set()).add(aggregate_id)
        self._wake.set()

    def wake(self) -> None:
        """Publish soon: called after a write that added outbox entries."""
        self._wake.set()

    async def run_once(self, *, full: bool = False) -> int:
        """Publish what this process wrote, and on a full scan (`full`, or one is due)
        everything settled; return how many records were published."""
        async with self._lock:
            loop = asyncio.get_running_loop()
            last = self._scanned_at
            scan = full or last is None or loop.time() - last >= FULL_SCAN_EVERY * self.interval_s
            dirty, self._dirty = self._dirty, {}
            found: dict[tuple[AggregateStore, str], Document] = {}
            for store, ids in dirty.items():
                found |= {(store, doc["_id"]): doc for doc in await store.pending(ids)}
            if scan:
                self._scanned_at = loop.time()
                settled = self._settled()
                for store in self.stores:
                    found |= {(store, d["_id"]): d for d in await store.pending(before=settled)}
            published = await self._relay_all(list(found.items()))
            if scan:
                backlog = sum(len(doc.get("outbox") or []) for doc in found.values())
                self.metrics.outbox_backlog.set(backlog - published)
            return published

    def _settled(self) -> datetime | None:
        """None with no settling time: the embedded store compares times to about the
        second, so "written before now" would miss this second's entries."""
        if not self.settle_s:
            return None
        return datetime.now(UTC) - timedelta(seconds=self.settle_s)

    async def _relay_all(self, found: list[tuple[tuple[AggregateStore, str], Document]]) -> int:
        """One aggregate after another: relaying them side by side, the embedded broker
        (Tansu) was seen to report partition ends below offsets its consumers had
        committed (docs/embedded-stack.md)."""
        published = 0
        for n, ((store, _), doc) in enumerate(found):
            try:
                published += await self._relay_aggregate(store, doc)
            except Exception:
                for (later, aggregate_id), _ in found[n:]:
                    self._dirty.setdefault(later, set()).add(aggregate_id)
                raise
        return published

    async def _relay_aggregate(self, store: AggregateStore, doc: Document) -> int:
        sent: set[str] = set()
        try:
            for entry in doc.get("outbox") or []:
                await self.publish(_record(entry))
                self.metrics.events_emitted.labels(event_type=entry["type"]).inc()
                sent.add(entry["id"])
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
