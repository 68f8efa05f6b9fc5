"""FastStream KafkaBroker with an explicit ack policy, and the publish function.

The subscriber commits an offset only after `RecordProcessor.process` returned, i.e.
after the handler's MongoDB write was acknowledged (or the record was dead-lettered).
If processing raises, NACK_ON_ERROR seeks back so the record is delivered again.
"""

from __future__ import annotations

import logging
import ssl
from collections.abc import Sequence
from typing import Any

from faststream import AckPolicy
from faststream.kafka import KafkaBroker, KafkaMessage
from faststream.kafka.security import parse_security
from faststream.security import BaseSecurity, SASLPlaintext, SASLScram256, SASLScram512

from .consumer import IncomingRecord, RecordProcessor
from .outbox import OutgoingRecord, Publish
from .settings import KafkaSettings

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
        acks="all",
        security=_security(settings),
        graceful_timeout=graceful_timeout_s,
        log_level=logging.DEBUG,
    )


def publisher(broker: KafkaBroker) -> Publish:
    """A publish function that returns only when the broker acknowledged the record."""

    async def publish(record: OutgoingRecord) -> None:
        await broker.publish(record.value, record.topic, key=record.key, headers=record.headers)

    return publish


async def _raw_body(message: Any) -> bytes:
    """Hand the value through untouched: the contracts codec validates it, not FastStream."""
    return bytes(message.body)


def subscribe(
    broker: KafkaBroker, processor: RecordProcessor, topics: Sequence[str], group_id: str
) -> Any:
    subscriber = broker.subscriber(
        *topics,
        group_id=group_id,
        auto_offset_reset="earliest",
        ack_policy=ACK_POLICY,
        max_poll_records=100,
        decoder=_raw_body,
    )

    async def on_record(message: KafkaMessage) -> None:
        await processor.process(IncomingRecord.of(message.raw_message))

    subscriber(on_record)
    return subscriber


def partitions_assigned(subscriber: Any) -> bool:
    consumer = getattr(subscriber, "consumer", None)
    return bool(consumer is not None and consumer.assignment())
