"""A record as an operator sees it: key and headers as text, the value as JSON when it is
JSON, and the raw bytes kept for producing it again."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cached_property
from typing import Any

from mentornet_contracts.codec import format_time


@dataclass(frozen=True)
class Seen:
    """One record as read off a topic, with its key and headers as they were written."""

    topic: str
    partition: int
    offset: int
    timestamp_ms: int | None
    raw_key: bytes | None
    raw_headers: tuple[tuple[str, bytes], ...]
    value: bytes | None

    @classmethod
    def of(cls, raw: Any) -> Seen:
        return cls(
            topic=raw.topic,
            partition=raw.partition,
            offset=raw.offset,
            timestamp_ms=raw.timestamp,
            raw_key=None if raw.key is None else bytes(raw.key),
            raw_headers=tuple((str(n), bytes(v or b"")) for n, v in raw.headers or ()),
            value=None if raw.value is None else bytes(raw.value),
        )

    @property
    def key(self) -> str | None:
        return None if self.raw_key is None else self.raw_key.decode("utf-8", "replace")

    @cached_property
    def headers(self) -> dict[str, str]:
        return {name: value.decode("utf-8", "replace") for name, value in self.raw_headers}

    def header(self, name: str) -> str:
        return self.headers.get(name, "")

    @property
    def where(self) -> str:
        return f"{self.topic}/{self.partition}@{self.offset}"

    @property
    def time(self) -> str:
        """ce_time, else the record's broker timestamp."""
        if self.header("ce_time") or self.timestamp_ms is None:
            return self.header("ce_time")
        return format_time(datetime.fromtimestamp(self.timestamp_ms / 1000, UTC))

    def payload(self) -> Any:
        """The value as JSON, or as text when it is not JSON."""
        if self.value is None:
            return None
        try:
            return json.loads(self.value)
        except ValueError:
            return self.value.decode("utf-8", "replace")

    def as_json(self) -> dict[str, Any]:
        return {
            "topic": self.topic,
            "partition": self.partition,
            "offset": self.offset,
            "key": self.key,
            "headers": self.headers,
            "payload": self.payload(),
        }
