"""The broker's and the services' side of a fault: where mentornet.participants ends,
what each consumer group has committed, registrations published straight onto the
broker, and each service's /readyz."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import httpx
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from mentornet_contracts import REGISTRY, encode, new_envelope
from mentornet_contracts.catalogue import PARTICIPANTS
from mentornet_contracts.events.participants import MenteeRegistered

from tests.support.faultstack import Doc, LocalStack
from tests.support.reconcile import READ_MODELS

GROUPS = {service: f"mentornet-{service}" for service in READ_MODELS}


async def end_offsets(bootstrap: str) -> dict[int, int]:
    """Where each partition of mentornet.participants ends now."""
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, group_id=None)
    await consumer.start()
    try:
        partitions = [TopicPartition(PARTICIPANTS.name, p) for p in range(PARTICIPANTS.partitions)]
        return {
            tp.partition: int(end) for tp, end in (await consumer.end_offsets(partitions)).items()
        }
    finally:
        await consumer.stop()


async def committed_offsets(bootstrap: str) -> dict[str, dict[int, int]]:
    """Each consumer group's committed offsets on mentornet.participants (-1: none).
    Read by a group member that never joins, so the groups are not disturbed."""
    partitions = [TopicPartition(PARTICIPANTS.name, p) for p in range(PARTICIPANTS.partitions)]
    found: dict[str, dict[int, int]] = {}
    for service, group in GROUPS.items():
        consumer = AIOKafkaConsumer(
            bootstrap_servers=bootstrap, group_id=group, enable_auto_commit=False
        )
        await consumer.start()
        try:
            found[service] = {
                tp.partition: -1 if (at := await consumer.committed(tp)) is None else int(at)
                for tp in partitions
            }
        finally:
            await consumer.stop()
    return found


async def publish_registrations(bootstrap: str, events: list[MenteeRegistered]) -> None:
    """Registrations straight onto the broker, as a producer whose own store is up
    would publish them (in production each service has its own database)."""
    await publish(bootstrap, events, "intake")


async def publish(bootstrap: str, events: Sequence[Any], source: str) -> list[str]:
    """Events straight onto the broker, as `source` would publish them; their ids."""
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, enable_idempotence=False, acks="all")
    await producer.start()
    ids: list[str] = []
    try:
        for event in events:
            envelope = new_envelope(event, source)
            record = encode(envelope, REGISTRY)
            await producer.send_and_wait(
                record.topic, value=record.value, key=record.key, headers=list(record.headers)
            )
            ids.append(envelope.id)
    finally:
        await producer.stop()
    return ids


async def readiness(stack: LocalStack, service: str) -> tuple[int, Doc]:
    async with httpx.AsyncClient(timeout=8) as http:
        response = await http.get(f"{stack.url(service)}/readyz")
        return response.status_code, response.json()


def to_ms(moment: datetime) -> datetime:
    """BSON keeps milliseconds: a time read back is its write time rounded down."""
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)
