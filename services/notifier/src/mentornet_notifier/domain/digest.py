"""The daily digest: a person who chose it gets the messages that can wait (requests,
proposals, nudges, invitations) as one e-mail a day at their chosen local time, after
their quiet hours. Session messages (with their .ics), reminders and escalations to a
case's owner never wait for it.

Each message still has its own ledger entry, `held` under the digest it waits for. The
digest is a ledger entry of its own, keyed by (person, channel, the moment it is due),
so every fact that arrives before that moment finds the same one. It is claimed with a
lease like a single message; once the channel has accepted it, it is marked `sent`
with the entries it carried (one write), then each entry `delivered` (each with its
NotificationDelivered), then the digest `delivered`. A crash in between resumes from
`sent` and never sends again; a crash during the send sends the digest again, under
the same id (the window of usecases/sending.py)."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import NotRequired, TypedDict
from zoneinfo import ZoneInfo

from mentornet_contracts.events.notifications import Channel, NotificationKind

from .documents import Delivery, DeliveryStatus, QuietHours
from .quiet import hhmm, release

CAN_WAIT = frozenset(
    {
        NotificationKind.FEEDBACK_REQUESTED,
        NotificationKind.FEEDBACK_REMINDER,
        NotificationKind.MATCH_PROPOSED,
        NotificationKind.STALL_NUDGE,
        NotificationKind.MENTOR_INVITATION,
    }
)
DIGEST_CHANNELS = frozenset({Channel.EMAIL})
"""The webhook feeds other systems, message by message; it is never batched."""
MAX_ITEMS = 100
"""Messages in one digest at most; any more go out on their own after it."""


class DigestStatus(StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    """Accepted by the channel; its entries are being marked delivered."""
    DELIVERED = "delivered"
    DEAD = "dead"


class Digest(TypedDict):
    digest_id: str
    participant_id: str
    channel: str
    status: str
    send_at: float
    due_epoch: float | None
    attempts: int
    items: list[str]
    """The entries it carried (set when it was sent)."""
    reason: str | None
    lease_until: NotRequired[float | None]


def digest_id(participant_id: str, channel: Channel, due: datetime) -> str:
    key = f"{participant_id}|{channel.value}|{int(due.timestamp())}"
    return "dg-" + hashlib.sha256(key.encode()).hexdigest()[:32]


def waits(kind: NotificationKind, channel: Channel, at: str | None) -> bool:
    """Whether a message waits for the person's digest (`at`: their digest time)."""
    return at is not None and kind in CAN_WAIT and channel in DIGEST_CHANNELS


def next_time(now: datetime, zone: str, at: str, quiet: QuietHours | None) -> datetime:
    """The next digest after `now`: today's (or tomorrow's) local `at`, moved past the
    quiet hours if it falls in them (UTC). A local time skipped by a DST change reads
    with the offset before it, as quiet hours do."""
    tz = ZoneInfo(zone)
    local = now.astimezone(tz)
    due = datetime.combine(local.date(), hhmm(at), tzinfo=tz)
    if due <= local:
        due = datetime.combine(local.date() + timedelta(days=1), hhmm(at), tzinfo=tz)
    return release(due.astimezone(UTC), zone, quiet)


def opened(participant_id: str, channel: Channel, due: datetime) -> Digest:
    return Digest(
        digest_id=digest_id(participant_id, channel, due),
        participant_id=participant_id,
        channel=channel.value,
        status=DigestStatus.PENDING,
        send_at=due.timestamp(),
        due_epoch=due.timestamp(),
        attempts=0,
        items=[],
        reason=None,
    )


def open_for_items(digest: Digest) -> bool:
    """New messages may still join it (it is not being sent, nor done)."""
    return digest["status"] == DigestStatus.PENDING


def held(entry: Delivery, digest: Digest) -> Delivery:
    return {
        **entry,
        "status": DeliveryStatus.HELD,
        "due_epoch": None,
        "send_at": digest["send_at"],
        "digest_id": digest["digest_id"],
    }


def claim(state: Digest, now: float, lease_s: float) -> Digest | None:
    """Taken for sending (or, once sent, for marking its entries) until the lease ends."""
    due = state.get("due_epoch")
    if due is None or due > now:
        return None
    if state["status"] == DigestStatus.SENT:
        return {**state, "lease_until": now + lease_s, "due_epoch": now + lease_s}
    if state["status"] not in (DigestStatus.PENDING, DigestStatus.SENDING):
        return None
    until = now + lease_s
    return {
        **state,
        "status": DigestStatus.SENDING,
        "attempts": state["attempts"] + 1,
        "lease_until": until,
        "due_epoch": until,
    }


def sent(state: Digest, items: Sequence[str], now: float, lease_s: float) -> Digest:
    return {
        **state,
        "status": DigestStatus.SENT,
        "items": list(items),
        "due_epoch": now + lease_s,
        "lease_until": now + lease_s,
        "reason": None,
    }


def finished(state: Digest, status: DigestStatus, reason: str | None = None) -> Digest:
    return {**state, "status": status, "due_epoch": None, "lease_until": None, "reason": reason}


def again(state: Digest, reason: str, later: float) -> Digest:
    return {
        **state,
        "status": DigestStatus.PENDING,
        "due_epoch": later,
        "lease_until": None,
        "reason": reason,
    }
