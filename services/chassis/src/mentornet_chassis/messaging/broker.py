"""FastStream KafkaBroker with an explicit ack policy, and the publish function.

The subscriber takes records in batches and commits a batch only after
`RecordProcessor.process` returned for each record in it, i.e. after each handler's
MongoDB write was acknowledged (or the record was dead-lettered). If processing raises,
NACK_ON_ERROR seeks back so the batch is delivered again.
"""

from __future__ import annotations

import asyncio
import logging
import ssl
from collections.abc import Collection, Sequence
from typing import Any

from aiokafka.errors import KafkaConnectionError, UnknownTopicOrPartitionError
from faststream import AckPolicy
from faststream.kafka import KafkaBroker, KafkaMessage
from faststream.kafka.security import parse_security
from faststream.security import BaseSecurity, SASLPlaintext, SASLScram256, SASLScram512

from mentornet_chassis.messaging.consumer import IncomingRecord, RecordProcessor
from mentornet_chassis.messaging.lanes import process_batch
from mentornet_chassis.messaging.outgoing import OutgoingRecord, Publish
from mentornet_chassis.messaging.progress import PartitionWatch
from mentornet_chassis.messaging.relay_failures import ForeignTopic
from mentornet_chassis.process.logging import LIBRARY_LOGGER
from mentornet_chassis.process.settings import KafkaSettings

ACK_POLICY = AckPolicy.NACK_ON_ERROR


def _security(settings: KafkaSettings) -> BaseSecurity | None:
    use_ssl = settings.security_protocol in ("SSL", "SASL_SSL")
    context = ssl.create_default_context(cafile=settings.ssl_cafile) if use_ssl else None
    if settings.security_protocol.startswith("SASL"):
        user = settings.sasl_username or ""
        password = settings.sasl_password.get_secret_value() if settings.sasl_password else ""
        kind = {
            "PLAIN": SASLPlaintext,
            "SCRAM-SHA-256": SASLScram256,
            "SCRAM-SHA-512": SASLScram512,
        }[settings.sasl_mechanism or "PLAIN"]
        return kind(username=user, password=password, ssl_context=context)
    if context is not None:
        return BaseSecurity(ssl_context=context)
    return None


def client_config(settings: KafkaSettings, *, client_id: str) -> dict[str, Any]:
    """aiokafka keyword arguments (servers, client id, TLS and SASL) for tools that talk to
    the brokers without FastStream, such as the operator CLI: the same security as
    `create_broker`."""
    return {
        "bootstrap_servers": settings.bootstrap_servers,
        "client_id": settings.client_id or client_id,
        **parse_security(_security(settings)),
    }


def create_broker(
    settings: KafkaSettings, *, client_id: str, graceful_timeout_s: float
) -> KafkaBroker:
    return KafkaBroker(
        settings.bootstrap_servers,
        client_id=settings.client_id or client_id,
        enable_idempotence=settings.idempotent_producer,
        max_request_size=settings.max_message_bytes,
        acks="all",
        security=_security(settings),
        graceful_timeout=graceful_timeout_s,
        logger=logging.getLogger(LIBRARY_LOGGER),
        log_level=logging.DEBUG,
    )


def only_to(topics: Collection[str], publish: Publish) -> Publish:
    """`publish`, refusing records for any topic but `topics`: a service that emits an
    event on another service's topic fails here, in every test, not first in production."""
    allowed = frozenset(topics)

    async def guarded(record: OutgoingRecord) -> None:
        if record.topic not in allowed:
            raise ForeignTopic(
                f"{record.event_type} goes to {record.topic}, not one of this service's "
                f"topics ({', '.join(sorted(allowed))})"
            )
        await publish(record)

    return guarded


def publisher(broker: KafkaBroker) -> Publish:
    """A publish function that returns only when the broker acknowledged the record.

    A topic the producer cannot find is a refused topic only if the brokers answer:
    during an outage every topic looks unknown, and an outage is no record's fault."""

    async def publish(record: OutgoingRecord) -> None:
        try:
            await broker.publish(record.value, record.topic, key=record.key, headers=record.headers)
        except UnknownTopicOrPartitionError as exc:
            if not await _answers(broker):
                raise KafkaConnectionError("the brokers do not answer") from exc
            raise

    return publish


async def _answers(broker: KafkaBroker) -> bool:
    try:
        async with asyncio.timeout(5):
            return bool(await broker.ping(timeout=3))
    except Exception:
        return False


BATCH_RECORDS = 500
BATCH_WAIT_MS = 25
"""How long a poll waits for records. FastStream also sleeps this long after an empty
poll, so it adds up to this much to a lone record's latency."""


async def _raw_records(message: Any) -> tuple[Any, ...]:
    """Hand the records through untouched: the contracts codec validates them, not
    FastStream."""
    return tuple(message.raw_message)


def subscribe(
    broker: KafkaBroker,
    processor: RecordProcessor,
    topics: Sequence[str],
    group_id: str,
    watch: PartitionWatch | None = None,
    session_timeout_ms: int = 10_000,
    side_by_side: Collection[str] = frozenset(),
) -> Any:
    """A batch subscriber: FastStream commits a batch only after every record in it was
    handled (or dead-lettered); `watch` hears of every batch done or rewound;
    `side_by_side`: the event types whose runs are handled at once (lanes.py)."""
    subscriber = broker.subscriber(
        *topics,
        group_id=group_id,
        session_timeout_ms=session_timeout_ms,
        heartbeat_interval_ms=session_timeout_ms // 3,
        auto_offset_reset="earliest",
        ack_policy=ACK_POLICY,
        batch=True,
        max_records=BATCH_RECORDS,
        batch_timeout_ms=BATCH_WAIT_MS,
        decoder=_raw_records,
    )

    async def on_records(message: KafkaMessage) -> None:
        records = [IncomingRecord.of(r) for r in message.raw_message]
        try:
            await process_batch(await processor.for_batch(records), records, side_by_side)
        except Exception:
            if watch is not None:
                watch.rewound(records)
            raise
        if watch is not None:
            watch.advanced(records)

    subscriber(on_records)
    return subscriber


def partitions_assigned(subscriber: Any) -> bool:
    consumer = getattr(subscriber, "consumer", None)
    return bool(consumer is not None and consumer.assignment())
