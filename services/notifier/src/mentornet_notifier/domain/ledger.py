"""The delivery ledger: one entry per (source event, recipient, channel), written
`pending` before anything is sent, claimed `sending` with a lease, then `delivered`
(with NotificationDelivered) or, after failures with exponential backoff, `dead`
(with NotificationDeadLettered and the reason). The rendered words are kept only
until delivery; the address is never kept."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from mentornet_contracts.events.notifications import (
    Channel,
    NotificationDeadLettered,
    NotificationDelivered,
    NotificationKind,
)

from .documents import Delivery, DeliveryStatus
from .messages import Message

MAX_REASON = 480


def delivery_id(source_event_id: str, participant_id: str, channel: Channel) -> str:
    """Stable: the same fact, person and channel always name the same entry."""
    digest = hashlib.sha256(f"{source_event_id}|{participant_id}|{channel.value}".encode())
    return "nd-" + digest.hexdigest()[:32]


@dataclass(frozen=True)
class Retry:
    max_attempts: int
    base_s: float
    cap_s: float

    def backoff(self, attempt: int) -> float:
        """Seconds to wait after the `attempt`-th failure (1-based): base * 2**(n-1)."""
        return float(min(self.cap_s, self.base_s * 2 ** max(attempt - 1, 0)))


def entry(
    message: Message, source_event_id: str, participant_id: str, channel: Channel, send_at: float
) -> Delivery:
    return Delivery(
        delivery_id=delivery_id(message.once_per or source_event_id, participant_id, channel),
        source_event_id=source_event_id,
        participant_id=participant_id,
        channel=channel.value,
        kind=message.kind.value,
        status=DeliveryStatus.PENDING,
        program_id=message.program_id,
        match_id=message.match_id,
        case_id=message.case_id,
        send_at=send_at,
        due_epoch=send_at,
        attempts=0,
        subject=None,
        body=None,
        ics=None,
        reason=None,
    )


def rendered(
    entry: Delivery, subject: str, body: str, ics: str | None, unsubscribe_url: str | None = None
) -> Delivery:
    return {
        **entry,
        "subject": subject,
        "body": body,
        "ics": ics,
        "unsubscribe_url": unsubscribe_url,
    }


def skipped(entry: Delivery, reason: str) -> Delivery:
    return {
        **entry,
        "status": DeliveryStatus.SKIPPED,
        "due_epoch": None,
        "reason": reason,
        "subject": None,
        "body": None,
        "ics": None,
        "unsubscribe_url": None,
    }


def released(entry: Delivery, now: float) -> Delivery:
    """A held message its digest did not carry (it came too late, or past the digest's
    limit): sent on its own now."""
    return {**entry, "status": DeliveryStatus.PENDING, "due_epoch": now, "send_at": now}


def claim(state: Delivery, now: float, lease_s: float) -> Delivery | None:
    """Taken for sending until the lease ends (None: not due, or someone holds it). A
    lease that ran out means the sender died: the message is sent again."""
    due = state.get("due_epoch")
    if (
        due is None
        or due > now
        or state["status"]
        not in (
            DeliveryStatus.PENDING,
            DeliveryStatus.SENDING,
        )
    ):
        return None
    until = now + lease_s
    return {
        **state,
        "status": DeliveryStatus.SENDING,
        "attempts": state["attempts"] + 1,
        "lease_until": until,
        "due_epoch": until,
    }


def _facts(state: Delivery) -> dict[str, object]:
    return {
        "participant_id": state["participant_id"],
        "delivery_id": state["delivery_id"],
        "source_event_id": state["source_event_id"],
        "kind": NotificationKind(state["kind"]),
        "channel": Channel(state["channel"]),
        "program_id": state["program_id"],
        "match_id": state["match_id"],
        "case_id": state["case_id"],
    }


def delivered(state: Delivery) -> tuple[Delivery, NotificationDelivered]:
    """Accepted by the channel (alone or in a digest): the words are dropped, the fact
    announced."""
    done: Delivery = {
        **state,
        "status": DeliveryStatus.DELIVERED,
        "due_epoch": None,
        "lease_until": None,
        "subject": None,
        "body": None,
        "ics": None,
        "unsubscribe_url": None,
    }
    return done, NotificationDelivered.model_validate(
        {
            **_facts(state),
            "attempts": max(state["attempts"], 1),
            "digest_id": state.get("digest_id"),
        }
    )


def dead(state: Delivery, reason: str) -> tuple[Delivery, NotificationDeadLettered]:
    gone: Delivery = {
        **state,
        "status": DeliveryStatus.DEAD,
        "due_epoch": None,
        "lease_until": None,
        "reason": reason[:MAX_REASON],
        "body": None,
        "ics": None,
        "unsubscribe_url": None,
    }
    return gone, NotificationDeadLettered.model_validate(
        {**_facts(state), "attempts": state["attempts"], "reason": reason[:MAX_REASON]}
    )


def failed(
    state: Delivery, reason: str, now: float, retry: Retry, *, permanent: bool = False
) -> tuple[Delivery, list[NotificationDeadLettered]]:
    """After a failed try: again later (backoff), or dead when it cannot succeed or the
    tries are used up."""
    if permanent or state["attempts"] >= retry.max_attempts:
        gone, event = dead(state, reason)
        return gone, [event]
    later = now + retry.backoff(state["attempts"])
    again: Delivery = {
        **state,
        "status": DeliveryStatus.PENDING,
        "due_epoch": later,
        "send_at": later,
        "lease_until": None,
        "reason": reason[:MAX_REASON],
    }
    return again, []
