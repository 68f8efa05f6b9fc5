"""A CLIENT span for every command a service's MongoDB client sends.

PyMongo's command monitoring calls the listener in the task that awaits the command, so
the span's parent is whatever span is current there (a request's, a record's). Commands
outside any span (the relay's and the workers' polling) make none: each would be a trace
of its own, every few hundred milliseconds. The command's contents are never recorded:
they hold people's data."""

from __future__ import annotations

from opentelemetry import trace
from opentelemetry.trace import Span, SpanKind, StatusCode, Tracer
from pymongo import monitoring

MAX_OPEN = 10_000
"""Spans waiting for their command's answer; past this, the oldest is ended unanswered
(a command whose answer never came must not hold memory forever)."""


class CommandSpans(monitoring.CommandListener):
    def __init__(self, tracer: Tracer) -> None:
        self.tracer = tracer
        self._open: dict[tuple[int, object], Span] = {}

    def started(self, event: monitoring.CommandStartedEvent) -> None:
        if not trace.get_current_span().get_span_context().is_valid:
            return
        collection = event.command.get(event.command_name)
        attributes: dict[str, str | int] = {
            "db.system.name": "mongodb",
            "db.namespace": event.database_name,
            "db.operation.name": event.command_name,
        }
        if isinstance(collection, str):
            attributes["db.collection.name"] = collection
        host, port = _address(event.connection_id)
        if host:
            attributes["server.address"] = host
            attributes["server.port"] = port
        name = f"{event.command_name} {collection}" if isinstance(collection, str) else ""
        span = self.tracer.start_span(
            name or event.command_name, kind=SpanKind.CLIENT, attributes=attributes
        )
        if len(self._open) >= MAX_OPEN:
            oldest = next(iter(self._open))
            self._open.pop(oldest).end()
        self._open[(event.request_id, event.connection_id)] = span

    def succeeded(self, event: monitoring.CommandSucceededEvent) -> None:
        span = self._open.pop((event.request_id, event.connection_id), None)
        if span is not None:
            span.end()

    def failed(self, event: monitoring.CommandFailedEvent) -> None:
        span = self._open.pop((event.request_id, event.connection_id), None)
        if span is not None:
            code = event.failure.get("codeName") or event.failure.get("code") or "failed"
            span.set_status(StatusCode.ERROR, str(code))
            span.end()


def _address(connection_id: object) -> tuple[str, int]:
    if isinstance(connection_id, tuple) and len(connection_id) == 2:
        host, port = connection_id
        return str(host), int(port)
    return "", 0
