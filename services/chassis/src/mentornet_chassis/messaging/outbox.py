"""The relay: publish pending outbox entries, in order per aggregate, then mark them sent.

An entry is removed only after the broker acknowledged it, so a crash in between
publishes it again; consumers drop the duplicate by event id (their inbox). An entry
the broker refuses (too large, topic refused, unreadable) holds back only its own
aggregate: it is tried again with backoff and, past its limit, poisoned for an
operator (relay_failures.py), while every other aggregate keeps flowing.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta
from functools import partial

from mentornet_chassis.messaging.outgoing import (
    Publish,
    RelayStatus,
    record_of,
    written_at,
)
from mentornet_chassis.messaging.relay_failures import (
    FAILURES,
    FailureLog,
    FailureReason,
    RelayPolicy,
    classify,
)
from mentornet_chassis.process.logging import get_logger
from mentornet_chassis.process.metrics import Metrics
from mentornet_chassis.process.workers import pause
from mentornet_chassis.store.aggregates import AggregateStore, Written
from mentornet_chassis.store.bulk import mark_sent_many
from mentornet_chassis.store.mongo import Document

log = get_logger(__name__)


MARK_BATCH = 100
"""Aggregates whose published entries are marked sent in one bulk write (store/bulk.py):
at most this many wait, so a long round never holds many entries a scan of another
process could take for unsent."""

FULL_SCAN_EVERY = 10
"""Relay polls between scans of every store while writes keep waking it."""


SETTLE_S = 2.0
"""Full scans leave entries younger than this to the process that wrote them."""

IDLE_MAX_S = 5.0
"""Longest pause between full scans of an idle relay (see OutboxRelay.run)."""


class OutboxRelay:
    """Sends what this process's writes just added (the stores tell it which
    aggregates), and scans every store at start, at stop, when a pause passes without
    a write (`run` says how long), and at least every FULL_SCAN_EVERY intervals: the scans pick up
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
        idle_max_s: float = IDLE_MAX_S,
        settle_s: float = SETTLE_S,
        wake: asyncio.Event | None = None,
        policy: RelayPolicy | None = None,
    ) -> None:
        self.stores = list(stores)
        self.publish = publish
        self.metrics = metrics
        self.interval_s = interval_s
        self.idle_max_s = max(interval_s, idle_max_s)
        self.settle_s = settle_s
        self._wake = wake or asyncio.Event()
        self._lock = asyncio.Lock()
        self._dirty: dict[AggregateStore, set[str]] = {}
        self._scanned_at: float | None = None
        self.status = RelayStatus()
        self._refused_topics: dict[str, Exception] = {}
        """Topics the broker refused in this round: their other records fail the same
        way without waiting on the broker again (a missing topic costs its metadata
        timeout once a round, not once an aggregate)."""
        database = self.stores[0].collection.database if self.stores else None
        self.failures = (
            FailureLog(database[FAILURES], policy or RelayPolicy())
            if database is not None
            else None
        )
        for store in self.stores:
            store.watch_writes(partial(self._note, store))

    def _note(self, store: AggregateStore, aggregate_id: str, written: Written) -> None:
        """Send what a write of this process added, without waiting for a scan."""
        if written.added:
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
            try:
                found = await self._found(dirty, scan)
            except BaseException:
                for store, ids in dirty.items():
                    self._dirty.setdefault(store, set()).update(ids)
                raise
            if scan:
                self._scanned_at = loop.time()
            sent: set[str] = set()
            self._refused_topics = {}
            try:
                await self._relay_all(list(found.items()), sent)
            finally:
                if scan:
                    self._measure(found.values(), sent)
            return len(sent)

    async def _found(
        self, dirty: dict[AggregateStore, set[str]], scan: bool
    ) -> dict[tuple[AggregateStore, str], Document]:
        """The pending aggregates among `dirty`, and on a scan every settled one."""
        found: dict[tuple[AggregateStore, str], Document] = {}
        for store, ids in dirty.items():
            found |= {(store, doc["_id"]): doc for doc in await store.pending(ids)}
        if scan:
            if self.failures is not None:
                await self.failures.refresh()
            settled = self._settled()
            for store in self.stores:
                found |= {(store, d["_id"]): d for d in await store.pending(before=settled)}
        return found

    def _settled(self) -> datetime | None:
        """None with no settling time: the embedded store compares times to about the
        second, so "written before now" would miss this second's entries."""
        if not self.settle_s:
            return None
        return datetime.now(UTC) - timedelta(seconds=self.settle_s)

    async def _relay_all(
        self, found: list[tuple[tuple[AggregateStore, str], Document]], sent: set[str]
    ) -> None:
        """One aggregate after another: relaying them side by side, the embedded broker
        (Tansu) was seen to report partition ends below offsets its consumers had
        committed (docs/embedded-stack.md). A broker outage ends the round."""
        now = time.time()
        done: list[tuple[AggregateStore, Document, set[str]]] = []
        try:
            for n, ((store, _), doc) in enumerate(found):
                try:
                    await self._relay_aggregate(store, doc, sent, now, done)
                except Exception:
                    for (later, aggregate_id), _ in found[n:]:
                        self._dirty.setdefault(later, set()).add(aggregate_id)
                    raise
                if len(done) >= MARK_BATCH:
                    await _mark_sent(done)
        finally:
            await _mark_sent(done)

    async def _relay_aggregate(
        self,
        store: AggregateStore,
        doc: Document,
        sent: set[str],
        now: float,
        done_by_aggregate: list[tuple[AggregateStore, Document, set[str]]],
    ) -> None:
        """Publish one aggregate's entries in order; what the broker acknowledged goes
        to `done_by_aggregate`, marked sent in bulk (_mark_sent)."""
        outbox = doc.get("outbox") or []
        name, aggregate_id = store.collection.name, str(doc["_id"])
        failure = self.failures.get(name, aggregate_id) if self.failures else None
        if not outbox or (failure is not None and failure.holds(outbox[0]["id"], now)):
            return
        done: set[str] = set()
        try:
            for entry in outbox:
                try:
                    refused = self._refused_topics.get(entry["topic"])
                    if refused is not None:
                        raise refused
                    await self.publish(record_of(entry))
                except Exception as exc:
                    await self._failed(name, aggregate_id, entry, exc)
                    return
                self.metrics.events_emitted.labels(event_type=entry["type"]).inc()
                done.add(entry["id"])
            if failure is not None and self.failures is not None:
                await self.failures.clear(name, aggregate_id)
        finally:
            if done:
                sent.update(done)
                done_by_aggregate.append((store, doc, done))

    async def _failed(
        self, collection: str, aggregate_id: str, entry: Document, error: Exception
    ) -> None:
        """Record why `entry` failed; re-raise a broker outage, which ends the round."""
        reason = classify(error)
        self.metrics.relay_failures.labels(reason=reason.value).inc()
        if reason is FailureReason.BROKER_UNAVAILABLE or self.failures is None:
            raise error
        if reason is FailureReason.TOPIC_REFUSED:
            self._refused_topics[entry["topic"]] = error
        failure = await self.failures.record(collection, aggregate_id, entry, error)
        (log.error if failure.poisoned else log.warning)(
            "outbox entry poisoned; an operator must retry or discard it"
            if failure.poisoned
            else "outbox entry refused; its aggregate waits, the others go on",
            collection=collection,
            aggregate_id=aggregate_id,
            entry_id=entry["id"],
            event_type=entry.get("type"),
            reason=reason.value,
            attempts=failure.attempts,
            error=failure.error,
        )

    def _measure(self, docs: Iterable[Document], sent: set[str]) -> None:
        unsent = [e for d in docs for e in d.get("outbox") or [] if e["id"] not in sent]
        failures = self.failures.known.values() if self.failures else ()
        poisoned = sum(1 for f in failures if f.poisoned)
        self.status = RelayStatus(
            pending=len(unsent),
            oldest_unsent=min((written_at(e) for e in unsent), default=None),
            failing=len(list(failures)) - poisoned,
            poisoned=poisoned,
        )
        self.metrics.outbox_backlog.set(self.status.pending)
        self.metrics.outbox_poisoned.set(self.status.poisoned)
        self.metrics.outbox_oldest_unsent.set(self.status.oldest_age_s())

    async def backlog(self) -> int:
        total = 0
        for store in self.stores:
            for doc in await store.pending():
                total += len(doc.get("outbox") or [])
        return total

    async def run(self, stopping: asyncio.Event) -> None:
        """Relay until `stopping` is set, then flush once more so nothing is left behind.
        A poll interval without a wake scans every store. While rounds send nothing and
        nothing wakes the relay, the pause doubles up to `idle_max_s`: an idle service
        would otherwise read every store twice a second, which on the embedded store is
        most of what an idle stack costs. The pause is back to `interval_s` after a wake
        (this process wrote), a round that sent entries (another process left them) or
        failed, and while entries wait to be tried again (refused by the broker, or
        left over from a failed round), so a retry is not held back by idleness."""
        woken = True
        wait_s = self.interval_s
        while not stopping.is_set():
            self._wake.clear()
            busy = True
            try:
                busy = bool(await self.run_once(full=not woken))
            except Exception as exc:
                log.warning("outbox relay round failed; retrying", error=repr(exc))
            if woken or busy or self._dirty or self.status.failing:
                wait_s = self.interval_s
            woken = await pause(stopping, self._wake, wait_s, clear=False)
            if not woken:
                wait_s = min(wait_s * 2, self.idle_max_s)
        await self.run_once(full=True)


async def _mark_sent(done: list[tuple[AggregateStore, Document, set[str]]]) -> None:
    """Mark what `done` lists as sent, one bulk write per store, and empty it."""
    by_store: dict[AggregateStore, list[tuple[Document, set[str]]]] = {}
    for store, doc, ids in done:
        by_store.setdefault(store, []).append((doc, ids))
    done.clear()
    for store, sent in by_store.items():
        await mark_sent_many(store, sent)
