"""Header names a dead-lettered record carries, for operators and replay tools.

A DLQ record keeps the original key, value and headers, and adds these.
"""

REASON = "dlq_reason"
"""invalid_json, schema_violation, unknown_event_type, missing_header, wrong_topic,
handler_error, parked_expired (an event that waited for a fact that never came) or
set_aside (its batch kept failing on it, so the partition moved on without it)."""
ERROR_TYPE = "dlq_error_type"
ERROR_MESSAGE = "dlq_error_message"
ATTEMPTS = "dlq_attempts"
ORIGIN_TOPIC = "dlq_origin_topic"
ORIGIN_PARTITION = "dlq_origin_partition"
ORIGIN_OFFSET = "dlq_origin_offset"
SERVICE = "dlq_service"
FAILED_AT = "dlq_failed_at"
ENVELOPE = "dlq_envelope"
"""Present ("too_large") when the record was too large to copy: the DLQ record's value
is then a JSON envelope with the origin, the size, a SHA-256 digest and the first bytes
of the value, and these two headers say the same."""
VALUE_BYTES = "dlq_value_bytes"
VALUE_SHA256 = "dlq_value_sha256"

ALL = (
    REASON,
    ERROR_TYPE,
    ERROR_MESSAGE,
    ATTEMPTS,
    ORIGIN_TOPIC,
    ORIGIN_PARTITION,
    ORIGIN_OFFSET,
    SERVICE,
    FAILED_AT,
    ENVELOPE,
    VALUE_BYTES,
    VALUE_SHA256,
)

MAX_ERROR_MESSAGE_BYTES = 2000
"""The error message is cut to this many bytes (UTF-8)."""
MAX_VALUE_BYTES = {
    REASON: 32,
    ERROR_TYPE: 128,
    ERROR_MESSAGE: MAX_ERROR_MESSAGE_BYTES,
    ATTEMPTS: 10,
    ORIGIN_TOPIC: 249,
    ORIGIN_PARTITION: 10,
    ORIGIN_OFFSET: 20,
    SERVICE: 32,
    FAILED_AT: 32,
    ENVELOPE: 16,
    VALUE_BYTES: 20,
    VALUE_SHA256: 64,
}
"""The longest value each header takes; the chassis cuts any longer one."""
HEADROOM_BYTES = 16_384
"""Room every event record leaves under the message limit for these headers (they take
at most about 2.6 KB: contracts' tests hold the sum under this)."""
