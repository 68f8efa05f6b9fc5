"""The webhook channel's pure parts: the JSON a message is posted as, and what the
receiver's answer means. 2xx: accepted. 4xx: refused for good (the same message will be
refused again), so dead-lettered with the answer; except 408 and 429, which ask the
sender to come back later. 5xx, no answer (connection refused, timeout): retried with
backoff, then dead after the last try. 1xx and 3xx (redirects are not followed): a
misconfigured URL, dead at once."""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from http import HTTPStatus

from .documents import Delivery
from .templates import SIGNATURE

PAYLOAD_VERSION = 1
SIGNATURE_HEADER = "X-MentorNet-Signature"
MAX_ANSWER = 200
"""Characters of the receiver's answer kept in the reason."""
LATER = frozenset({HTTPStatus.REQUEST_TIMEOUT, HTTPStatus.TOO_MANY_REQUESTS})
"""4xx answers that mean "try again later", retried like a 5xx."""


@dataclass(frozen=True)
class Refusal:
    reason: str
    permanent: bool


def payload(entry: Delivery) -> dict[str, object]:
    """What the receiver gets: the message and the facts it is about, keyed by the
    recipient's participant id (never an address: contact details stay in intake). The
    body comes without the e-mail footer; the recipient's own unsubscribe link is a
    field of its own, for a bridge to show only where the recipient alone sees it (not
    in a shared chat channel)."""
    return {
        "version": PAYLOAD_VERSION,
        "delivery_id": entry["delivery_id"],
        "source_event_id": entry["source_event_id"],
        "kind": entry["kind"],
        "participant_id": entry["participant_id"],
        "program_id": entry["program_id"],
        "match_id": entry["match_id"],
        "case_id": entry["case_id"],
        "subject": entry["subject"],
        "body": (entry["body"] or "").split(SIGNATURE)[0].strip(),
        "unsubscribe_url": entry.get("unsubscribe_url"),
    }


def body(entry: Delivery) -> bytes:
    """The exact bytes posted (the signature covers these)."""
    return json.dumps(payload(entry), separators=(",", ":"), ensure_ascii=False).encode()


def signature(secret: bytes, timestamp: int, content: bytes) -> str:
    """`t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>." + body>`: the receiver recomputes
    it with the shared secret and refuses a body that does not match, or an old `t`
    (a replay)."""
    mac = hmac.new(secret, str(timestamp).encode() + b"." + content, hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "(unknown status)"


def answered(status: int, text: str) -> Refusal | None:
    """What an answer means: None when accepted, else why not and whether to retry."""
    if 200 <= status < 300:
        return None
    said = " ".join(text.split())[:MAX_ANSWER]
    reason = f"webhook answered {status} {_phrase(status)}" + (f": {said}" if said else "")
    transient = status >= 500 or status in LATER
    return Refusal(reason, permanent=not transient)


def unanswered(what: str) -> Refusal:
    """No answer at all (refused connection, timeout, broken transfer): try again later."""
    return Refusal(f"webhook did not answer: {what}"[: MAX_ANSWER * 2], permanent=False)
