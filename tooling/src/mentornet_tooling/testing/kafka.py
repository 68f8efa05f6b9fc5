"""Produce raw records and scan topics from the beginning, without a consumer group."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from mentornet_contracts import KafkaRecord

Record = Any


async def produce(
    bootstrap: str,
    topic: str,
    key: bytes | None,
    value: bytes | None,
    headers: list[tuple[str, bytes]] | tuple[tuple[str, bytes], ...] = (),
) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, enable_idempotence=False)
    await producer.start()
    try:
        await producer.send_and_wait(topic, value=value, key=key, headers=list(headers))
    finally:
        await producer.stop()


async def produce_record(bootstrap: str, record: KafkaRecord) -> None:
    await produce(bootstrap, record.topic, record.key, record.value, record.headers)


async def find_records(
    bootstrap: str,
    topic: str,
    match: Callable[[Record], bool],
    *,
    count: int = 1,
    timeout: float = 20.0,
) -> list[Record]:
    """Read `topic` from offset 0 until `count` records satisfy `match`; never commits."""
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap,
        enable_auto_commit=False,
        group_id=None,
        auto_offset_reset="earliest",
    )
    await consumer.start()
    found: list[Record] = []
    try:
        partitions = consumer.partitions_for_topic(topic) or set()
        deadline = time.monotonic() + timeout
        while not partitions and time.monotonic() < deadline:
            await consumer._client.force_metadata_update()
            partitions = consumer.partitions_for_topic(topic) or set()
            await asyncio.sleep(0.1)
        consumer.assign([TopicPartition(topic, p) for p in sorted(partitions)])
        await consumer.seek_to_beginning()
        while len(found) < count and time.monotonic() < deadline:
            batches = await consumer.getmany(timeout_ms=200)
            found.extend(r for records in batches.values() for r in records if match(r))
    finally:
        await consumer.stop()
    if len(found) < count:
        raise AssertionError(f"found {len(found)} of {count} records on {topic} in {timeout}s")
    return found


def header(record: Record, name: str) -> str | None:
    for key, value in record.headers or ():
        if key == name:
            return bytes(value).decode()
    return None


def kind_of(record: Record) -> str:
    """The event type without prefix and version: `match.proposed` for
    `mentornet.match.proposed.v2`; tests look for a fact, whatever version carries it."""
    event_type = header(record, "ce_type") or ""
    return event_type.removeprefix("mentornet.").rsplit(".", 1)[0]


async def all_records(bootstrap: str, topic: str, match: Callable[[Record], bool]) -> list[Record]:
    """Every record on `topic` that satisfies `match`, reading up to the current end."""
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap,
        enable_auto_commit=False,
        group_id=None,
        auto_offset_reset="earliest",
    )
    await consumer.start()
    try:
        partitions = [
            TopicPartition(topic, p) for p in sorted(consumer.partitions_for_topic(topic) or ())
        ]
        consumer.assign(partitions)
        await consumer.seek_to_beginning()
        ends = await consumer.end_offsets(partitions)
        found: list[Record] = []

        async def behind() -> bool:
            for tp, end in ends.items():
                if await consumer.position(tp) < end:
                    return True
            return False

        while await behind():
            batches = await consumer.getmany(timeout_ms=500)
            found.extend(r for records in batches.values() for r in records if match(r))
        return found
    finally:
        await consumer.stop()


async def start_group_at_log_end(bootstrap: str, group: str, topics: list[str]) -> None:
    """Commit the current log end of every partition of `topics` for a new consumer
    group, so a service started for one test sees only what happens from now on
    rather than replaying every earlier test's events on the shared broker."""
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap, enable_auto_commit=False, group_id=group
    )
    await consumer.start()
    try:
        partitions = [
            TopicPartition(topic, p)
            for topic in topics
            for p in sorted(consumer.partitions_for_topic(topic) or ())
        ]
        if not partitions:
            return
        consumer.assign(partitions)
        ends = await consumer.end_offsets(partitions)
        await consumer.commit({tp: end for tp, end in ends.items()})
    finally:
        await consumer.stop()


async def committed_offset(bootstrap: str, group: str, topic: str, partition: int) -> int | None:
    """What `group` has committed on one partition, read by a member that never joins."""
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap, group_id=group, enable_auto_commit=False
    )
    await consumer.start()
    try:
        at = await consumer.committed(TopicPartition(topic, partition))
        return None if at is None else int(at)
    finally:
        await consumer.stop()
