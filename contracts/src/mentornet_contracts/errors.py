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
