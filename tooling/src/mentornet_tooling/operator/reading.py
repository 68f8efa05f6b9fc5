"""Reading topics as an operator: no consumer group, every partition assigned by hand,
nothing committed."""

from __future__ import annotations

import os
import time
from collections.abc import AsyncGenerator, AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import Any

from aiokafka import AIOKafkaConsumer, TopicPartition
from mentornet_chassis.messaging.broker import client_config
from mentornet_chassis.process.settings import KafkaSettings
from mentornet_contracts.catalogue import EVENT_TOPICS

from mentornet_tooling.devstack import DevConfig
from mentornet_tooling.operator.records import Seen

CLIENT_ID = "mentornet-operator"
POLL_MS = 300


def event_topic_names() -> list[str]:
    return [topic.name for topic in EVENT_TOPICS]


class NoSuchTopicError(LookupError):
    """A topic the command was asked to read does not exist on the cluster."""


def kafka_settings(bootstrap_servers: str | None = None) -> KafkaSettings:
    """KAFKA_* from the environment (TLS and SASL included), servers overridable; with
    neither, the local stack's broker (MENTORNET_DEV_KAFKA_PORT moves it)."""
    settings = KafkaSettings()
    servers = bootstrap_servers or local_default("KAFKA_BOOTSTRAP_SERVERS", "kafka")
    if servers:
        return settings.model_copy(update={"bootstrap_servers": servers})
    return settings


def local_default(variable: str, server: str) -> str | None:
    """The local stack's address of `server` ("kafka" or "mongodb") when `variable` does
    not name one: the ports `mentornet dev up` uses, as its MENTORNET_DEV_* variables
    set them (read now, not when the module was imported)."""
    if os.environ.get(variable):
        return None
    cfg = DevConfig(external_kafka=None, external_mongo=None)
    return cfg.bootstrap if server == "kafka" else cfg.mongo_uri


class Reader:
    """A group-less consumer assigned every partition of some topics."""

    def __init__(self, consumer: Any, partitions: list[Any]) -> None:
        self.consumer = consumer
        self.partitions = partitions

    async def from_beginning(self) -> None:
        await self.consumer.seek_to_beginning(*self.partitions)
        await self._resolve_positions()

    async def from_end(self) -> None:
        await self.consumer.seek_to_end(*self.partitions)
        await self._resolve_positions()

    async def _resolve_positions(self) -> None:
        """Fix the start now, so records produced after this call are the ones read."""
        for tp in self.partitions:
            await self.consumer.position(tp)

    async def until_end(self, timeout_s: float) -> AsyncGenerator[Seen, None]:
        """Every record up to the end offsets as they are now; TimeoutError if that takes
        longer than `timeout_s`."""
        ends = await self.consumer.end_offsets(self.partitions)
        pending = {tp for tp, end in ends.items() if await self.consumer.position(tp) < end}
        deadline = time.monotonic() + timeout_s
        while pending:
            if time.monotonic() > deadline:
                raise TimeoutError(f"not caught up with {len(pending)} partitions in {timeout_s}s")
            batches = await self.consumer.getmany(*pending, timeout_ms=POLL_MS)
            for tp, records in batches.items():
                for raw in records:
                    if raw.offset < ends[tp]:
                        yield Seen.of(raw)
            pending = {tp for tp in pending if await self.consumer.position(tp) < ends[tp]}

    async def follow(self) -> AsyncGenerator[Seen, None]:
        """Records as they arrive, for as long as the caller keeps asking."""
        while True:
            batches = await self.consumer.getmany(timeout_ms=POLL_MS)
            for records in batches.values():
                for raw in records:
                    yield Seen.of(raw)

    async def at(self, partition: int, offset: int, timeout_s: float) -> Seen | None:
        """The record at `offset` of the first topic's `partition`, None if there is none."""
        tp = TopicPartition(self.partitions[0].topic, partition)
        if tp not in self.partitions:
            return None
        start = (await self.consumer.beginning_offsets([tp]))[tp]
        end = (await self.consumer.end_offsets([tp]))[tp]
        if not start <= offset < end:
            return None
        self.consumer.seek(tp, offset)
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            records = (await self.consumer.getmany(tp, timeout_ms=POLL_MS)).get(tp, [])
            if records:
                return Seen.of(records[0]) if records[0].offset == offset else None
        raise TimeoutError(f"no answer for {tp.topic}/{partition}@{offset} in {timeout_s}s")


async def _partitions(consumer: Any, topics: Sequence[str]) -> list[Any]:
    found: list[Any] = []
    for topic in topics:
        numbers = consumer.partitions_for_topic(topic)
        if not numbers:
            await consumer._client.force_metadata_update()
            numbers = consumer.partitions_for_topic(topic)
        if not numbers:
            raise NoSuchTopicError(f"topic {topic} does not exist")
        found += [TopicPartition(topic, p) for p in sorted(numbers)]
    return found


@asynccontextmanager
async def reader(settings: KafkaSettings, topics: Sequence[str]) -> AsyncIterator[Reader]:
    """Assign every partition of `topics`; group_id None, so nothing can be committed."""
    consumer = AIOKafkaConsumer(
        group_id=None,
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        **client_config(settings, client_id=CLIENT_ID),
    )
    try:
        await consumer.start()
        partitions = await _partitions(consumer, topics)
        consumer.assign(partitions)
        yield Reader(consumer, partitions)
    finally:
        await consumer.stop()
