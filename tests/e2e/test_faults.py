"""Faults on the whole local stack, run as processes (`mentornet dev up` on free ports,
Tansu and nx-27017 included): every service SIGKILLed and restarted during a burst of
registrations; the store stopped for 10 s (SIGSTOP: it accepts connections and never
answers), then killed and started again on its data (connections refused). Afterwards
each service's database is reconciled with what was sent: intake registered every
person exactly once, and every consumer holds every person it is meant to, having
applied their registration once. And the notifier SIGKILLed while it e-mails a burst of
reminders: the SMTP server gets each once."""

from __future__ import annotations

import asyncio
import os
import signal
import time
import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy
from functools import partial

import httpx
import pytest
from mentornet_contracts.events.notifications import Channel
from mentornet_contracts.events.participants import MenteeRegistered
from mentornet_contracts.events.sessions import SessionReminderDue
from mentornet_notifier.domain.ledger import delivery_id
from mentornet_notifier.usecases.channels import DELIVERY_HEADER
from mentornet_tooling.mailsink import delivered
from mentornet_tooling.testing.poll import eventually

from tests.support.faultstack import OUTAGE_S, SERVICES, LocalStack
from tests.support.format_bodies import GOAL, PYTHON, person
from tests.support.helpers import SERVICE, token
from tests.support.offsets import (
    committed_offsets,
    end_offsets,
    publish,
    publish_registrations,
    readiness,
    to_ms,
)
from tests.support.processes import running
from tests.support.reconcile import (
    WRITTEN_ONLY_BY_EVENTS,
    caught_up,
    intake_people,
    kept_by_each,
    reconcile,
    registration_records,
)
from tests.support.registering import CONCURRENCY, Registrations, open_program, registrations, told

pytestmark = pytest.mark.e2e


@pytest.mark.timeout(300)
async def test_every_service_killed_mid_burst_still_registers_everyone_exactly_once(
    local_stack: LocalStack,
) -> None:
    """500 mentees and 5 mentors; intake, the matcher, the scheduler, feedback and QA
    are SIGKILLed one after another while registrations are in flight, and each is
    started again while the burst goes on."""
    stack, run = local_stack, uuid.uuid4().hex[:8]
    coordinator = token(f"coordinator-{run}", "coordinator")
    kill_after, ahead = [40, 120, 200, 280, 360], 60
    async with httpx.AsyncClient(base_url=stack.url("intake"), timeout=5) as http:
        program_id = await open_program(http, coordinator)
        plan = registrations(run, program_id, mentees=500, mentor_every=100)
        client = Registrations(http, coordinator)
        burst = await client.start(plan, kill_after[0] + ahead)
        at_kill: list[tuple[int, int]] = []
        killed: list[int] = []
        restarts: list[asyncio.Task[None]] = []
        for turn, service in enumerate(SERVICES):

            async def reached(turn: int = turn) -> bool:
                return client.answered >= kill_after[turn]

            await eventually(reached, timeout=120, interval=0.02, what="the burst to go on")
            at_kill.append((client.answered, client.sending))
            killed.append(await stack.kill(service))
            restarts.append(asyncio.create_task(stack.restart(service)))
            more = kill_after[turn + 1] + ahead if turn + 1 < len(kill_after) else len(plan)
            await client.allow(more)
        answers = await asyncio.gather(*burst)
        await asyncio.gather(*restarts)

    assert len(plan) == 505
    for turn, (answered, _) in enumerate(at_kill):
        assert kill_after[turn] <= answered < len(plan), f"{SERVICES[turn]} killed mid-burst"
    assert at_kill[0][1] > 0, "intake died with requests in flight"
    assert all(stack.pid(s) != pid for s, pid in zip(SERVICES, killed, strict=True))
    outcomes = told(answers)
    assert len(outcomes["created"]) + len(outcomes["already_registered"]) == 505
    assert outcomes["already_registered"] <= client.cut, "only attempts intake's death cut"
    assert len(outcomes["already_registered"]) <= CONCURRENCY

    people = await intake_people(stack, program_id)
    assert len(people) == 505
    assert Counter(tuple(doc["state"]["roles"]) for doc in people) == {
        ("mentee",): 500,
        ("mentor",): 5,
    }
    assert sorted(doc["state"]["email"] for doc in people) == sorted(b["email"] for _, b in plan)
    mentees = {doc["_id"] for doc in people if doc["state"]["roles"] == ["mentee"]}
    mentors = {doc["_id"] for doc in people if doc["state"]["roles"] == ["mentor"]}

    await caught_up(stack, kept_by_each(mentees, mentors))
    models, event_of = await reconcile(stack, mentees, mentors)
    assert {s: len(docs) for s, docs in models.items()} == {
        "matcher": 505,
        "scheduler": 505,
        "feedback": 500,
        "qa": 505,
    }
    created = [a.json() for a in answers if a.status_code == 201]
    elsewhere = [a for a in created if event_of[a["participant_id"]] != a["event_id"]]
    assert elsewhere == [], "every answer, replays included, names the one registration"


@pytest.mark.timeout(240)
async def test_a_store_outage_holds_every_offset_and_everything_is_applied_once_after(
    local_stack: LocalStack,
) -> None:
    """nx-27017 is SIGSTOPped for 10 s (to its clients, a store that accepts and never
    answers) while registrations go through intake and others arrive on the broker."""
    stack, run = local_stack, uuid.uuid4().hex[:8]
    coordinator = token(f"coordinator-{run}", "coordinator")
    async with httpx.AsyncClient(base_url=stack.url("intake"), timeout=5) as http:
        program_id = await open_program(http, coordinator)
        plan = registrations(run, program_id, mentees=60, mentor_every=60)
        client = Registrations(http, coordinator)
        early = [
            MenteeRegistered(
                participant_id=f"p-early-{n}-{run}", program_id=program_id, languages=("en",)
            )
            for n in range(10)
        ]
        ends_before = await end_offsets(stack.bootstrap)
        await publish_registrations(stack.bootstrap, early)

        async def early_committed() -> bool:
            """Every consumer has committed registrations of this run before the fault, so
            the check below that a commit means applied has commits to judge (the burst
            alone may be answered before a consumer commits any of it)."""
            committed = await committed_offsets(stack.bootstrap)
            return all(
                any(at > ends_before[p] for p, at in committed[service].items())
                for service, only in WRITTEN_ONLY_BY_EVENTS.items()
                if only
            )

        await eventually(early_committed, timeout=60, interval=0.1, what="early commits")
        burst = await client.start(plan, len(plan))

        async def under_way() -> bool:
            return client.answered >= 20

        await eventually(under_way, timeout=60, interval=0.02, what="registrations to flow")
        store = stack.pid("mongodb")
        os.kill(store, signal.SIGSTOP)
        stopped_at = datetime.now(UTC)
        outage_ends = time.monotonic() + OUTAGE_S
        try:
            answered_at_stop, sending_at_stop = client.answered, client.sending
            ends_at_stop = await end_offsets(stack.bootstrap)
            direct = [
                MenteeRegistered(
                    participant_id=f"p-outage-{n}-{run}", program_id=program_id, languages=("en",)
                )
                for n in range(20)
            ]
            await publish_registrations(stack.bootstrap, direct)
            ready = dict(
                zip(
                    SERVICES,
                    await asyncio.gather(*(readiness(stack, s) for s in SERVICES)),
                    strict=True,
                )
            )
            await asyncio.sleep(max(0.0, outage_ends - time.monotonic()))  # the fault's length
            ends_in_outage = await end_offsets(stack.bootstrap)
            committed_in_outage = await committed_offsets(stack.bootstrap)
            resuming = datetime.now(UTC)
        finally:
            os.kill(store, signal.SIGCONT)
        answers = await asyncio.gather(*burst)

    assert answered_at_stop < len(plan), "registrations were still coming when it stopped"
    assert sending_at_stop > 0, "requests were in flight when it stopped"
    for service in SERVICES:
        expected = {"mongodb": False, "kafka": True}
        if service != "intake":
            expected["partitions_assigned"] = True
        assert ready[service] == (503, {"ready": False, "service": service, "checks": expected})
    assert sum(ends_in_outage.values()) - sum(ends_at_stop.values()) >= len(direct)
    for service, committed in committed_in_outage.items():
        beyond = {p: c for p, c in committed.items() if c > ends_at_stop[p]}
        assert beyond == {}, f"{service} committed what it could not have applied"

    outcomes = told(answers)
    assert len(outcomes["created"]) == len(plan) == 61
    assert len(client.cut) > 0, "attempts timed out during the outage and were sent again"
    people = await intake_people(stack, program_id)
    assert Counter(tuple(doc["state"]["roles"]) for doc in people) == {
        ("mentee",): 60,
        ("mentor",): 1,
    }
    assert sorted(doc["state"]["email"] for doc in people) == sorted(b["email"] for _, b in plan)
    mentors = {doc["_id"] for doc in people if doc["state"]["roles"] == ["mentor"]}
    mentees = ({doc["_id"] for doc in people} - mentors) | {
        e.participant_id for e in [*early, *direct]
    }
    await caught_up(stack, kept_by_each(mentees, mentors))
    models, _ = await reconcile(stack, mentees, mentors)
    assert {s: len(docs) for s, docs in models.items()} == {
        "matcher": 91,
        "scheduler": 91,
        "feedback": 90,
        "qa": 91,
    }

    # A document these consumers wrote once is dated when its registration was applied:
    # every registration whose offset a group had committed during the outage was
    # applied before the store stopped, and the ones published during it after.
    first_record: dict[str, tuple[int, int]] = {}
    for record in await registration_records(stack, mentees | mentors):
        first_record.setdefault(record.key.decode(), (record.partition, record.offset))
    for service, docs in models.items():
        if not WRITTEN_ONLY_BY_EVENTS[service]:
            continue
        committed = committed_in_outage[service]
        covered = {p for p, (part, offset) in first_record.items() if offset < committed[part]}
        assert covered & set(docs), f"{service} had committed none of this run's registrations"
        late = {p for p in covered & set(docs) if docs[p]["updated_at"] >= stopped_at}
        assert late == set(), f"{service} committed events it had not applied"
        applied_after = {p for p, doc in docs.items() if doc["updated_at"] >= to_ms(resuming)}
        assert {e.participant_id for e in direct} <= applied_after

    async def all_committed() -> bool:
        ends = await end_offsets(stack.bootstrap)
        return all(c == ends for c in (await committed_offsets(stack.bootstrap)).values())

    async def all_ready() -> bool:
        return all([(await readiness(stack, s))[0] == 200 for s in SERVICES])

    await eventually(all_committed, timeout=60, interval=1, what="every group to commit the end")
    await eventually(all_ready, timeout=30, interval=0.5, what="every service to be ready")


@pytest.mark.timeout(240)
async def test_the_store_killed_and_started_again_loses_nothing_and_no_service_exits(
    local_stack: LocalStack,
) -> None:
    """nx-27017 SIGKILLed mid-burst and started again on its data directory and port
    (`mentornet dev restart mongodb`): to its clients, connections refused for a while.
    Every service says so on /readyz, stays up, and carries on once it is back."""
    stack, run = local_stack, uuid.uuid4().hex[:8]
    coordinator = token(f"coordinator-{run}", "coordinator")
    services_before = {s: stack.pid(s) for s in SERVICES}
    async with httpx.AsyncClient(base_url=stack.url("intake"), timeout=5) as http:
        program_id = await open_program(http, coordinator)
        plan = registrations(run, program_id, mentees=40, mentor_every=40)
        client = Registrations(http, coordinator)
        burst = await client.start(plan, len(plan))

        async def under_way() -> bool:
            return client.answered >= 15

        await eventually(under_way, timeout=60, interval=0.02, what="registrations to flow")
        await stack.kill("mongodb")
        outage_ends = time.monotonic() + OUTAGE_S
        answered_at_kill = client.answered

        async def all_say_mongodb() -> bool:
            answers = await asyncio.gather(*(readiness(stack, s) for s in SERVICES))
            return all(status == 503 and not body["checks"]["mongodb"] for status, body in answers)

        await eventually(all_say_mongodb, timeout=20, what="every /readyz to name mongodb")
        # the fault's length: longer than the drivers' 5 s server selection timeout
        await asyncio.sleep(max(0.0, outage_ends - time.monotonic()))
        await stack.restart("mongodb")
        alive = {s: running(pid) for s, pid in services_before.items()}
        assert alive == dict.fromkeys(SERVICES, True), "no service exited"
        answers = await asyncio.gather(*burst)

    assert answered_at_kill < len(plan) == 41
    outcomes = told(answers)
    assert len(outcomes["created"]) + len(outcomes["already_registered"]) == 41
    assert len(outcomes["already_registered"]) <= CONCURRENCY
    people = await intake_people(stack, program_id)
    assert Counter(tuple(doc["state"]["roles"]) for doc in people) == {
        ("mentee",): 40,
        ("mentor",): 1,
    }
    mentors = {doc["_id"] for doc in people if doc["state"]["roles"] == ["mentor"]}
    mentees = {doc["_id"] for doc in people} - mentors
    await caught_up(stack, kept_by_each(mentees, mentors))
    models, _ = await reconcile(stack, mentees, mentors)
    assert {s: len(docs) for s, docs in models.items()} == {
        "matcher": 41,
        "scheduler": 41,
        "feedback": 40,
        "qa": 41,
    }


REMINDERS = 200
KILL_AFTER = 60
"""E-mails of the burst the sink holds when the notifier is killed (of 200)."""
SEND_CONCURRENCY = 4
"""The notifier's default: messages in flight at once, each of which a kill can send
once more."""


@pytest.mark.timeout(300)
async def test_the_notifier_killed_mid_burst_delivers_each_reminder_once_to_the_smtp_server(
    local_stack: LocalStack,
) -> None:
    """200 session reminders for one match reach the notifier at once (the mentee is
    e-mailed each; the mentor turned e-mail off, so theirs are recorded skipped); it is
    SIGKILLed while it sends them and started again. The local mail sink (a real SMTP
    server) then holds every e-mail, each counted by its X-MentorNet-Delivery-Id: every
    reminder exactly once. The documented window (a kill after the server's "250" and
    before the ledger's "delivered") may send a message in flight a second time, under
    the same id: at most one copy for each of the SEND_CONCURRENCY in flight."""
    stack, run = local_stack, uuid.uuid4().hex[:8]
    pair = await registered_pair(stack, run)
    match_id = await proposed_match(stack, pair)
    await email_off(stack, pair)
    starts = datetime.now(UTC).replace(microsecond=0) + timedelta(days=2)
    reminders = [
        SessionReminderDue(
            session_id=f"s-{run}-{n}",
            match_id=match_id,
            starts_at=starts + timedelta(minutes=n),
            offset_minutes=60,
        )
        for n in range(REMINDERS)
    ]
    began, sink = time.monotonic(), Sink(stack)
    expected = {
        delivery_id(source, pair.mentee_id, Channel.EMAIL): pair.mentee_email
        for source in await publish(stack.bootstrap, reminders, "scheduler")
    }
    assert len(expected) == REMINDERS

    async def sent(count: int) -> bool:
        return len(expected.keys() & sink.ids()) >= count

    await eventually(lambda: sent(KILL_AFTER), timeout=120, interval=0.05, what="the burst")
    at_kill = len(expected.keys() & sink.ids())
    killed = await stack.kill("notifier")
    await stack.restart("notifier")
    assert stack.pid("notifier") != killed
    await eventually(lambda: sent(len(expected)), timeout=150, what="every reminder e-mailed")
    await eventually(lambda: ledger_delivered(stack, set(expected)), timeout=60, what="ledger")

    mails = [(i, to) for i, to in sink.read() if i in expected]
    counts = Counter(i for i, _ in mails)
    assert KILL_AFTER <= at_kill < len(expected), "killed mid-burst"
    assert set(counts) == set(expected), "every reminder reached the SMTP server"
    duplicated = {i: n for i, n in counts.items() if n > 1}
    assert len(duplicated) <= SEND_CONCURRENCY, duplicated
    assert all(n == 2 for n in duplicated.values()), duplicated
    assert dict(mails) == expected, "each to the mentee"
    assert await skipped_for(stack, pair.mentor_id, match_id) == REMINDERS
    took = time.monotonic() - began
    print(f"\n{len(expected)} e-mails in {took:.0f} s (one kill, its restart and the lease")
    print(f" included); killed at {at_kill}; copies sent again: {len(duplicated)}")


@dataclass
class Pair:
    program_id: str
    mentor_id: str
    mentee_id: str
    mentee_email: str


async def registered_pair(stack: LocalStack, run: str) -> Pair:
    """A mentor and a mentee registered through intake and placed by a matching run."""
    coordinator = token(f"coordinator-{run}", "coordinator")
    people: list[tuple[str, str]] = []
    async with httpx.AsyncClient(base_url=stack.url("intake"), timeout=10) as http:
        program_id = await open_program(http, coordinator)
        for role, fields in (("mentor", {"skills": PYTHON}), ("mentee", {"goals": [GOAL]})):
            body = person(run, role, program_id, **fields)
            created = await http.post(f"/participants/{role}s", json=body, headers=coordinator)
            assert created.status_code == 201, created.text
            people.append((created.json()["participant_id"], str(body["email"])))
    for participant_id, _ in people:
        await eventually(partial(known_to_matcher, stack, participant_id), what="known")
    async with httpx.AsyncClient(base_url=stack.url("matcher"), timeout=30) as http:
        ran = await http.post(f"/programs/{program_id}/matching-runs", headers=team(program_id))
        assert ran.is_success, ran.text
    (mentor_id, _), (mentee_id, mentee_email) = people
    return Pair(program_id, mentor_id, mentee_id, mentee_email)


def team(program_id: str) -> dict[str, str]:
    return token(f"coordinator-{program_id}", "coordinator", programs=[program_id])


async def known_to_matcher(stack: LocalStack, participant_id: str) -> bool:
    async with httpx.AsyncClient(base_url=stack.url("matcher"), timeout=10) as http:
        found = await http.get(f"/candidates/{participant_id}", headers=SERVICE)
    return found.status_code == 200


async def proposed_match(stack: LocalStack, pair: Pair) -> str:
    """The match the matcher proposed for the pair, once the notifier knows it."""

    async def known() -> str | None:
        async with stack.mongo() as mongo:
            found = await mongo["mentornet_notifier"]["matches"].find_one(
                {"state.mentor_id": pair.mentor_id, "state.mentee_id": pair.mentee_id}
            )
        return None if found is None else str(found["_id"])

    return await eventually(known, timeout=60, what="the pair's match known to the notifier")


async def email_off(stack: LocalStack, pair: Pair) -> None:
    path = f"/participants/{pair.mentor_id}/notification-preferences"
    async with httpx.AsyncClient(base_url=stack.url("notifier"), timeout=10) as http:
        put = await http.put(path, json={"channels": []}, headers=team(pair.program_id))
    assert put.status_code == 200, put.text


class Sink:
    """The mail sink's files, each parsed once (a kept message never changes)."""

    def __init__(self, stack: LocalStack) -> None:
        self.directory = stack.cfg.mail_dir
        self.parsed: dict[str, tuple[str, str] | None] = {}

    def read(self) -> list[tuple[str, str]]:
        """(delivery id, recipient) of every message the sink kept, copies included."""
        for path in delivered(self.directory):
            if path.name not in self.parsed:
                mail = message_from_bytes(path.read_bytes(), policy=policy.default)
                ident = mail[DELIVERY_HEADER]
                to = str(mail["To"].addresses[0].addr_spec)
                self.parsed[path.name] = (str(ident), to) if ident is not None else None
        return [found for found in self.parsed.values() if found is not None]

    def ids(self) -> set[str]:
        return {i for i, _ in self.read()}


async def ledger_delivered(stack: LocalStack, ids: set[str]) -> bool:
    async with stack.mongo() as mongo:
        done = await mongo["mentornet_notifier"]["deliveries"].count_documents(
            {"_id": {"$in": list(ids)}, "state.status": "delivered"}
        )
    return done == len(ids)


async def skipped_for(stack: LocalStack, participant_id: str, match_id: str) -> int:
    async with stack.mongo() as mongo:
        return await mongo["mentornet_notifier"]["deliveries"].count_documents(
            {
                "state.participant_id": participant_id,
                "state.match_id": match_id,
                "state.kind": "session_reminder",
                "state.status": "skipped",
            }
        )
