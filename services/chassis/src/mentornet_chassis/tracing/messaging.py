"""Spans for records: one CONSUMER span per record handled (its parent is the span that
published it), one PRODUCER span per outbox entry published (its parent is the span
that wrote the event), which the record then names as its own parent. One trace thus
runs from an HTTP request through every service its events reach."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from opentelemetry.trace import Span, SpanKind, StatusCode, Tracer

from mentornet_chassis.messaging.outgoing import OutgoingRecord, Publish
from mentornet_chassis.messaging.records import IncomingRecord
from mentornet_chassis.tracing.propagation import context_of, context_of_record, with_current_trace

OUTCOME = "mentornet.outcome"


class RecordSpans:
    """Spans for the records a service consumes and publishes."""

    def __init__(self, tracer: Tracer, group: str | None = None) -> None:
        self.tracer = tracer
        self.group = group

    @contextlib.contextmanager
    def consuming(self, record: IncomingRecord, *, parked: bool = False) -> Iterator[Span]:
        """The span of one record's handling, current while it is handled."""
        attributes: dict[str, str | int | bool] = {
            "messaging.system": "kafka",
            "messaging.operation.type": "process",
            "messaging.destination.name": record.topic,
            "messaging.destination.partition.id": str(record.partition),
            "messaging.kafka.offset": record.offset,
            "mentornet.parked": parked,
        }
        if self.group:
            attributes["messaging.consumer.group.name"] = self.group
        event = _header(record.headers, "ce_type")
        if event:
            attributes["cloudevents.event_type"] = event
            attributes["cloudevents.event_id"] = _header(record.headers, "ce_id") or ""
        with self.tracer.start_as_current_span(
            f"process {record.topic}",
            context=context_of_record(record.headers),
            kind=SpanKind.CONSUMER,
            attributes=attributes,
        ) as span:
            yield span

    @contextlib.contextmanager
    def publishing(self, record: OutgoingRecord) -> Iterator[OutgoingRecord]:
        """The span of one record's publication; yields the record naming it as parent."""
        with self.tracer.start_as_current_span(
            f"send {record.topic}",
            context=context_of(record.headers),
            kind=SpanKind.PRODUCER,
            attributes={
                "messaging.system": "kafka",
                "messaging.operation.type": "send",
                "messaging.destination.name": record.topic,
                "messaging.message.id": record.headers.get("ce_id", ""),
                "cloudevents.event_type": record.event_type,
            },
        ):
            yield OutgoingRecord(
                topic=record.topic,
                key=record.key,
                value=record.value,
                headers=with_current_trace(record.headers),
                event_type=record.event_type,
            )

    def traced(self, publish: Publish) -> Publish:
        """`publish`, each record in its own span."""

        async def send(record: OutgoingRecord) -> None:
            with self.publishing(record) as traced:
                await publish(traced)

        return send


def record_outcome(span: Span, outcome: str, failed: bool = False) -> None:
    span.set_attribute(OUTCOME, outcome)
    if failed:
        span.set_status(StatusCode.ERROR, outcome)


def _header(headers: tuple[tuple[str, bytes], ...], name: str) -> str | None:
    for key, value in headers:
        if key == name:
            return value.decode("utf-8", "replace")
    return None
