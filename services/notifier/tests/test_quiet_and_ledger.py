"""Quiet hours defer (never drop) in the person's zone, over midnight and across DST; the
ledger's ids are stable, retries back off, and the lifecycle keeps no words once sent."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from mentornet_contracts.events.notifications import Channel
from mentornet_contracts.events.notifications import NotificationKind as Kind
from mentornet_notifier.domain import ledger
from mentornet_notifier.domain.documents import Delivery, DeliveryStatus, QuietHours
from mentornet_notifier.domain.messages import Message
from mentornet_notifier.domain.quiet import release

pytestmark = pytest.mark.unit

NIGHT = QuietHours(start="22:00", end="07:00")
LUNCH = QuietHours(start="12:00", end="13:00")


def utc(year: int, month: int, day: int, hour: int, minute: int) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def test_outside_quiet_hours_a_message_goes_at_once() -> None:
    at = utc(2027, 3, 9, 12, 0)  # 13:00 in Berlin
    assert release(at, "Europe/Berlin", NIGHT) == at
    assert release(at, "Europe/Berlin", None) == at


def test_before_midnight_it_waits_for_the_next_morning() -> None:
    at = utc(2027, 3, 9, 22, 30)  # 23:30 in Berlin (CET)
    assert release(at, "Europe/Berlin", NIGHT) == utc(2027, 3, 10, 6, 0)


def test_after_midnight_it_waits_for_the_same_morning() -> None:
    at = utc(2027, 3, 10, 1, 0)  # 02:00 in Berlin
    assert release(at, "Europe/Berlin", NIGHT) == utc(2027, 3, 10, 6, 0)


def test_a_window_within_one_day() -> None:
    at = utc(2027, 3, 9, 11, 15)  # 12:15 in Berlin
    assert release(at, "Europe/Berlin", LUNCH) == utc(2027, 3, 9, 12, 0)


def test_the_morning_after_the_clocks_go_forward_is_local_time() -> None:
    # Berlin moves to CEST on 28 Mar 2027: 07:00 that morning is 05:00 UTC, not 06:00.
    at = utc(2027, 3, 27, 23, 0)  # 00:00 CET on the 28th
    assert release(at, "Europe/Berlin", NIGHT) == utc(2027, 3, 28, 5, 0)


def test_an_end_skipped_by_the_change_lands_just_after_the_gap() -> None:
    quiet = QuietHours(start="01:00", end="02:30")  # 02:30 does not exist on 28 Mar 2027
    at = utc(2027, 3, 28, 0, 30)  # 01:30 CET
    assert release(at, "Europe/Berlin", quiet) == utc(2027, 3, 28, 1, 30)  # 03:30 CEST


def test_the_morning_after_the_clocks_go_back_is_local_time() -> None:
    # New York moves back to EST on 7 Nov 2027: 07:00 that morning is 12:00 UTC.
    at = utc(2027, 11, 7, 4, 30)  # 00:30 EDT
    assert release(at, "America/New_York", NIGHT) == utc(2027, 11, 7, 12, 0)


def test_ledger_ids_are_stable_and_distinct() -> None:
    one = ledger.delivery_id("ev-1", "p-1", Channel.EMAIL)
    assert one == ledger.delivery_id("ev-1", "p-1", Channel.EMAIL)
    assert one.startswith("nd-")
    others = {
        ledger.delivery_id("ev-2", "p-1", Channel.EMAIL),
        ledger.delivery_id("ev-1", "p-2", Channel.EMAIL),
        ledger.delivery_id("ev-1", "p-1", Channel.WEBHOOK),
    }
    assert one not in others
    assert len(others) == 3


def test_backoff_doubles_up_to_its_cap() -> None:
    retry = ledger.Retry(max_attempts=6, base_s=30, cap_s=300)
    assert [retry.backoff(n) for n in range(1, 7)] == [30, 60, 120, 240, 300, 300]


def pending() -> Delivery:
    message = Message(Kind.SESSION_REMINDER, ("p-1",), {}, "prog-1", "m-1")
    entry = ledger.entry(message, "ev-1", "p-1", Channel.EMAIL, send_at=100.0)
    return ledger.rendered(entry, "subject", "body", "BEGIN:VCALENDAR")


def test_a_delivery_is_claimed_only_when_due_and_only_once_per_lease() -> None:
    entry = pending()
    assert ledger.claim(entry, 99.0, 60) is None
    taken = ledger.claim(entry, 100.0, 60)
    assert taken is not None
    assert taken["status"] == DeliveryStatus.SENDING
    assert ledger.claim(taken, 120.0, 60) is None
    again = ledger.claim(taken, 160.0, 60)  # the lease ran out: the sender died
    assert again is not None
    assert again["attempts"] == 2


def test_delivered_drops_the_words_and_announces_it() -> None:
    taken = ledger.claim(pending(), 100.0, 60)
    assert taken is not None
    done, event = ledger.delivered(taken)
    assert done["status"] == DeliveryStatus.DELIVERED
    assert (done["body"], done["ics"], done["subject"], done["due_epoch"]) == (None,) * 4
    assert (event.participant_id, event.delivery_id, event.attempts) == (
        "p-1",
        taken["delivery_id"],
        1,
    )


def test_failures_retry_with_backoff_then_dead_letter_with_the_reason() -> None:
    retry = ledger.Retry(max_attempts=2, base_s=10, cap_s=100)
    first = ledger.claim(pending(), 100.0, 60)
    assert first is not None
    later, events = ledger.failed(first, "relay down", 100.0, retry)
    assert (later["status"], later["due_epoch"], events) == (DeliveryStatus.PENDING, 110.0, [])
    second = ledger.claim(later, 110.0, 60)
    assert second is not None
    gone, [event] = ledger.failed(second, "relay down", 110.0, retry)
    assert (gone["status"], gone["reason"], gone["body"]) == (
        DeliveryStatus.DEAD,
        "relay down",
        None,
    )
    assert (event.reason, event.attempts) == ("relay down", 2)


def test_a_permanent_failure_is_dead_at_once() -> None:
    taken = ledger.claim(pending(), 100.0, 60)
    assert taken is not None
    gone, [event] = ledger.failed(
        taken, "no contact", 100.0, ledger.Retry(6, 10, 100), permanent=True
    )
    assert gone["status"] == DeliveryStatus.DEAD
    assert event.attempts == 1
