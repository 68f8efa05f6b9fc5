"""The daily digest: only messages that can wait, on e-mail, join it; it is due at the
person's local time (tomorrow once today's has passed, after quiet hours, across DST);
its id is stable for everything due at one moment; its claim, send and close follow the
ledger's lease; the e-mail lists every item with its own unsubscribe link."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from mentornet_contracts.events.notifications import Channel
from mentornet_contracts.events.notifications import NotificationKind as Kind
from mentornet_notifier.domain import digest, ledger
from mentornet_notifier.domain.digest import DigestStatus
from mentornet_notifier.domain.documents import DeliveryStatus, QuietHours
from mentornet_notifier.domain.messages import Message
from mentornet_notifier.domain.templates import DigestItem, render, render_digest

pytestmark = pytest.mark.unit

NIGHT = QuietHours(start="22:00", end="08:30")


def utc(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2027, month, day, hour, minute, tzinfo=UTC)


@pytest.mark.parametrize("kind", sorted(digest.CAN_WAIT))
def test_messages_that_can_wait_join_the_digest_on_email_only(kind: Kind) -> None:
    assert digest.waits(kind, Channel.EMAIL, "08:00")
    assert not digest.waits(kind, Channel.WEBHOOK, "08:00")
    assert not digest.waits(kind, Channel.EMAIL, None)


@pytest.mark.parametrize(
    "kind",
    [
        Kind.SESSION_BOOKED,
        Kind.SESSION_RESCHEDULED,
        Kind.SESSION_CANCELLED,
        Kind.SESSION_REMINDER,
        Kind.ESCALATION_ASSIGNED,
    ],
)
def test_sessions_reminders_and_escalations_never_wait(kind: Kind) -> None:
    assert not digest.waits(kind, Channel.EMAIL, "08:00")


def test_the_digest_is_due_today_at_the_local_time_or_tomorrow_once_it_passed() -> None:
    before = utc(3, 9, 6, 0)  # 07:00 in Berlin
    assert digest.next_time(before, "Europe/Berlin", "08:00", None) == utc(3, 9, 7, 0)
    after = utc(3, 9, 7, 0)  # 08:00 in Berlin: today's is going now, the next is tomorrow
    assert digest.next_time(after, "Europe/Berlin", "08:00", None) == utc(3, 10, 7, 0)


def test_the_digest_time_keeps_the_local_wall_time_across_a_dst_change() -> None:
    """Berlin moves to summer time on 28 March 2027: 08:00 is 07:00 UTC before, 06:00
    after; New York moved on 14 March."""
    saturday = utc(3, 27, 9, 0)
    assert digest.next_time(saturday, "Europe/Berlin", "08:00", None) == utc(3, 28, 6, 0)
    assert digest.next_time(utc(3, 13, 15), "America/New_York", "09:00", None) == utc(3, 14, 13)


def test_a_digest_time_inside_quiet_hours_waits_for_their_end() -> None:
    early = digest.next_time(utc(3, 9, 12), "Europe/Berlin", "07:00", NIGHT)
    assert early == utc(3, 10, 7, 30)  # 08:30 in Berlin


def test_one_digest_per_person_channel_and_moment() -> None:
    due = utc(3, 10, 7)
    first = digest.opened("p-1", Channel.EMAIL, due)
    assert first["digest_id"] == digest.digest_id("p-1", Channel.EMAIL, due)
    assert digest.opened("p-2", Channel.EMAIL, due)["digest_id"] != first["digest_id"]
    assert digest.opened("p-1", Channel.EMAIL, utc(3, 11, 7))["digest_id"] != first["digest_id"]
    assert (first["status"], first["due_epoch"], first["items"]) == (
        DigestStatus.PENDING,
        due.timestamp(),
        [],
    )


def test_a_held_message_waits_for_its_digest_and_is_not_scanned_alone() -> None:
    due = utc(3, 10, 7)
    box = digest.opened("p-1", Channel.EMAIL, due)
    message = Message(Kind.FEEDBACK_REQUESTED, ("p-1",), {}, "prog-1", "m-1")
    entry = ledger.entry(message, "ev-1", "p-1", Channel.EMAIL, utc(3, 9, 12).timestamp())
    held = digest.held(entry, box)
    assert held["status"] == DeliveryStatus.HELD
    assert held["due_epoch"] is None
    assert (held["digest_id"], held["send_at"]) == (box["digest_id"], due.timestamp())
    assert ledger.released(held, 100.0)["due_epoch"] == 100.0
    done, event = ledger.delivered(held)
    assert (done["status"], event.digest_id) == (DeliveryStatus.DELIVERED, box["digest_id"])


def test_a_digest_is_claimed_once_due_and_again_only_when_its_lease_ran_out() -> None:
    box = digest.opened("p-1", Channel.EMAIL, utc(3, 10, 7))
    at = box["send_at"]
    assert digest.claim(box, at - 1, 60) is None
    claimed = digest.claim(box, at, 60)
    assert claimed is not None
    assert (claimed["status"], claimed["attempts"]) == (DigestStatus.SENDING, 1)
    assert not digest.open_for_items(claimed)
    assert digest.claim(claimed, at + 30, 60) is None, "still held by its sender"
    retaken = digest.claim(claimed, at + 61, 60)
    assert retaken is not None
    assert retaken["attempts"] == 2


def test_a_sent_digest_is_resumed_to_mark_its_items_never_sent_again() -> None:
    box = digest.opened("p-1", Channel.EMAIL, utc(3, 10, 7))
    claimed = digest.claim(box, box["send_at"], 60)
    assert claimed is not None
    sent = digest.sent(claimed, ["nd-1", "nd-2"], box["send_at"], 60)
    assert (sent["status"], sent["items"]) == (DigestStatus.SENT, ["nd-1", "nd-2"])
    resumed = digest.claim(sent, box["send_at"] + 61, 60)
    assert resumed is not None
    assert (resumed["status"], resumed["attempts"]) == (DigestStatus.SENT, 1)
    closed = digest.finished(resumed, DigestStatus.DELIVERED)
    assert digest.claim(closed, box["send_at"] + 1e6, 60) is None
    again = digest.again(claimed, "451 try later", box["send_at"] + 30)
    assert digest.open_for_items(again)
    assert again["due_epoch"] == box["send_at"] + 30


def test_the_digest_email_lists_every_item_with_its_own_link_and_one_signature() -> None:
    values = {"due_at": utc(3, 11, 15), "program": "Platform", "case_id": None}
    asked = render(Kind.FEEDBACK_REQUESTED, {**values, "unsubscribe_url": "u1"}, "Europe/Berlin")
    nudge = render(Kind.STALL_NUDGE, {**values, "unsubscribe_url": "u2"}, "Europe/Berlin")
    items = [
        DigestItem(asked.subject, asked.body, "https://n/unsubscribe?kind=feedback_requested"),
        DigestItem(nudge.subject, nudge.body, "https://n/unsubscribe?kind=stall_nudge"),
    ]
    words = render_digest("Platform", items, "08:00", "Europe/Berlin")
    assert words.subject == "Platform: your daily digest (2 updates)"
    assert "1. Platform: how did your session go?" in words.body
    assert "by Thu 11 Mar 2027, 16:00 (Europe/Berlin)" in words.body
    assert "2. Platform: time to meet again?" in words.body
    assert "kind=feedback_requested" in words.body
    assert "kind=stall_nudge" in words.body
    assert words.body.count("\n--\n") == 1, "the items' own signatures are dropped"
    assert "u1" not in words.body
    assert "08:00 (Europe/Berlin)" in words.body
    one = render_digest("Platform", items[:1], "08:00", "UTC")
    assert one.subject == "Platform: your daily digest (1 update)"
