"""The W3C trace context in events' Kafka headers.

An event carries the context of the span that made it: `ce_traceparent` and
`ce_tracestate`, CloudEvents' distributed-tracing extension in Kafka binary mode, and
the same values as `traceparent` and `tracestate`, the names OpenTelemetry's Kafka
instrumentations read, so a subscriber with off-the-shelf tracing joins the trace too.
A header that is not a valid trace context is ignored (the event is fine)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from mentornet_contracts.codec import TRACE_HEADER_CHARS
from opentelemetry.context import Context
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

TRACEPARENT, TRACESTATE = "traceparent", "tracestate"
CE_TRACEPARENT, CE_TRACESTATE = "ce_traceparent", "ce_tracestate"
TRACE_HEADERS = frozenset(TRACE_HEADER_CHARS)
MAX_TRACESTATE_CHARS = TRACE_HEADER_CHARS[CE_TRACESTATE]
"""W3C asks to propagate at least 512 characters; a longer tracestate is left out."""

_W3C = TraceContextTextMapPropagator()


def current_trace_headers() -> list[tuple[str, str]]:
    """The current span's context as event headers; none outside a valid span."""
    carrier: dict[str, str] = {}
    _W3C.inject(carrier)
    parent = carrier.get(TRACEPARENT)
    if not parent:
        return []
    headers = [(CE_TRACEPARENT, parent), (TRACEPARENT, parent)]
    state = carrier.get(TRACESTATE)
    if state and len(state) <= MAX_TRACESTATE_CHARS:
        headers += [(CE_TRACESTATE, state), (TRACESTATE, state)]
    return headers


def with_current_trace(headers: Mapping[str, str]) -> dict[str, str]:
    """`headers` with the trace context replaced by the current span's."""
    kept = {name: value for name, value in headers.items() if name not in TRACE_HEADERS}
    return kept | dict(current_trace_headers())


def context_of(headers: Mapping[str, str]) -> Context:
    """The trace context an event carries (the CloudEvents extension first), or an
    empty context: a span started with it is then the root of a new trace."""
    parent = headers.get(CE_TRACEPARENT) or headers.get(TRACEPARENT)
    if not parent:
        return Context()
    state = headers.get(CE_TRACESTATE) or headers.get(TRACESTATE)
    carrier = {TRACEPARENT: parent, **({TRACESTATE: state} if state else {})}
    return _W3C.extract(carrier, context=Context())


def context_of_record(headers: Iterable[tuple[str, bytes]]) -> Context:
    """`context_of` for a record's raw headers; headers that are not text are ignored."""
    found: dict[str, str] = {}
    for name, value in headers:
        if name in TRACE_HEADERS:
            try:
                found[name] = value.decode("ascii")
            except UnicodeDecodeError:
                continue
    return context_of(found)
