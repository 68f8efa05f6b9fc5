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


class OutboxRelay:
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

    def wake(self) -> None:
        """Publish soon: called after a write that added outbox entries."""
        self._wake.set()

    async def run_once(self) -> int:
        """Publish everything pending now; return how many records were published."""
        async with self._lock:
            published = 0
            for store in self.stores:
                for doc in await store.pending():
                    published += await self._relay_aggregate(store, doc)
            self.metrics.outbox_backlog.set(await self.backlog())
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
                await store.mark_sent(doc["_id"], sent)
        return len(sent)

    async def backlog(self) -> int:
        total = 0
        for store in self.stores:
            for doc in await store.pending():
                total += len(doc.get("outbox") or [])
        return total

    async def run(self, stopping: asyncio.Event) -> None:
        """Relay until `stopping` is set, then flush once more so nothing is left behind."""
        while not stopping.is_set():
            try:
                await self.run_once()
            except Exception as exc:
                log.warning("outbox relay failed; retrying", error=repr(exc))
            self._wake.clear()
            waiters = [
                asyncio.ensure_future(self._wake.wait()),
                asyncio.ensure_future(stopping.wait()),
            ]
            _, pending = await asyncio.wait(
                waiters, timeout=self.interval_s, return_when=asyncio.FIRST_COMPLETED
            )
            for waiter in pending:
                waiter.cancel()
        await self.run_once()
