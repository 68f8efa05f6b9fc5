"""Why a Kafka record could not become an event. Each reason is stated for the DLQ."""


class DecodeError(ValueError):
    """A record that cannot be decoded; never worth retrying."""

    kind = "decode_error"

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class MissingHeaderError(DecodeError):
    kind = "missing_header"


class UnknownEventTypeError(DecodeError):
    kind = "unknown_event_type"


class InvalidJsonError(DecodeError):
    kind = "invalid_json"


class SchemaViolationError(DecodeError):
    kind = "schema_violation"


class WrongTopicError(DecodeError):
    kind = "wrong_topic"


class UnknownEntity(LookupError):
    """An event refers to an entity this consumer has not seen (yet). `awaits` names
    it, so a consumer can park the event until the entity's own event arrives instead
    of retrying in place (the chassis does; see its parking module). `on_topic`: the
    topic that event travels on, when it is not the waiting event's own topic (a match
    QA learns of on the matches topic, waited for by a risk flag on the feedback topic)."""

    def __init__(
        self, kind: str, entity_id: str, detail: str = "", *, on_topic: str | None = None
    ) -> None:
        super().__init__(f"no {kind} {entity_id} seen here" + (f": {detail}" if detail else ""))
        self.kind = kind
        self.awaits = entity_id
        self.on_topic = on_topic
