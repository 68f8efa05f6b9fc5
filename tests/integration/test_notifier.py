"""The notifier on the real broker and store, with intake's contact route and a real
SMTP server (aiosmtpd): a booked session is one e-mail per person with a valid .ics
and a redelivered fact adds none; a reminder in quiet hours arrives after them; an
unsubscribe link stops the next one; an erased person gets nothing more. And a local
HTTP receiver (uvicorn) for the webhook channel: one POST per message for people who
turned it on, a 4xx is a dead letter with the answer, a 503 is retried after backoff."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import json
import re
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Generator, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any
from urllib.parse import urlsplit

import pytest
import uvicorn
from aiosmtpd.controller import Controller
from icalendar import Calendar
from mentornet_contracts import Envelope, encode, new_envelope
from mentornet_contracts.catalogue import NOTIFICATIONS, REGISTRY
from mentornet_contracts.events.feedback import FeedbackReminderDue, FeedbackRequested
from mentornet_contracts.events.matches import MatchConfirmed
from mentornet_contracts.events.qa import EscalationRaised
from mentornet_contracts.events.sessions import SessionReminderDue, SessionScheduled
from mentornet_notifier.usecases.channels import SendFailed
from mentornet_notifier.usecases.webhook import WebhookChannel
from mentornet_tooling.embedded import free_port
from mentornet_tooling.testing.backends import Endpoints
from mentornet_tooling.testing.clock import MovableClock
from mentornet_tooling.testing.kafka import find_records, kind_of, produce_record
from mentornet_tooling.testing.poll import eventually
from mentornet_tooling.testing.services import RunningService
from pymongo import AsyncMongoClient

from tests.conftest import ServiceOn
from tests.support.helpers import mentee_body, open_program, token
from tests.support.registering import MENTOR_EXTRA

pytestmark = pytest.mark.integration

NOW = datetime(2027, 3, 9, 13, 0, tzinfo=UTC)
"""14:00 in Berlin (the mentor), 08:00 in New York (the mentee: quiet until 09:00)."""
STARTS = datetime(2027, 3, 11, 15, 0, tzinfo=UTC)


@dataclass
class Inbox:
    """What the SMTP server received: (recipients, the parsed message)."""

    mails: list[tuple[list[str], EmailMessage]] = field(default_factory=list)
    refuse: int = 0
    """Answer this many messages with a temporary failure first."""

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.refuse > 0:
            self.refuse -= 1
            return "451 Requested action aborted: try again later"
        parsed = message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        self.mails.append((list(envelope.rcpt_tos), parsed))
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[EmailMessage]:
        return [mail for rcpts, mail in self.mails if address in rcpts]


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    inbox, port = Inbox(), free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


@pytest.fixture
async def mongo(stack: Endpoints) -> AsyncIterator[AsyncMongoClient[dict[str, Any]]]:
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(stack.mongo_uri)
    yield client
    await client.close()


def scheduled(match_id: str, program_id: str, mentor: str, mentee: str) -> SessionScheduled:
    return SessionScheduled.model_validate(
        {
            "session_id": f"s-{match_id}",
            "match_id": match_id,
            "program_id": program_id,
            "mentor_id": mentor,
            "mentee_id": mentee,
            "session_type": "regular",
            "starts_at": STARTS.isoformat(),
            "duration_minutes": 45,
            "local_times": [],
        }
    )


def reminder(match_id: str, offset: int) -> SessionReminderDue:
    return SessionReminderDue.model_validate(
        {
            "session_id": f"s-{match_id}",
            "match_id": match_id,
            "starts_at": STARTS.isoformat(),
            "offset_minutes": offset,
        }
    )


def feedback_request(match_id: str, participant_id: str) -> FeedbackRequested:
    return FeedbackRequested.model_validate(
        {
            "request_id": f"r-{match_id}",
            "match_id": match_id,
            "session_id": f"s-{match_id}",
            "participant_id": participant_id,
            "role": "mentee",
            "due_at": STARTS.isoformat(),
            "template_id": "post-session",
            "template_version": 1,
        }
    )


async def send(stack: Endpoints, envelope: Envelope[Any]) -> None:
    await produce_record(stack.bootstrap_servers, encode(envelope, REGISTRY))


async def post(stack: Endpoints, event: Any) -> Envelope[Any]:
    envelope = new_envelope(event, "tests")
    await send(stack, envelope)
    return envelope


async def notifications(stack: Endpoints, participant_id: str, kind: str) -> list[dict[str, Any]]:
    records = await find_records(
        stack.bootstrap_servers,
        NOTIFICATIONS.name,
        lambda r: r.key == participant_id.encode() and kind_of(r) == kind,
        timeout=30,
    )
    return [json.loads(r.value) for r in records]


def calendar_of(mail: EmailMessage) -> Calendar:
    for part in mail.walk():
        if part.get_content_type() == "text/calendar" or part.get_filename() == "invite.ics":
            payload = part.get_payload(decode=True)
            assert isinstance(payload, bytes)
            return Calendar.from_ical(payload)
    raise AssertionError("no .ics attached")


def text_of(mail: EmailMessage) -> str:
    body = mail.get_body(preferencelist=("plain", "html"))
    assert body is not None
    return str(body.get_content())


async def count_reaches(inbox: Inbox, address: str, count: int) -> list[EmailMessage]:
    async def probe() -> list[EmailMessage] | None:
        found = inbox.to(address)
        return found if len(found) >= count else None

    return await eventually(probe, timeout=30, what=f"{count} e-mails to {address}")


@dataclass
class Pair:
    program_id: str
    mentor_id: str
    mentee_id: str
    mentor_email: str
    mentee_email: str
    coordinator: dict[str, str]


async def register_pair(intake: RunningService, notifier: RunningService, unique: str) -> Pair:
    program_id, _ = await open_program(intake, unique)
    coordinator = token(f"c-{unique}", "coordinator", programs=[program_id])
    mentor_body = {
        **mentee_body(f"m{unique}", program_id, display_name="Grace Hopper"),
        **MENTOR_EXTRA,
        "availability": {"timezone": "Europe/Berlin"},
    }
    mentor = await intake.http.post("/participants/mentors", headers=coordinator, json=mentor_body)
    assert mentor.status_code == 201, mentor.text
    mentee_req = mentee_body(unique, program_id, availability={"timezone": "America/New_York"})
    mentee = await intake.http.post("/participants/mentees", headers=coordinator, json=mentee_req)
    assert mentee.status_code == 201, mentee.text
    pair = Pair(
        program_id,
        mentor.json()["participant_id"],
        mentee.json()["participant_id"],
        str(mentor_body["email"]),
        str(mentee_req["email"]),
        coordinator,
    )

    async def both_known() -> bool:
        return all(
            [await known(notifier, p, coordinator) for p in (pair.mentor_id, pair.mentee_id)]
        )

    await eventually(both_known, timeout=30, what="both people known to the notifier")
    return pair


async def known(notifier: RunningService, pid: str, headers: dict[str, str]) -> bool:
    found = await notifier.http.get(
        f"/participants/{pid}/notification-preferences", headers=headers
    )
    return found.status_code == 200


async def test_sessions_reminders_quiet_hours_unsubscribe_and_erasure(
    stack: Endpoints,
    intake: RunningService,
    notifier_on: ServiceOn,
    smtp: tuple[Inbox, int],
    mongo: AsyncMongoClient[dict[str, Any]],
    unique: str,
) -> None:
    inbox, port = smtp
    clock = MovableClock(NOW)
    email_url = f"mailto://127.0.0.1:{port}?mode=insecure&smtp=127.0.0.1"
    base = str(intake.http.base_url).rstrip("/")
    async with notifier_on(clock, email_url=email_url, intake_url=base) as notifier:
        pair = await register_pair(intake, notifier, unique)
        ledger = mongo[notifier.database]["deliveries"]
        quiet = {"quiet_hours": {"start": "07:00", "end": "09:00"}}
        path = f"/participants/{pair.mentee_id}/notification-preferences"
        put = await notifier.http.put(path, headers=pair.coordinator, json=quiet)
        assert put.status_code == 200, put.text
        stranger = token(f"x-{unique}", "mentee")
        assert (await notifier.http.get(path, headers=stranger)).status_code == 404
        bad = await notifier.http.put(path, headers=pair.coordinator, json={"channels": ["fax"]})
        assert bad.status_code == 422
        assert "channels" in bad.json()["field"]

        match_id = f"m-{unique}"
        confirmed = MatchConfirmed.model_validate(
            {
                "match_id": match_id,
                "mentee_id": pair.mentee_id,
                "mentor_id": pair.mentor_id,
                "program_id": pair.program_id,
            }
        )
        await post(stack, confirmed)
        booked = await post(
            stack, scheduled(match_id, pair.program_id, pair.mentor_id, pair.mentee_id)
        )
        # Booked outside the mentee's quiet hours? No: 08:00 in New York, so theirs waits.
        [to_mentor] = await count_reaches(inbox, pair.mentor_email, 1)
        [event] = calendar_of(to_mentor).walk("VEVENT")
        assert str(event["UID"]) == f"s-{match_id}"
        assert event.decoded("DTSTART") == STARTS
        assert "Thu 11 Mar 2027, 16:00 (Europe/Berlin)" in str(to_mentor["Subject"])

        [announced] = await notifications(stack, pair.mentor_id, "notification.delivered")
        assert announced["kind"] == "session_booked"
        assert announced["source_event_id"] == booked.id
        assert pair.mentor_email not in json.dumps(announced)

        await send(stack, booked)  # redelivered: the same event id
        await post(stack, reminder(match_id, 2880))
        assert len(await count_reaches(inbox, pair.mentor_email, 2)) == 2
        assert inbox.to(pair.mentee_email) == [], "the mentee is in quiet hours"

        clock.advance(hours=1, minutes=1)  # 09:01 in New York
        released = await count_reaches(inbox, pair.mentee_email, 2)  # together, any order
        [booked_mail] = [m for m in released if "session booked" in str(m["Subject"])]
        [reminded] = [m for m in released if "reminder, session at" in str(m["Subject"])]
        assert "(America/New_York)" in str(booked_mail["Subject"])
        calendar_of(booked_mail)
        assert "reminder" in str(reminded["Subject"])
        assert len(inbox.to(pair.mentor_email)) == 2, "the redelivered booking sent nothing"

        link = re.search(r"https?://\S+/unsubscribe\?\S+", text_of(reminded))
        assert link is not None, text_of(reminded)
        parts = urlsplit(link.group(0))
        done = await notifier.http.get(f"{parts.path}?{parts.query}")
        assert done.status_code == 200, done.text
        assert "session_reminder" in done.json()["unsubscribed"]
        forged = await notifier.http.get(f"{parts.path}?{parts.query[:-2]}00")
        assert forged.status_code == 403

        second = await post(stack, reminder(match_id, 60))
        await count_reaches(inbox, pair.mentor_email, 3)
        skipped = await ledger.find_one(
            {"state.source_event_id": second.id, "state.participant_id": pair.mentee_id}
        )
        assert skipped is not None
        assert skipped["state"]["status"] == "skipped"

        # Quiet again until noon in New York: a feedback request waits in the ledger.
        later = {"quiet_hours": {"start": "09:00", "end": "12:00"}}
        assert (await notifier.http.put(path, headers=pair.coordinator, json=later)).is_success
        asked = await post(stack, feedback_request(match_id, pair.mentee_id))

        async def waiting() -> dict[str, Any] | None:
            query = {"state.source_event_id": asked.id, "state.participant_id": pair.mentee_id}
            return await ledger.find_one(query)

        held = await eventually(waiting, timeout=30, what="the request held in the ledger")
        assert held["state"]["status"] == "pending"

        erased = await intake.http.delete(
            f"/participants/{pair.mentee_id}", headers=pair.coordinator
        )
        assert erased.status_code == 200, erased.text
        await eventually(
            lambda: _gone(notifier, pair.mentee_id, pair.coordinator), timeout=30, what="erased"
        )

        async def ledger_emptied() -> bool:
            """The tombstone is written first, then the ledger entries go (usecases/erasure.py)."""
            return await ledger.count_documents({"state.participant_id": pair.mentee_id}) == 0

        await eventually(ledger_emptied, timeout=30, what="the mentee's ledger entries deleted")
        clock.advance(hours=3)  # past noon in New York: the request would have gone now
        await post(stack, reminder(match_id, 30))
        await count_reaches(inbox, pair.mentor_email, 4)
        assert await ledger.count_documents({"state.participant_id": pair.mentee_id}) == 0
        assert len(inbox.to(pair.mentee_email)) == 2
        assert len(inbox.to(pair.mentor_email)) == 4


async def _gone(notifier: RunningService, pid: str, headers: dict[str, str]) -> bool:
    found = await notifier.http.get(
        f"/participants/{pid}/notification-preferences", headers=headers
    )
    return found.status_code == 404


async def test_no_contact_is_a_dead_letter_operators_see(
    stack: Endpoints,
    intake: RunningService,
    notifier_on: ServiceOn,
    smtp: tuple[Inbox, int],
    unique: str,
) -> None:
    inbox, port = smtp
    email_url = f"mailto://127.0.0.1:{port}?mode=insecure&smtp=127.0.0.1"
    base = str(intake.http.base_url).rstrip("/")
    async with notifier_on(MovableClock(NOW), email_url=email_url, intake_url=base) as notifier:
        pair = await register_pair(intake, notifier, unique)
        owner = f"p-owner-{unique}"  # a case owner intake does not know
        await post(
            stack,
            MatchConfirmed.model_validate(
                {
                    "match_id": f"m-{unique}",
                    "mentee_id": pair.mentee_id,
                    "mentor_id": pair.mentor_id,
                    "program_id": pair.program_id,
                }
            ),
        )
        await post(
            stack,
            EscalationRaised.model_validate(
                {
                    "case_id": f"esc-{unique}",
                    "match_id": f"m-{unique}",
                    "trigger": "no_activity",
                    "severity": "medium",
                    "action": "nudge",
                    "owner_id": owner,
                    "due_at": STARTS.isoformat(),
                }
            ),
        )
        await count_reaches(inbox, pair.mentor_email, 1)

        async def dead() -> list[dict[str, Any]] | None:
            found = await notifier.http.get("/deliveries/dead", headers=pair.coordinator)
            assert found.status_code == 200, found.text
            rows = [d for d in found.json()["dead"] if d["participant_id"] == owner]
            return rows or None

        [row] = await eventually(dead, timeout=30, what="a dead letter")
        assert row["kind"] == "escalation_assigned"
        assert row["reason"].startswith("no contact")
        [announced] = await notifications(stack, owner, "notification.dead_lettered")
        assert announced["reason"] == row["reason"]
        assert announced["case_id"] == f"esc-{unique}"
        nudge = text_of(inbox.to(pair.mentor_email)[0])
        assert "quiet lately" in nudge


async def test_a_refused_message_is_retried_after_its_backoff(
    stack: Endpoints,
    intake: RunningService,
    notifier_on: ServiceOn,
    smtp: tuple[Inbox, int],
    unique: str,
) -> None:
    inbox, port = smtp
    clock = MovableClock(NOW)
    email_url = f"mailto://127.0.0.1:{port}?mode=insecure&smtp=127.0.0.1"
    base = str(intake.http.base_url).rstrip("/")
    settings = {"email_url": email_url, "intake_url": base, "backoff_base_seconds": 60.0}
    async with notifier_on(clock, **settings) as notifier:
        pair = await register_pair(intake, notifier, unique)
        inbox.refuse = 1
        asked = await post(stack, feedback_request(f"m-{unique}", pair.mentor_id))

        async def refused() -> bool:
            return inbox.refuse == 0

        await eventually(refused, timeout=30, what="the first try refused")
        assert inbox.to(pair.mentor_email) == []
        clock.advance(seconds=61)
        [mail] = await count_reaches(inbox, pair.mentor_email, 1)
        assert str(mail["Subject"]) == "Platform mentoring: how did your session go?"
        [announced] = await notifications(stack, pair.mentor_id, "notification.delivered")
        assert (announced["source_event_id"], announced["attempts"]) == (asked.id, 2)


@dataclass
class Hook:
    """A webhook receiver: every POST's JSON and Idempotency-Key, answered 200 unless
    a status is queued for that participant (each queued answer is used once)."""

    posts: list[tuple[dict[str, Any], str]] = field(default_factory=list)
    signed: list[tuple[bytes, str]] = field(default_factory=list)
    """Each POST's exact body and its X-MentorNet-Signature."""
    queued: dict[str, list[int]] = field(default_factory=dict)
    hold_s: float = 0.0
    """Wait this long before answering (a receiver that times out)."""

    async def __call__(
        self,
        scope: dict[str, Any],
        receive: Callable[[], Awaitable[dict[str, Any]]],
        send: Callable[[dict[str, Any]], Awaitable[None]],
    ) -> None:
        assert scope["type"] == "http"
        body = b""
        while True:
            part = await receive()
            body += part.get("body", b"")
            if not part.get("more_body"):
                break
        sent = json.loads(body)
        headers = dict(scope["headers"])
        self.posts.append((sent, headers.get(b"idempotency-key", b"").decode()))
        self.signed.append((body, headers.get(b"x-mentornet-signature", b"").decode()))
        queue = self.queued.get(sent["participant_id"], [])
        status = queue.pop(0) if queue else 200
        if self.hold_s:
            await asyncio.sleep(self.hold_s)  # a slow receiver, for the sender's time limit
        answer = b"this hook was removed" if status == 410 else b"ok"
        await send({"type": "http.response.start", "status": status, "headers": []})
        await send({"type": "http.response.body", "body": answer})

    def to(self, participant_id: str, source: str | None = None) -> list[dict[str, Any]]:
        return [
            p
            for p, _ in self.posts
            if p["participant_id"] == participant_id
            and (source is None or p["source_event_id"] == source)
        ]


class _Receiver(uvicorn.Server):
    """Uvicorn without its own signal handling (the test process owns them)."""

    @contextlib.contextmanager
    def capture_signals(self) -> Generator[None, None, None]:
        yield


@pytest.fixture
async def hook() -> AsyncIterator[tuple[Hook, str]]:
    receiver, port = Hook(), free_port()
    config = uvicorn.Config(
        receiver, host="127.0.0.1", port=port, lifespan="off", log_level="warning"
    )
    server = _Receiver(config)
    task = asyncio.create_task(server.serve())

    async def started() -> bool:
        if task.done():
            task.result()
        return server.started

    await eventually(started, timeout=10, what="the webhook receiver")
    try:
        yield receiver, f"http://127.0.0.1:{port}/hook"
    finally:
        server.should_exit = True
        await asyncio.wait_for(task, timeout=10)


async def announced_on(
    stack: Endpoints, participant_id: str, kind: str, source: str, channel: str
) -> dict[str, Any]:
    def match(record: Any) -> bool:
        if record.key != participant_id.encode() or kind_of(record) != kind:
            return False
        found = json.loads(record.value)
        return bool(found["source_event_id"] == source and found["channel"] == channel)

    records = await find_records(stack.bootstrap_servers, NOTIFICATIONS.name, match, timeout=30)
    assert records, f"no {kind} on {channel} for {source}"
    return dict(json.loads(records[0].value))


async def test_the_webhook_gets_one_post_per_message_refusals_die_and_503_is_retried(
    stack: Endpoints,
    intake: RunningService,
    notifier_on: ServiceOn,
    smtp: tuple[Inbox, int],
    hook: tuple[Hook, str],
    unique: str,
) -> None:
    inbox, port = smtp
    receiver, webhook_url = hook
    clock = MovableClock(NOW)
    settings = {
        "email_url": f"mailto://127.0.0.1:{port}?mode=insecure&smtp=127.0.0.1",
        "intake_url": str(intake.http.base_url).rstrip("/"),
        "webhook_url": webhook_url,
        "webhook_secret": WEBHOOK_SECRET,
        "backoff_base_seconds": 60.0,
    }
    async with notifier_on(clock, **settings) as notifier:
        pair = await register_pair(intake, notifier, unique)
        for pid, channels in (
            (pair.mentor_id, ["email", "webhook"]),
            (pair.mentee_id, ["webhook"]),
        ):
            path = f"/participants/{pid}/notification-preferences"
            put = await notifier.http.put(
                path, headers=pair.coordinator, json={"channels": channels}
            )
            assert put.status_code == 200, put.text
            assert put.json()["channels"] == channels

        # 2xx: exactly one POST per message (a redelivered fact adds none), and the e-mail.
        asked = await post(stack, feedback_request(f"m1-{unique}", pair.mentor_id))
        delivered = await announced_on(
            stack, pair.mentor_id, "notification.delivered", asked.id, "webhook"
        )
        assert delivered["attempts"] == 1
        await count_reaches(inbox, pair.mentor_email, 1)
        await send(stack, asked)  # redelivered: checked at the end
        [sent] = receiver.to(pair.mentor_id, asked.id)
        assert (sent["kind"], sent["match_id"]) == ("feedback_requested", f"m1-{unique}")
        assert sent["subject"] == "Platform mentoring: how did your session go?"
        assert sent["body"].startswith("Please share your feedback on your last session by")
        assert "/unsubscribe?" not in sent["body"], "the personal link is a field of its own"
        assert "kind=feedback_requested" in sent["unsubscribe_url"]
        assert sent["delivery_id"] == delivered["delivery_id"]
        assert pair.mentor_email not in json.dumps(sent)

        # 410: dead at once, with the answer, for operators and on the topic.
        receiver.queued[pair.mentee_id] = [410]
        gone = await post(stack, feedback_request(f"m2-{unique}", pair.mentee_id))
        dead = await announced_on(
            stack, pair.mentee_id, "notification.dead_lettered", gone.id, "webhook"
        )
        assert dead["reason"] == "webhook answered 410 Gone: this hook was removed"
        assert dead["attempts"] == 1
        listed = await notifier.http.get("/deliveries/dead", headers=pair.coordinator)
        assert listed.status_code == 200, listed.text
        [row] = [d for d in listed.json()["dead"] if d["source_event_id"] == gone.id]
        assert (row["channel"], row["reason"]) == ("webhook", dead["reason"])

        # 503 once, then 200: retried after its backoff, delivered on the second try.
        receiver.queued[pair.mentor_id] = [503]
        busy = await post(stack, feedback_request(f"m3-{unique}", pair.mentor_id))

        async def refused() -> bool:
            return (
                len(receiver.to(pair.mentor_id, busy.id)) == 1
                and not receiver.queued[pair.mentor_id]
            )

        await eventually(refused, timeout=30, what="the first POST answered 503")
        clock.advance(seconds=61)
        again = await announced_on(
            stack, pair.mentor_id, "notification.delivered", busy.id, "webhook"
        )
        assert again["attempts"] == 2
        first, second = [key for p, key in receiver.posts if p["source_event_id"] == busy.id]
        assert first == second == again["delivery_id"], "the same Idempotency-Key on a retry"
        # By now the clock has passed any backoff the 410 could have had, and the
        # redelivered request has long been read: neither was posted again.
        assert len(receiver.to(pair.mentee_id, gone.id)) == 1, "a 4xx is not tried again"
        assert len(receiver.to(pair.mentor_id, asked.id)) == 1
        assert len(inbox.to(pair.mentor_email)) == 2
        assert inbox.to(pair.mentee_email) == [], "the mentee turned e-mail off"
        assert len(receiver.signed) == len(receiver.posts) == 4
        for body, signature in receiver.signed:
            assert signed_by(WEBHOOK_SECRET, body, signature), signature


async def test_a_daily_digest_gathers_what_can_wait_into_one_email_at_the_local_time(
    stack: Endpoints,
    intake: RunningService,
    notifier_on: ServiceOn,
    smtp: tuple[Inbox, int],
    mongo: AsyncMongoClient[dict[str, Any]],
    unique: str,
) -> None:
    """The mentor (Berlin, 14:00) wants a digest at 18:00: two feedback requests and a
    feedback reminder wait for it while a session reminder goes at once; the mentor
    unsubscribes from feedback reminders before 18:00, so at 18:00 one e-mail carries
    the two requests, each announced delivered in that digest, and the reminder is
    skipped. A request arriving after that waits for tomorrow's digest."""
    inbox, port = smtp
    clock = MovableClock(NOW)
    email_url = f"mailto://127.0.0.1:{port}?mode=insecure&smtp=127.0.0.1"
    base = str(intake.http.base_url).rstrip("/")
    async with notifier_on(clock, email_url=email_url, intake_url=base) as notifier:
        pair = await register_pair(intake, notifier, unique)
        path = f"/participants/{pair.mentor_id}/notification-preferences"
        bad = await notifier.http.put(path, headers=pair.coordinator, json={"digest_at": "25:00"})
        assert bad.status_code == 422
        assert bad.json()["field"].endswith("digest_at")
        put = await notifier.http.put(path, headers=pair.coordinator, json={"digest_at": "18:00"})
        assert put.status_code == 200, put.text
        assert put.json()["digest_at"] == "18:00"
        await post(
            stack,
            MatchConfirmed.model_validate(
                {
                    "match_id": f"m-{unique}",
                    "mentee_id": pair.mentee_id,
                    "mentor_id": pair.mentor_id,
                    "program_id": pair.program_id,
                }
            ),
        )
        first = await post(stack, feedback_request(f"m-{unique}", pair.mentor_id))
        second = await post(stack, feedback_request(f"m2-{unique}", pair.mentor_id))
        overdue = await post(
            stack,
            FeedbackReminderDue.model_validate(
                {
                    "request_id": f"r-m-{unique}",
                    "match_id": f"m-{unique}",
                    "session_id": f"s-m-{unique}",
                    "participant_id": pair.mentor_id,
                    "due_at": NOW.isoformat(),
                }
            ),
        )
        await post(stack, reminder(f"m-{unique}", 60))
        [reminded] = await count_reaches(inbox, pair.mentor_email, 1)
        assert "reminder, session at" in str(reminded["Subject"])
        ledger = mongo[notifier.database]["deliveries"]
        held = {"state.participant_id": pair.mentor_id, "state.status": "held"}

        async def all_held() -> bool:
            return await ledger.count_documents(held) == 3

        await eventually(all_held, timeout=30, what="three messages held for the digest")
        unsubscribe = {"digest_at": "18:00", "unsubscribed": ["feedback_reminder"]}
        assert (
            await notifier.http.put(path, headers=pair.coordinator, json=unsubscribe)
        ).is_success
        [waiting] = [d async for d in mongo[notifier.database]["digests"].find({})]
        six_pm = NOW.replace(hour=17).timestamp()
        assert (waiting["state"]["status"], waiting["state"]["due_epoch"]) == ("pending", six_pm)
        clock.advance(hours=3, minutes=59)  # 17:59 in Berlin
        assert len(inbox.to(pair.mentor_email)) == 1

        clock.advance(minutes=1)
        _, digest_mail = await count_reaches(inbox, pair.mentor_email, 2)
        assert str(digest_mail["Subject"]) == "Platform mentoring: your daily digest (2 updates)"
        text = text_of(digest_mail)
        assert text.count("how did your session go?") == 2
        assert "overdue" not in text
        assert text.count("/unsubscribe?") == 2
        delivered = [
            await announced_on(stack, pair.mentor_id, "notification.delivered", e.id, "email")
            for e in (first, second)
        ]
        digest_id = str(digest_mail["X-MentorNet-Delivery-Id"])
        assert [d["digest_id"] for d in delivered] == [digest_id, digest_id]
        skipped = await ledger.find_one({"state.source_event_id": overdue.id})
        assert skipped is not None
        assert skipped["state"]["status"] == "skipped"

        late = await post(stack, feedback_request(f"m3-{unique}", pair.mentor_id))

        async def waits_for_tomorrow() -> dict[str, Any] | None:
            return await ledger.find_one({"state.source_event_id": late.id, **held})

        tomorrow = await eventually(waits_for_tomorrow, timeout=30, what="the late one held")
        assert (
            tomorrow["state"]["send_at"] == (NOW.replace(hour=17) + timedelta(days=1)).timestamp()
        )
        assert len(inbox.to(pair.mentor_email)) == 2


WEBHOOK_SECRET = "a-shared-secret-the-receiver-knows"


def signed_by(secret: str, body: bytes, signature: str) -> bool:
    """What a receiver does: recompute HMAC-SHA256 over "<t>." + body, compare in
    constant time, and refuse a time more than five minutes off."""
    fields = dict(part.split("=", 1) for part in signature.split(","))
    expected = hmac.new(secret.encode(), fields["t"].encode() + b"." + body, hashlib.sha256)
    fresh = abs(time.time() - int(fields["t"])) < 300
    return fresh and hmac.compare_digest(expected.hexdigest(), fields["v1"])


async def test_no_answer_or_a_slow_one_from_the_webhook_is_retried(
    hook: tuple[Hook, str],
) -> None:
    receiver, url = hook
    message = {
        "delivery_id": "nd-1",
        "source_event_id": "ev-1",
        "participant_id": "p-1",
        "kind": "session_reminder",
        "program_id": None,
        "match_id": None,
        "case_id": None,
        "subject": "s",
        "body": "b",
    }
    entry: Any = message
    closed = WebhookChannel(f"http://127.0.0.1:{free_port()}/hook", timeout_s=5)
    with pytest.raises(SendFailed) as refused:
        await closed.send(entry)
    assert not refused.value.permanent
    assert refused.value.reason.startswith("webhook did not answer: ConnectError")
    receiver.hold_s = 2.0
    slow = WebhookChannel(url, timeout_s=0.5)
    with pytest.raises(SendFailed) as late:
        await slow.send(entry)
    assert (late.value.reason, late.value.permanent) == (
        "webhook did not answer: no answer in 0.5 s",
        False,
    )
