"""Write a failed record to the service's DLQ, keeping it whole and saying why."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from mentornet_contracts import dlq
from mentornet_contracts.codec import format_time
from mentornet_contracts.errors import DecodeError

from .metrics import Metrics
from .outbox import OutgoingRecord, Publish
from .parking import ParkingExpired

if TYPE_CHECKING:
    from .records import IncomingRecord

MAX_MESSAGE_CHARS = 2000


class DeadLetters:
    def __init__(self, service: str, topic: str, publish: Publish, metrics: Metrics) -> None:
        self.service = service
        self.topic = topic
        self.publish = publish
        self.metrics = metrics

    async def send(self, record: IncomingRecord, error: BaseException, *, attempts: int) -> None:
        reason = error.kind if isinstance(error, DecodeError | ParkingExpired) else "handler_error"
        headers = {
            name: value.decode("utf-8", "replace")
            for name, value in record.headers
            if name not in dlq.ALL
        }
        headers.update(
            {
                dlq.REASON: reason,
                dlq.ERROR_TYPE: type(error).__name__,
                dlq.ERROR_MESSAGE: str(error)[:MAX_MESSAGE_CHARS],
                dlq.ATTEMPTS: str(attempts),
                dlq.ORIGIN_TOPIC: record.topic,
                dlq.ORIGIN_PARTITION: str(record.partition),
                dlq.ORIGIN_OFFSET: str(record.offset),
                dlq.SERVICE: self.service,
                dlq.FAILED_AT: format_time(datetime.now(UTC)),
            }
        )
        await self.publish(
            OutgoingRecord(
                topic=self.topic,
                key=record.key or b"",
                value=record.value or b"",
                headers=headers,
                event_type=headers.get("ce_type", "unknown"),
            )
        )
        self.metrics.dlq.labels(reason).inc()
