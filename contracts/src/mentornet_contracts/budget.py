"""The size budget: every valid event fits in one Kafka record, with room to dead-letter it.

A record is refused by the producer (aiokafka's `max_request_size`, librdkafka's
`message.max.bytes`) and by the broker (`max.message.bytes` of the topic) when it is
over MAX_MESSAGE_BYTES. A dead-lettered record carries the original headers plus the
`dlq_*` ones (dlq.py), so an event must leave DLQ_HEADROOM_BYTES free: EVENT_BUDGET_BYTES.

`largest_instance` builds the largest valid value of a JSON Schema: every optional field
present, every list at its maximum length, every string at its maximum length in its
most expensive characters (a control character takes 6 bytes in JSON), every number at
its widest. `budget_rows` measures that instance of every event type as a whole record,
CloudEvents headers included; the contracts' tests hold each under EVENT_BUDGET_BYTES.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from .bounds import OUTPUT_WIDTHS, array_max, key_enum, object_max, resolve, string_max
from .dlq import HEADROOM_BYTES
from .event import Event

Schema = dict[str, Any]

MAX_MESSAGE_BYTES = 1_048_576
"""The largest record a producer sends and a topic accepts (Kafka's defaults)."""
DLQ_HEADROOM_BYTES = HEADROOM_BYTES
EVENT_BUDGET_BYTES = MAX_MESSAGE_BYTES - DLQ_HEADROOM_BYTES
"""The most an event record (key, value, headers, framing) may take."""

RECORD_FRAMING_BYTES = 61 + 21
"""A record batch's header and one record's largest fixed overhead, as aiokafka's
`DefaultRecordBatchBuilder.estimate_size_in_bytes` counts them before it refuses a record."""
WORST_CHAR = "\u0001"
"""A character JSON writes as six bytes (`\\u0001`): the most expensive one."""
WIDEST_INT_DIGITS = 4300
"""Python refuses to parse longer integers (sys.get_int_max_str_digits), so no decoded
integer without a maximum is wider."""
WIDEST_FLOAT = -1.7976931348623157e308
DATE_TIME = "2026-12-31T23:59:59.999999Z"
EXAMPLE_FORMATS = {"date": "2026-12-31", "date-time": DATE_TIME, "uuid": "0" * 36}


def varint_bytes(value: int) -> int:
    """Bytes of a Kafka (zig-zag) varint."""
    encoded = (value << 1) ^ (value >> 63)
    size = 1
    while encoded >= 0x80:
        encoded >>= 7
        size += 1
    return size


def record_bytes(
    key: bytes | None, value: bytes | None, headers: Iterable[tuple[str, bytes]]
) -> int:
    """What a producer counts a record as before refusing it over MAX_MESSAGE_BYTES."""
    pairs = list(headers)
    size = RECORD_FRAMING_BYTES + varint_bytes(len(pairs))
    for part in (key, value):
        size += 1 if part is None else varint_bytes(len(part)) + len(part)
    for name, raw in pairs:
        encoded = name.encode()
        size += varint_bytes(len(encoded)) + len(encoded) + varint_bytes(len(raw)) + len(raw)
    return size


class UnsizableSchema(ValueError):
    """A part of a schema with no largest value (unbounded, or a pattern no candidate
    string matches): name it so it can be bounded."""


Fill = Callable[[str, Schema], Any]
"""Gives the value for a path (`$.availability.weekly`, `$.goals[].goal_id`), or
NOT_FILLED: for values a schema cannot say how to make valid (distinct real skills,
windows that do not overlap)."""
NOT_FILLED = object()


def largest_instance(schema: Schema, root: Schema | None = None, fill: Fill | None = None) -> Any:
    """The largest valid value of `schema` (see the module docstring)."""
    return _Largest(root or schema, fill).value(schema, "$", ())


class _Largest:
    def __init__(self, root: Schema, fill: Fill | None = None) -> None:
        self.root = root
        self.fill = fill

    def value(self, node: Schema, path: str, examples: Sequence[Any]) -> Any:
        if self.fill is not None:
            filled = self.fill(path, node)
            if filled is not NOT_FILLED:
                return filled
        node = resolve(node, self.root)
        for key in ("anyOf", "oneOf"):
            if isinstance(node.get(key), list):
                return self._widest(node[key], path, [*examples, *node.get("examples", ())])
        examples = [*node.get("examples", ()), *examples]
        if "const" in node:
            return node["const"]
        if isinstance(node.get("enum"), list):
            return max(node["enum"], key=lambda v: len(json.dumps(v)))
        kind = node.get("type")
        if kind == "string":
            return self._string(node, path, examples)
        if kind == "integer":
            if "exclusiveMaximum" in node:
                return int(node["exclusiveMaximum"]) - 1
            return int(node.get("maximum", int("9" * WIDEST_INT_DIGITS)))
        if kind == "number":
            nonnegative = "minimum" in node or "exclusiveMinimum" in node
            return node.get("maximum", -WIDEST_FLOAT if nonnegative else WIDEST_FLOAT)
        if kind == "boolean":
            return False
        if kind == "array":
            return self._array(node, path, examples)
        if kind == "object" or "properties" in node:
            return self._object(node, path, examples)
        raise UnsizableSchema(f"{path}: no type to size")

    def _widest(self, branches: list[Schema], path: str, examples: Sequence[Any]) -> Any:
        concrete = [b for b in branches if resolve(b, self.root).get("type") != "null"]
        values = [self.value(b, path, examples) for b in concrete or branches]
        return max(values, key=lambda v: len(json.dumps(v)))

    def _string(self, node: Schema, path: str, examples: Sequence[Any]) -> str:
        width = string_max(node, output=True)
        if width is None:
            raise UnsizableSchema(f"{path}: string without a maximum length")
        if node.get("format") in EXAMPLE_FORMATS:
            return EXAMPLE_FORMATS[node["format"]]
        pattern = node.get("pattern")
        if not isinstance(pattern, str):
            return WORST_CHAR * width
        candidates = [*(c * width for c in "x9a0"), *(str(e) for e in examples)]
        fitting = [c for c in candidates if len(c) <= width and re.search(pattern, c)]
        if not fitting:
            raise UnsizableSchema(f"{path}: no candidate string matches {pattern!r}")
        return max(fitting, key=len)

    def _array(self, node: Schema, path: str, examples: Sequence[Any]) -> list[Any]:
        count = array_max(node)
        if count is None:
            raise UnsizableSchema(f"{path}: array without a maximum length")
        item_examples = [i for e in examples if isinstance(e, list) for i in e]
        items = node.get("items")
        if not isinstance(items, dict):
            return []
        one = self.value(items, f"{path}[]", item_examples)
        return [one] * count

    def _object(self, node: Schema, path: str, examples: Sequence[Any]) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for name, prop in (node.get("properties") or {}).items():
            found = [e[name] for e in examples if isinstance(e, dict) and name in e]
            result[name] = self.value(prop, f"{path}.{name}", found)
        extra = node.get("additionalProperties")
        if isinstance(extra, dict):
            keys = key_enum(node, self.root)
            count = object_max(node, self.root)
            if keys is None or count is None:
                raise UnsizableSchema(f"{path}: map without enumerated keys and a maximum")
            values = [v for e in examples if isinstance(e, dict) for v in e.values()]
            for key in keys[:count]:
                result[str(key)] = self.value(extra, f"{path}{{}}", values)
        return result


@dataclass(frozen=True)
class BudgetRow:
    event_type: str
    largest_bytes: int
    limit_bytes: int = EVENT_BUDGET_BYTES

    @property
    def share(self) -> float:
        return self.largest_bytes / self.limit_bytes


def largest_event(event_cls: type[Event]) -> Event:
    """The largest valid event of its type, validated by its own model."""
    from .schemas import snapshot

    return event_cls.model_validate(largest_instance(snapshot(event_cls)))


def largest_record_bytes(event_cls: type[Event]) -> int:
    """The largest event of its type as a Kafka record, every CloudEvents header that
    can vary (ids, source) at its longest, with the trace context at its longest."""
    from .catalogue import REGISTRY
    from .codec import MAX_HEADER_CHARS, TRACE_HEADER_CHARS, encode, new_envelope

    record = encode(new_envelope(largest_event(event_cls), "budget"), REGISTRY)
    headers = [
        (name, b"x" * MAX_HEADER_CHARS[name] if name in WIDEST_HEADERS else value)
        for name, value in record.headers
    ]
    headers += [(name, b"x" * chars) for name, chars in TRACE_HEADER_CHARS.items()]
    return record_bytes(record.key, record.value, headers)


WIDEST_HEADERS = ("ce_id", "ce_source", "ce_correlationid", "ce_causationid")
"""Headers whose value is not fixed by the event: sized at their longest."""


def budget_rows(event_classes: Iterable[type[Event]]) -> list[BudgetRow]:
    return [BudgetRow(cls.event_type, largest_record_bytes(cls)) for cls in event_classes]


__all__ = [
    "DLQ_HEADROOM_BYTES",
    "EVENT_BUDGET_BYTES",
    "MAX_MESSAGE_BYTES",
    "OUTPUT_WIDTHS",
    "BudgetRow",
    "UnsizableSchema",
    "budget_rows",
    "largest_event",
    "largest_instance",
    "record_bytes",
]
