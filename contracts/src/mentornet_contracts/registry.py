"""The topic registry: every topic's name, key and allowed event types, and the upcasters.

Topic names exist only here. Services refer to `Topic` objects from `catalogue`,
never to string literals, so a rename is one edit and a typo is an import error.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from .errors import UnknownEventTypeError, WrongTopicError
from .event import Event

Payload = dict[str, Any]
Upcaster = Callable[[Payload], Payload]


def unchanged(payload: Payload) -> Payload:
    """The upcaster of a version whose successor only bounded its fields: the payload
    reads as it is, and one over a new bound is refused by the successor's model."""
    return payload


BOUNDED = "v2 bounds every string and list; v1 records over a bound go to the DLQ"


@dataclass(frozen=True)
class Superseded:
    """An event version no longer written: records of it are still read, as the
    version that replaced it, through `upcast`. Its committed JSON Schema snapshot
    stays the contract of what it was."""

    event_type: str
    by: type[Event]
    why: str
    upcast: Upcaster = unchanged


@dataclass(frozen=True)
class Topic:
    """One aggregate stream: all events of one entity share a key and so a partition."""

    name: str
    key: str
    events: tuple[type[Event], ...] = ()
    partitions: int = 6
    retention_days: int = 30
    dlq_of: str | None = None

    def allows(self, event_type: str) -> bool:
        return self.dlq_of is not None or any(e.event_type == event_type for e in self.events)


def dlq_topic(service: str) -> Topic:
    return Topic(
        name=f"mentornet.{service}.dlq",
        key="as the source record",
        partitions=1,
        retention_days=90,
        dlq_of=service,
    )


@dataclass
class Registry:
    """Binds topics to event classes; resolves type names; upcasts old versions."""

    topics: tuple[Topic, ...]
    superseded: tuple[Superseded, ...] = ()
    _by_type: dict[str, type[Event]] = field(init=False, default_factory=dict)
    _topic_by_type: dict[str, Topic] = field(init=False, default_factory=dict)
    _upcasters: dict[str, tuple[str, Upcaster]] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        for topic in self.topics:
            for event_cls in topic.events:
                if event_cls.event_type in self._by_type:
                    raise ValueError(f"event type {event_cls.event_type} registered twice")
                self._by_type[event_cls.event_type] = event_cls
                self._topic_by_type[event_cls.event_type] = topic
        for old in self.superseded:
            if old.event_type in self._by_type or old.event_type in self._upcasters:
                raise ValueError(f"event type {old.event_type} registered twice")
            self.register_upcaster(old.event_type, old.by.event_type, old.upcast)
            self._topic_by_type[old.event_type] = self._topic_by_type[old.by.event_type]

    def event_types(self) -> list[str]:
        return sorted(self._by_type)

    def event_classes(self) -> list[type[Event]]:
        return [self._by_type[t] for t in self.event_types()]

    def event_class(self, event_type: str) -> type[Event]:
        try:
            return self._by_type[event_type]
        except KeyError:
            raise UnknownEventTypeError(f"unknown event type {event_type!r}") from None

    def readable(self, event_type: str) -> None:
        """Raise UnknownEventTypeError unless records of `event_type` can be read: a
        current version, or one superseded by a current version."""
        if event_type not in self._by_type and event_type not in self._upcasters:
            raise UnknownEventTypeError(f"unknown event type {event_type!r}")

    def superseded_by(self, event_type: str) -> Superseded | None:
        return next((s for s in self.superseded if s.event_type == event_type), None)

    def topic_of(self, event: type[Event] | Event) -> Topic:
        return self._topic_by_type[event.event_type]

    def topic(self, name: str) -> Topic:
        for topic in self.topics:
            if topic.name == name:
                return topic
        raise KeyError(name)

    def check_topic(self, topic_name: str | None, event_type: str) -> None:
        if topic_name is None:
            return
        topic = self._topic_by_type.get(event_type)
        if topic is not None and topic.name != topic_name:
            raise WrongTopicError(f"{event_type} belongs on {topic.name}, not {topic_name}")

    def register_upcaster(self, from_type: str, to_type: str, upcaster: Upcaster) -> None:
        """Teach the registry to read `from_type` payloads as `to_type`."""
        self.event_class(to_type)
        self._upcasters[from_type] = (to_type, upcaster)

    def has_upcaster(self, event_type: str) -> bool:
        return event_type in self._upcasters

    def upcast(self, event_type: str, payload: Payload) -> tuple[str, Payload]:
        """Follow the upcaster chain from `event_type` to the newest version it reaches."""
        seen: set[str] = set()
        while event_type in self._upcasters and event_type not in seen:
            seen.add(event_type)
            event_type, upcaster = self._upcasters[event_type]
            payload = upcaster(payload)
        return event_type, payload

    def with_topics(self, extra: Iterable[Topic]) -> Registry:
        return Registry(topics=(*self.topics, *extra), superseded=self.superseded)
