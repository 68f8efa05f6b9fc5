"""Write a failed record to the service's DLQ, keeping it whole and saying why.

A record that would not fit in the DLQ with its `dlq_*` headers (a 2 MB record
someone produced) is dead-lettered as an *envelope*: a JSON value naming its origin,
its size, a SHA-256 digest and its first bytes, so the partition still moves on.
Where the letter goes is `keep`'s business: the service's outbox (deadletter_store.py),
which writes one letter per origin offset however often the record comes back.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from mentornet_contracts import dlq
from mentornet_contracts.budget import MAX_MESSAGE_BYTES, record_bytes
from mentornet_contracts.codec import MAX_HEADER_CHARS, TRACE_HEADER_CHARS, format_time
from mentornet_contracts.errors import DecodeError

from mentornet_chassis.messaging.outgoing import OutgoingRecord
from mentornet_chassis.messaging.parking import ParkingExpired
from mentornet_chassis.process.metrics import Metrics

if TYPE_CHECKING:
    from mentornet_chassis.messaging.records import IncomingRecord

Keep = Callable[[str, OutgoingRecord], Awaitable[bool]]
"""Keep a dead letter for its origin (`topic:partition:offset`); False if one was kept
for that origin already."""

SET_ASIDE = "set_aside"
PREFIX_BYTES = 4096
ENVELOPE_HEADER_CHARS = 256
ENVELOPE_HEADERS = 64
TOO_LARGE = "too_large"
KEPT_HEADER_CHARS = MAX_HEADER_CHARS | TRACE_HEADER_CHARS
"""The headers a too-large record's stand-in keeps (when no longer than this)."""


def origin_of(record: IncomingRecord) -> str:
    return f"{record.topic}:{record.partition}:{record.offset}"


def _cut(text: str, max_bytes: int) -> str:
    return text.encode()[:max_bytes].decode("utf-8", "ignore")


class DeadLetters:
    def __init__(
        self,
        service: str,
        topic: str,
        keep: Keep,
        metrics: Metrics,
        *,
        max_message_bytes: int = MAX_MESSAGE_BYTES,
    ) -> None:
        self.service = service
        self.topic = topic
        self.keep = keep
        self.metrics = metrics
        self.max_message_bytes = max_message_bytes

    async def send(
        self,
        record: IncomingRecord,
        error: BaseException,
        *,
        attempts: int,
        reason: str | None = None,
    ) -> None:
        why = reason or _reason(error)
        letter = self.letter(record, error, attempts, why)
        if await self.keep(origin_of(record), letter):
            self.metrics.dlq.labels(why).inc()
        else:
            self.metrics.dlq_repeats.inc()

    def letter(
        self, record: IncomingRecord, error: BaseException, attempts: int, reason: str
    ) -> OutgoingRecord:
        """The DLQ record: the original key, value and headers plus the `dlq_*` ones,
        or an envelope when that would be over the message limit."""
        reasons = {
            dlq.REASON: reason,
            dlq.ERROR_TYPE: type(error).__name__,
            dlq.ERROR_MESSAGE: str(error),
            dlq.ATTEMPTS: str(attempts),
            dlq.ORIGIN_TOPIC: record.topic,
            dlq.ORIGIN_PARTITION: str(record.partition),
            dlq.ORIGIN_OFFSET: str(record.offset),
            dlq.SERVICE: self.service,
            dlq.FAILED_AT: format_time(datetime.now(UTC)),
        }
        original = {n: v.decode("utf-8", "replace") for n, v in record.headers if n not in dlq.ALL}
        key, value = record.key or b"", record.value or b""
        headers = {**original, **self._bounded(reasons)}
        pairs = [(n, v.encode()) for n, v in headers.items()]
        if record_bytes(key, value, pairs) <= self.max_message_bytes:
            return OutgoingRecord(self.topic, key, value, headers, original.get("ce_type", "-"))
        return self._envelope(record, original, reasons)

    def _envelope(
        self, record: IncomingRecord, original: dict[str, str], reasons: dict[str, str]
    ) -> OutgoingRecord:
        value = record.value or b""
        digest = hashlib.sha256(value).hexdigest()
        prefix = value[:PREFIX_BYTES]
        body = {
            "dead_letter": "the record was too large to copy to the DLQ",
            "origin": {
                "topic": record.topic,
                "partition": record.partition,
                "offset": record.offset,
            },
            "key": (record.key or b"")[: MAX_HEADER_CHARS["ce_subject"] * 4].decode(
                "utf-8", "replace"
            ),
            "value_bytes": len(value),
            "value_sha256": digest,
            "value_prefix": prefix.decode("utf-8", "replace"),
            "value_prefix_base64": base64.b64encode(prefix).decode(),
            "headers": {
                name: text[:ENVELOPE_HEADER_CHARS]
                for name, text in list(original.items())[:ENVELOPE_HEADERS]
            },
        }
        kept = {
            name: text
            for name, text in original.items()
            if len(text) <= KEPT_HEADER_CHARS.get(name, -1)
        }
        extra = {
            dlq.ENVELOPE: TOO_LARGE,
            dlq.VALUE_BYTES: str(len(value)),
            dlq.VALUE_SHA256: digest,
        }
        headers = {**kept, **self._bounded({**reasons, **extra})}
        key = (record.key or b"")[: MAX_HEADER_CHARS["ce_subject"] * 4]
        encoded = json.dumps(body, ensure_ascii=False).encode()
        return OutgoingRecord(self.topic, key, encoded, headers, kept.get("ce_type", "-"))

    @staticmethod
    def _bounded(headers: dict[str, str]) -> dict[str, str]:
        return {name: _cut(text, dlq.MAX_VALUE_BYTES[name]) for name, text in headers.items()}


def _reason(error: BaseException) -> str:
    return error.kind if isinstance(error, DecodeError | ParkingExpired) else "handler_error"
