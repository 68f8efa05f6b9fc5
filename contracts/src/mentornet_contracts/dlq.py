"""Header names a dead-lettered record carries, for operators and replay tools.

A DLQ record keeps the original key, value and headers, and adds these.
"""

REASON = "dlq_reason"
"""invalid_json, schema_violation, unknown_event_type, missing_header, wrong_topic,
handler_error or parked_expired (an event that waited for a fact that never came)."""
ERROR_TYPE = "dlq_error_type"
ERROR_MESSAGE = "dlq_error_message"
ATTEMPTS = "dlq_attempts"
ORIGIN_TOPIC = "dlq_origin_topic"
ORIGIN_PARTITION = "dlq_origin_partition"
ORIGIN_OFFSET = "dlq_origin_offset"
SERVICE = "dlq_service"
FAILED_AT = "dlq_failed_at"

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
)
