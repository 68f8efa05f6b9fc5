"""MentorNet event contracts: models, CloudEvents codec, topic registry, schema snapshots."""

from .catalogue import REGISTRY, SERVICES
from .codec import Envelope, KafkaRecord, decode, encode, new_envelope, stamp_events_with
from .errors import DecodeError
from .event import Event
from .registry import Registry, Topic

__all__ = [
    "REGISTRY",
    "SERVICES",
    "DecodeError",
    "Envelope",
    "Event",
    "KafkaRecord",
    "Registry",
    "Topic",
    "decode",
    "encode",
    "new_envelope",
    "stamp_events_with",
]
