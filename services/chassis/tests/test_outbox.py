"""The relay publishes in order per aggregate and removes only acknowledged entries."""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from typing import Any

import pytest
from mentornet_chassis.messaging.outbox import OutboxRelay
from mentornet_chassis.messaging.outgoing import OutgoingRecord
from mentornet_chassis.process.metrics import Metrics
from mentornet_chassis.store.aggregates import AggregateStore
from mentornet_contracts import REGISTRY
from mentornet_contracts.catalogue import PARTICIPANTS
from mentornet_tooling.testing.backends import Endpoints
from mentornet_tooling.testing.examples import withdrawals
from mentornet_tooling.testing.kafka import find_records, header, produce
from mentornet_tooling.testing.poll import eventually

pytestmark = pytest.mark.integration


async def test_relay_publishes_in_order_then_marks_sent(
    stack: Endpoints, mongo: Any, unique: str
) -> None:
    store = AggregateStore(mongo[f"test_relay_{unique}"]["aggs"], REGISTRY)
    pid = f"p-relay-{unique}"
    await store.apply(pid, withdrawals(pid, 5))

    async def publish(record: OutgoingRecord) -> None:
        await produce(
            stack.bootstrap_servers,
            record.topic,
            record.key,
            record.value,
            [(k, v.encode()) for k, v in record.headers.items()],
        )

    metrics = Metrics("test")
    relay = OutboxRelay([store], publish, metrics, settle_s=0)
    assert await relay.run_once() == 5
    assert await relay.backlog() == 0
    records = await find_records(
        stack.bootstrap_servers, PARTICIPANTS.name, lambda r: r.key == pid.encode(), count=5
    )
    assert [header(r, "ce_type") for r in records] == ["mentornet.participant.withdrawn.v1"] * 5
    assert [json.loads(r.value)["reason"] for r in records] == ["r0", "r1", "r2", "r3", "r4"]
    assert await relay.run_once() == 0
    doc = await store.collection.find_one({"_id": pid})
    assert doc is not None
    assert (doc["pending"], doc["outbox"], doc["version"]) == (False, [], 2)
    assert doc["pending"] is False


async def test_failed_publish_keeps_the_rest_in_order(mongo: Any, unique: str) -> None:
    store = AggregateStore(mongo[f"test_relay_{unique}"]["aggs"], REGISTRY)
    await store.apply("p1", withdrawals("p1", 3))
    sent: list[bytes] = []

    async def flaky(record: OutgoingRecord) -> None:
        if len(sent) == 1:
            raise ConnectionError("broker hiccup")
        sent.append(record.value)

    relay = OutboxRelay([store], flaky, Metrics("test"), settle_s=0)
    with pytest.raises(ConnectionError):
        await relay.run_once()
    doc = await store.collection.find_one({"_id": "p1"})
    assert doc is not None
    assert [json.loads(e["value"])["reason"] for e in doc["outbox"]] == ["r1", "r2"]


def counting(sent: list[OutgoingRecord]) -> Any:
    async def publish(record: OutgoingRecord) -> None:
        sent.append(record)

    return publish


async def test_a_wake_sends_what_this_process_wrote_without_scanning(
    mongo: Any, unique: str
) -> None:
    """Entries written behind the store's back (as by another process) wait for the next
    full scan; entries the store wrote are sent at once."""
    db = mongo[f"test_relay_{unique}"]
    store, other = AggregateStore(db["aggs"], REGISTRY), AggregateStore(db["aggs"], REGISTRY)
    sent: list[OutgoingRecord] = []
    relay = OutboxRelay([store], counting(sent), Metrics("test"), settle_s=0)
    assert await relay.run_once() == 0
    await other.apply("elsewhere", withdrawals("elsewhere", 1))
    await store.apply("here", withdrawals("here", 2))
    assert await relay.run_once() == 2
    assert {r.key for r in sent} == {b"here"}
    assert await relay.run_once(full=True) == 1
    assert await relay.backlog() == 0


async def test_an_entry_added_while_sending_is_kept(mongo: Any, unique: str) -> None:
    store = AggregateStore(mongo[f"test_relay_{unique}"]["aggs"], REGISTRY)
    await store.apply("p1", withdrawals("p1", 1))
    sent: list[OutgoingRecord] = []

    async def publish_then_write(record: OutgoingRecord) -> None:
        sent.append(record)
        if len(sent) == 1:
            await store.apply("p1", withdrawals("p1", 1))

    relay = OutboxRelay([store], publish_then_write, Metrics("test"), settle_s=0)
    assert await relay.run_once() == 1
    doc = await store.collection.find_one({"_id": "p1"})
    assert doc is not None
    assert len(doc["outbox"]) == 1
    assert doc["pending"] is True
    assert await relay.run_once() == 1
    assert await relay.backlog() == 0


async def test_a_failed_send_is_tried_again_on_the_next_wake(mongo: Any, unique: str) -> None:
    store = AggregateStore(mongo[f"test_relay_{unique}"]["aggs"], REGISTRY)
    sent: list[OutgoingRecord] = []
    failing = [True]

    async def publish(record: OutgoingRecord) -> None:
        if failing[0]:
            raise ConnectionError("broker hiccup")
        sent.append(record)

    relay = OutboxRelay([store], publish, Metrics("test"))
    await relay.run_once()
    await store.apply("p1", withdrawals("p1", 2))
    with pytest.raises(ConnectionError):
        await relay.run_once()
    failing[0] = False
    assert await relay.run_once() == 2
    assert [json.loads(r.value)["reason"] for r in sent] == ["r0", "r1"]


async def test_a_scan_leaves_fresh_entries_to_the_process_that_wrote_them(
    mongo: Any, unique: str
) -> None:
    """Another replica's relay is sending them: a scan that took them too would put
    them on the topic twice."""
    db = mongo[f"test_relay_{unique}"]
    store, other = AggregateStore(db["aggs"], REGISTRY), AggregateStore(db["aggs"], REGISTRY)
    sent: list[OutgoingRecord] = []
    relay = OutboxRelay([store], counting(sent), Metrics("test"), settle_s=3600)
    await other.apply("theirs", withdrawals("theirs", 1))
    await store.apply("ours", withdrawals("ours", 1))
    assert await relay.run_once(full=True) == 1
    assert [r.key for r in sent] == [b"ours"]
    assert await OutboxRelay([store], counting(sent), Metrics("test"), settle_s=0).run_once() == 1
    assert [r.key for r in sent] == [b"ours", b"theirs"]


async def test_an_idle_relay_scans_less_often_yet_sends_a_write_at_once(
    mongo: Any, unique: str
) -> None:
    """With nothing to send, the pause between full scans doubles up to `idle_max_s`.
    A write of this process wakes the relay and is sent before any scan could take it
    (scans leave entries younger than `settle_s`); an entry another process left is
    found by a scan within `settle_s` + `idle_max_s` while the relay is idle."""
    db = mongo[f"test_relay_{unique}"]
    store, other = AggregateStore(db["aggs"], REGISTRY), AggregateStore(db["aggs"], REGISTRY)
    sent: list[OutgoingRecord] = []
    relay = OutboxRelay(
        [store], counting(sent), Metrics("test"), interval_s=0.01, idle_max_s=1.0, settle_s=0.5
    )
    scans: list[float] = []
    pending = store.pending

    async def counted(ids: Any = None, *, before: Any = None) -> list[Any]:
        if ids is None:
            scans.append(time.monotonic())
        return await pending(ids, before=before)

    store.pending = counted  # type: ignore[method-assign]
    stopping = asyncio.Event()
    running = asyncio.create_task(relay.run(stopping))
    try:
        await asyncio.sleep(2.5)
        assert 6 <= len(scans) <= 12, f"{len(scans)} scans in 2.5 s (250 without backoff)"
        gaps = [b - a for a, b in itertools.pairwise(scans)]
        assert gaps[-1] >= 0.9, gaps
        await store.apply("ours", withdrawals("ours", 1))
        written = time.monotonic()
        await eventually(lambda: _keys(sent, b"ours"), timeout=5, interval=0.005, what="ours")
        assert time.monotonic() - written < 0.4, "sent by the wake, not by a later scan"
        await asyncio.sleep(2.0)
        await other.apply("theirs", withdrawals("theirs", 1))
        left = time.monotonic()
        await eventually(lambda: _keys(sent, b"theirs"), timeout=5, interval=0.02, what="theirs")
        assert time.monotonic() - left < 0.5 + 1.0 + 0.5
    finally:
        stopping.set()
        await running
    assert [r.key for r in sent] == [b"ours", b"theirs"]


async def _keys(sent: list[OutgoingRecord], key: bytes) -> bool:
    return any(r.key == key for r in sent)
