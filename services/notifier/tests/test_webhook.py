"""The webhook channel: what a receiver's answer means (4xx: a dead letter with the
answer; 5xx, 408/429 and no answer: retried), what it is sent (never an address), and
which channels a message gets a ledger entry on (e-mail by default, the webhook only
for people who turn it on), each under its own delivery id."""

from __future__ import annotations

import hashlib
import hmac
import json

import pytest
from mentornet_contracts.events.notifications import Channel
from mentornet_contracts.events.notifications import NotificationKind as Kind
from mentornet_notifier.domain import ledger, preferences, webhook
from mentornet_notifier.domain.documents import Delivery
from mentornet_notifier.domain.messages import Message

pytestmark = pytest.mark.unit

BOTH = frozenset(Channel)
EMAIL_ONLY = frozenset({Channel.EMAIL})


def entry(channel: Channel = Channel.WEBHOOK) -> Delivery:
    message = Message(Kind.SESSION_REMINDER, ("p-1",), {}, "prog-1", "m-1")
    draft = ledger.entry(message, "ev-1", "p-1", channel, 0.0)
    body = "See you at 16:00.\n\n--\nPlatform via MentorNet. Stop these messages: https://u/1\n"
    return ledger.rendered(draft, "Your session", body, None, "https://u/1")


@pytest.mark.parametrize("status", [200, 201, 202, 204, 299])
def test_a_2xx_answer_is_accepted(status: int) -> None:
    assert webhook.answered(status, "whatever") is None


@pytest.mark.parametrize("status", [400, 401, 403, 404, 410, 413, 422])
def test_a_4xx_answer_is_permanent_and_names_the_answer(status: int) -> None:
    refused = webhook.answered(status, "no such hook")
    assert refused is not None
    assert refused.permanent
    assert refused.reason.startswith(f"webhook answered {status} ")
    assert refused.reason.endswith(": no such hook")


def test_the_reason_keeps_at_most_200_characters_of_the_answer() -> None:
    refused = webhook.answered(404, "  line one\n\n" + "x" * 500)
    assert refused is not None
    assert refused.reason.startswith("webhook answered 404 Not Found: line one xxx")
    said = refused.reason.removeprefix("webhook answered 404 Not Found: ")
    assert len(said) == webhook.MAX_ANSWER == 200
    gone = webhook.answered(410, "")
    assert gone is not None
    assert gone.reason == "webhook answered 410 Gone"


@pytest.mark.parametrize("status", [500, 502, 503, 504, 599, 408, 429])
def test_a_5xx_or_a_come_back_later_is_retried(status: int) -> None:
    refused = webhook.answered(status, "busy")
    assert refused is not None
    assert not refused.permanent
    assert refused.reason.startswith(f"webhook answered {status} ")


@pytest.mark.parametrize("status", [100, 301, 302, 308])
def test_an_informational_or_redirect_answer_is_a_misconfigured_url(status: int) -> None:
    refused = webhook.answered(status, "")
    assert refused is not None
    assert refused.permanent


def test_no_answer_is_retried() -> None:
    refused = webhook.unanswered("no answer in 30 s")
    assert (refused.reason, refused.permanent) == (
        "webhook did not answer: no answer in 30 s",
        False,
    )


def test_an_unknown_status_still_gets_a_reason() -> None:
    refused = webhook.answered(499, "")
    assert refused is not None
    assert refused.reason == "webhook answered 499 (unknown status)"
    assert refused.permanent


def test_the_payload_names_the_message_and_its_facts_never_an_address() -> None:
    """The e-mail footer (with the personal link) is not in the body: the link is a
    field of its own, for a bridge to show only to the recipient."""
    sent = webhook.payload(entry())
    assert sent == {
        "version": 1,
        "delivery_id": ledger.delivery_id("ev-1", "p-1", Channel.WEBHOOK),
        "source_event_id": "ev-1",
        "kind": "session_reminder",
        "participant_id": "p-1",
        "program_id": "prog-1",
        "match_id": "m-1",
        "case_id": None,
        "subject": "Your session",
        "body": "See you at 16:00.",
        "unsubscribe_url": "https://u/1",
    }
    assert "@" not in str(sent)


def test_one_ledger_entry_per_channel() -> None:
    assert entry(Channel.EMAIL)["delivery_id"] != entry(Channel.WEBHOOK)["delivery_id"]
    assert entry(Channel.WEBHOOK)["channel"] == "webhook"


def test_by_default_a_message_goes_by_e_mail_only() -> None:
    prefs = preferences.defaults("p-1")
    assert prefs["channels"] == ["email"]
    assert preferences.routes(prefs, Kind.SESSION_REMINDER, BOTH) == [(Channel.EMAIL, None)]


def test_a_person_who_turns_the_webhook_on_gets_both() -> None:
    prefs = preferences.chosen("p-1", [Channel.EMAIL, Channel.WEBHOOK], None, [])
    assert preferences.routes(prefs, Kind.SESSION_REMINDER, BOTH) == [
        (Channel.EMAIL, None),
        (Channel.WEBHOOK, None),
    ]


def test_webhook_only_records_the_e_mail_skipped() -> None:
    prefs = preferences.chosen("p-1", [Channel.WEBHOOK], None, [])
    assert preferences.routes(prefs, Kind.SESSION_REMINDER, BOTH) == [
        (Channel.EMAIL, "unsubscribed or channel off"),
        (Channel.WEBHOOK, None),
    ]


def test_a_webhook_chosen_where_none_is_set_is_recorded_skipped() -> None:
    prefs = preferences.chosen("p-1", [Channel.EMAIL, Channel.WEBHOOK], None, [])
    assert preferences.routes(prefs, Kind.SESSION_REMINDER, EMAIL_ONLY) == [
        (Channel.EMAIL, None),
        (Channel.WEBHOOK, "webhook is off here"),
    ]


def test_an_unsubscribed_kind_is_skipped_on_every_channel() -> None:
    prefs = preferences.chosen("p-1", list(Channel), None, [Kind.STALL_NUDGE])
    routes = preferences.routes(prefs, Kind.STALL_NUDGE, BOTH)
    assert routes == [
        (Channel.EMAIL, "unsubscribed or channel off"),
        (Channel.WEBHOOK, "unsubscribed or channel off"),
    ]
    assert preferences.routes(prefs, Kind.SESSION_REMINDER, BOTH)[1] == (Channel.WEBHOOK, None)


def test_the_signature_covers_the_time_and_the_exact_body() -> None:
    """The value a receiver recomputes (the HMAC-SHA256 of "1700000000." + body with
    the shared secret); a different body, time or secret gives another."""
    body = b'{"kind":"session_reminder"}'
    mac = hmac.new(b"s3cret", b"1700000000." + body, hashlib.sha256).hexdigest()
    assert webhook.signature(b"s3cret", 1700000000, body) == f"t=1700000000,v1={mac}"
    assert webhook.signature(b"s3cret", 1700000001, body) != webhook.signature(
        b"s3cret", 1700000000, body
    )
    assert not webhook.signature(b"other", 1700000000, body).endswith(mac)
    assert webhook.signature(b"s3cret", 1700000000, body + b" ") != f"t=1700000000,v1={mac}"


def test_the_body_posted_is_the_payload_as_compact_json() -> None:
    sent = entry()
    assert json.loads(webhook.body(sent)) == webhook.payload(sent)
    assert b'"subject":"Your session"' in webhook.body(sent)
