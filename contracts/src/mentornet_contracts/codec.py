"""CloudEvents 1.0 in Kafka binary content mode.

Attributes travel in `ce_*` headers, the value is the event's JSON, the record key is
the aggregate id. `decode` refuses anything it cannot fully validate, naming the reason.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from contextvars import ContextVar, Token
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Generic, TypeVar

from pydantic import ValidationError

from .errors import DecodeError, InvalidJsonError, MissingHeaderError, SchemaViolationError
from .event import Event
from .registry import Registry

SPEC_VERSION = "1.0"
CONTENT_TYPE = "application/json"
REQUIRED_HEADERS = ("ce_id", "ce_source", "ce_type", "ce_specversion", "ce_time", "ce_subject")
MAX_HEADER_CHARS = {
    "ce_id": 128,
    "ce_source": 256,
    "ce_type": 128,
    "ce_specversion": 8,
    "ce_time": 40,
    "ce_subject": 64,
    "ce_correlationid": 128,
    "ce_causationid": 128,
    "content-type": 64,
}
"""The longest value each CloudEvents header may have; a longer one is refused, so
events that carry them on (correlation and causation ids) stay within the budget."""
TRACE_HEADER_CHARS = {
    "ce_traceparent": 55,
    "ce_tracestate": 512,
    "traceparent": 55,
    "tracestate": 512,
}
"""The W3C trace context a producer may add: CloudEvents' distributed-tracing extension
(`ce_traceparent`, `ce_tracestate`) and the same values under the W3C names that
OpenTelemetry's Kafka instrumentations read. Never a reason to refuse an event: a
tracer ignores a context it cannot read, and a producer leaves out a longer tracestate."""

E = TypeVar("E", bound=Event)
E_co = TypeVar("E_co", bound=Event, covariant=True)
Headers = tuple[tuple[str, bytes], ...]


@dataclass(frozen=True)
class Envelope(Generic[E_co]):
    """An event with its CloudEvents attributes."""

    event: E_co
    id: str
    source: str
    time: datetime
    correlation_id: str
    causation_id: str

    @property
    def type(self) -> str:
        return self.event.event_type

    @property
    def subject(self) -> str:
        return self.event.aggregate_id()


@dataclass(frozen=True)
class KafkaRecord:
    topic: str
    key: bytes
    value: bytes
    headers: Headers

    def header_dict(self) -> dict[str, str]:
        return {name: value.decode() for name, value in self.headers}


def source_of(service: str) -> str:
    return f"/mentornet/{service}"


def _wall_clock() -> datetime:
    return datetime.now(UTC)


_event_clock: ContextVar[Callable[[], datetime]] = ContextVar("mentornet_event_clock")


def stamp_events_with(clock: Callable[[], datetime]) -> None:
    """Make `clock` the time of every envelope created from here on in this context
    (the calling task and the tasks it starts): a service on a simulated clock then
    publishes events dated on that clock, as its own decisions are."""
    _event_clock.set(clock)


_request_correlation: ContextVar[str | None] = ContextVar(
    "mentornet_request_correlation", default=None
)


def correlate_with_request(request_id: str | None) -> Token[str | None]:
    """Events created from here on in this context (an HTTP request's handling) start
    their chain with the request's id as correlation id, so `mentornet events trace
    <X-Request-Id>` follows a request into every service; `reset_correlation` ends it."""
    return _request_correlation.set(request_id)


def reset_correlation(token: Token[str | None]) -> None:
    _request_correlation.reset(token)


def new_envelope(
    event: E,
    service: str,
    *,
    caused_by: Envelope[Event] | None = None,
    correlation_id: str | None = None,
) -> Envelope[E]:
    """Wrap a new event; it inherits correlation from its cause, or starts a new chain."""
    event_id = str(uuid.uuid4())
    if caused_by is not None:
        correlation_id = caused_by.correlation_id
    correlation_id = correlation_id or _request_correlation.get()
    return Envelope(
        event=event,
        id=event_id,
        source=source_of(service),
        time=_event_clock.get(_wall_clock)(),
        correlation_id=correlation_id or event_id,
        causation_id=caused_by.id if caused_by is not None else event_id,
    )


def format_time(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


def encode(envelope: Envelope[Event], registry: Registry) -> KafkaRecord:
    subject = envelope.subject
    headers: Headers = (
        ("ce_id", envelope.id.encode()),
        ("ce_source", envelope.source.encode()),
        ("ce_type", envelope.type.encode()),
        ("ce_specversion", SPEC_VERSION.encode()),
        ("ce_time", format_time(envelope.time).encode()),
        ("ce_subject", subject.encode()),
        ("content-type", CONTENT_TYPE.encode()),
        ("ce_correlationid", envelope.correlation_id.encode()),
        ("ce_causationid", envelope.causation_id.encode()),
    )
    return KafkaRecord(
        topic=registry.topic_of(envelope.event).name,
        key=subject.encode(),
        value=envelope.event.model_dump_json().encode(),
        headers=headers,
    )


def _headers(raw: Headers | list[tuple[str, bytes]] | None) -> dict[str, str]:
    result: dict[str, str] = {}
    for name, value in raw or ():
        try:
            result[name] = value.decode() if value is not None else ""
        except UnicodeDecodeError:
            raise MissingHeaderError(f"header {name} is not UTF-8") from None
    return result


def _parse_time(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise MissingHeaderError(f"header ce_time {text!r} is not an RFC 3339 time") from None
    if moment.tzinfo is None:
        raise MissingHeaderError(f"header ce_time {text!r} has no UTC offset")
    return moment


def decode(
    value: bytes | None,
    headers: Headers | list[tuple[str, bytes]] | None,
    registry: Registry,
    *,
    topic: str | None = None,
) -> Envelope[Event]:
    """Turn a record into an envelope holding the newest version of its event."""
    attrs = _headers(headers)
    missing = [name for name in REQUIRED_HEADERS if not attrs.get(name)]
    if missing:
        raise MissingHeaderError(f"missing header(s): {', '.join(missing)}")
    for name, limit in MAX_HEADER_CHARS.items():
        if len(attrs.get(name, "")) > limit:
            raise MissingHeaderError(f"header {name} is over {limit} characters")
    if attrs["ce_specversion"] != SPEC_VERSION:
        raise MissingHeaderError(f"ce_specversion {attrs['ce_specversion']!r} is not 1.0")
    event_type = attrs["ce_type"]
    registry.readable(event_type)
    registry.check_topic(topic, event_type)
    event = _parse(value or b"", event_type, registry)
    return Envelope(
        event=event,
        id=attrs["ce_id"],
        source=attrs["ce_source"],
        time=_parse_time(attrs["ce_time"]),
        correlation_id=attrs.get("ce_correlationid") or attrs["ce_id"],
        causation_id=attrs.get("ce_causationid") or attrs["ce_id"],
    )


def _parse(value: bytes, event_type: str, registry: Registry) -> Event:
    """Validate straight from JSON (pydantic's fast path) unless an upcaster must run.

    A tolerant reader: fields this version does not know (added by a newer producer,
    compatibly) are dropped and the rest validated again; anything else wrong is a
    schema violation."""
    try:
        if not registry.has_upcaster(event_type):
            event_cls = registry.event_class(event_type)
            try:
                return event_cls.model_validate_json(value)
            except ValidationError as exc:
                return _without_unknown_fields(event_cls, _json_object(value), exc)
        newest_type, payload = registry.upcast(event_type, _json_object(value))
        event_cls = registry.event_class(newest_type)
        try:
            return event_cls.model_validate(payload)
        except ValidationError as exc:
            return _without_unknown_fields(event_cls, payload, exc)
    except ValidationError as exc:
        raise _decode_error(event_type, exc) from None


UNKNOWN_FIELD = "extra_forbidden"


def _without_unknown_fields(
    event_cls: type[Event], payload: dict[str, object], exc: ValidationError
) -> Event:
    """Validate `payload` again without the fields `exc` found unknown; re-raise `exc`
    when it found none (the payload is wrong in another way)."""
    unknown = [error["loc"] for error in exc.errors() if error["type"] == UNKNOWN_FIELD]
    if not unknown:
        raise exc
    for loc in unknown:
        _drop(payload, loc)
    return event_cls.model_validate(payload)


def _drop(payload: object, loc: tuple[int | str, ...]) -> None:
    """Delete the value at `loc` (keys and list indexes) if it is there."""
    *parents, last = loc
    node = payload
    for step in parents:
        node = _child(node, step)
    if isinstance(node, dict):
        node.pop(last, None)


def _child(node: object, step: int | str) -> object:
    if isinstance(node, dict):
        return node.get(step)
    if isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node):
        return node[step]
    return None


def _json_object(value: bytes) -> dict[str, object]:
    try:
        payload = json.loads(value)
    except (ValueError, UnicodeDecodeError) as exc:
        raise InvalidJsonError(f"value is not JSON: {exc}") from None
    if not isinstance(payload, dict):
        raise InvalidJsonError("value is JSON but not an object")
    return payload


def _decode_error(event_type: str, exc: ValidationError) -> DecodeError:
    first = exc.errors()[0]
    if first["type"] == "json_invalid":
        return InvalidJsonError(f"value is not JSON: {first['msg']}")
    if first["type"] == "model_type" and not first["loc"]:
        return InvalidJsonError("value is JSON but not an object")
    return SchemaViolationError(f"{event_type}: {_describe(exc)}")


def _describe(exc: ValidationError) -> str:
    parts = []
    for error in exc.errors():
        where = ".".join(str(p) for p in error["loc"]) or "(root)"
        parts.append(f"{where}: {error['msg']}")
    return "; ".join(parts)


def with_event(envelope: Envelope[Event], event: E) -> Envelope[E]:
    return replace(envelope, event=event)  # type: ignore[return-value]
