"""Faults on the whole local stack, run as processes (`mentornet dev up` on free ports,
Tansu and nx-27017 included): every service SIGKILLed and restarted during a burst of
registrations; the store stopped for 10 s (SIGSTOP: it accepts connections and never
answers), then killed and started again on its data (connections refused). Afterwards
each service's database is reconciled with what was sent: intake registered every
person exactly once, and every consumer holds every person it is meant to, having
applied their registration once."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from mentornet_chassis.devstack import HTTP_PORTS, DevConfig
from mentornet_chassis.embedded import free_port, port_free
from mentornet_chassis.testing.kafka import all_records, header
from mentornet_chassis.testing.poll import eventually
from mentornet_contracts import REGISTRY, encode, new_envelope
from mentornet_contracts.catalogue import PARTICIPANTS
from mentornet_contracts.events.participants import MenteeRegistered
from pymongo import AsyncMongoClient

from tests.support.helpers import PROGRAM, mentee_body, token

pytestmark = pytest.mark.e2e

SERVICES = ("intake", "matcher", "scheduler", "feedback", "qa")
READ_MODELS = {
    "matcher": "candidates",
    "scheduler": "calendars",
    "feedback": "people",
    "qa": "people",
}
"""Where each consumer keeps what it learns from mentornet.participants: one aggregate
per participant (its id is the participant's), with the ids of the events it applied."""
HOLDS_MENTORS = {"matcher": True, "scheduler": True, "feedback": False, "qa": True}
"""Feedback follows mentees' goals only; the others keep both roles."""
WRITTEN_ONLY_BY_EVENTS = {"matcher": True, "scheduler": True, "feedback": True, "qa": False}
"""QA's person documents also take the matcher's waitlist events, so theirs may hold
more than the registration; the others are written by the registration alone here."""
REGISTERED_TYPES = {"mentornet.mentee.registered.v1", "mentornet.mentor.registered.v1"}
STILL_RUNNING = (
    "a request with this key is still running",
    "the first request with this key failed; retry",
)
MENTOR_EXTRA = {"skills": [{"skill_id": "python", "level": 5}], "capacity": 3}
CONCURRENCY = 8
"""Requests the client has in flight at most."""
GROUPS = {service: f"mentornet-{service}" for service in READ_MODELS}
OUTAGE_S = 10.0
"""How long the store is away."""

Doc = dict[str, Any]


def free_offset() -> int:
    for offset in range(20011, 40000, 89):
        if all(port_free(port + offset) for port in HTTP_PORTS.values()):
            return offset
    raise AssertionError("no free block of HTTP ports")


def running(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


@dataclass
class LocalStack:
    """The stack `mentornet dev up` started, driven through the same CLI."""

    cwd: Path
    env: dict[str, str]
    cfg: DevConfig

    def dev(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "mentornet_chassis.cli", "dev", *args],
            cwd=self.cwd,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=180,
            check=False,
        )

    def pid(self, name: str) -> int:
        return int(json.loads(self.cfg.pid_file(name).read_text())["pid"])

    def url(self, service: str) -> str:
        return f"http://127.0.0.1:{self.cfg.http_port(service)}"

    @property
    def bootstrap(self) -> str:
        return self.cfg.bootstrap

    @asynccontextmanager
    async def mongo(self) -> AsyncIterator[AsyncMongoClient[Doc]]:
        client: AsyncMongoClient[Doc] = AsyncMongoClient(self.cfg.mongo_uri, tz_aware=True)
        try:
            yield client
        finally:
            await client.close()

    async def kill(self, name: str) -> int:
        """SIGKILL: what the kernel's OOM killer or a lost node does; nothing is flushed."""
        pid = self.pid(name)
        os.killpg(pid, signal.SIGKILL)

        async def dead() -> bool:
            return not running(pid)

        await eventually(dead, timeout=10, what=f"{name} to die")
        return pid

    async def restart(self, name: str) -> None:
        """Start it again as `up` did; `mentornet dev restart` returns once it is ready
        (for a consumer, once the group has given it its partitions again)."""
        restarted = await asyncio.to_thread(self.dev, "restart", name)
        assert restarted.returncode == 0, restarted.stdout + restarted.stderr


@pytest.fixture(scope="module")
def local_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalStack]:
    cwd = tmp_path_factory.mktemp("faults")
    env = {
        k: v for k, v in os.environ.items() if k not in ("KAFKA_BOOTSTRAP_SERVERS", "MONGODB_URI")
    }
    cfg = DevConfig(
        root=cwd / "home",
        kafka_port=free_port(),
        mongo_port=free_port(),
        http_port_offset=free_offset(),
        external_kafka=None,
        external_mongo=None,
    )
    env.update(
        MENTORNET_HOME=str(cfg.root),
        MENTORNET_DEV_KAFKA_PORT=str(cfg.kafka_port),
        MENTORNET_DEV_MONGO_PORT=str(cfg.mongo_port),
        MENTORNET_DEV_HTTP_PORT_OFFSET=str(cfg.http_port_offset),
    )
    stack = LocalStack(cwd, env, cfg)
    try:
        up = stack.dev("up")
        assert up.returncode == 0, up.stdout + up.stderr
        yield stack
    finally:
        stack.dev("down")


@dataclass
class Registrations:
    """Registers people through intake's API as a real client would: each registration
    has its own Idempotency-Key and is sent again, with that key, after a connection
    error, a timeout, a 5xx or a 409 saying the first attempt has not finished, with
    CONCURRENCY requests at most in flight. `allow` holds back the rest of a burst
    until the test lets it go on."""

    http: httpx.AsyncClient
    headers: dict[str, str]
    slots: asyncio.Semaphore = field(default_factory=lambda: asyncio.Semaphore(CONCURRENCY))
    gate: asyncio.Condition = field(default_factory=asyncio.Condition)
    allowed: int = 0
    answered: int = 0
    sending: int = 0
    """Requests on their way or being handled now."""
    cut: set[str] = field(default_factory=set)
    """Keys with an attempt that ended without an answer."""

    async def allow(self, count: int) -> None:
        async with self.gate:
            self.allowed = count
            self.gate.notify_all()

    async def register(self, n: int, path: str, body: dict[str, Any]) -> httpx.Response:
        async with self.gate:
            await self.gate.wait_for(lambda: n < self.allowed)
        try:
            return await self._send(path, body, key(n))
        finally:
            self.answered += 1

    async def _send(self, path: str, body: dict[str, Any], key: str) -> httpx.Response:
        deadline, backoff = time.monotonic() + 120, 0.2
        while True:
            async with self.slots:
                self.sending += 1
                try:
                    response: httpx.Response | None = await self.http.post(
                        path, json=body, headers={**self.headers, "Idempotency-Key": key}
                    )
                except httpx.TransportError:
                    response = None
                    self.cut.add(key)
                finally:
                    self.sending -= 1
            if response is not None and not _worth_retrying(response):
                return response
            last = response.text if response is not None else "no answer"
            assert time.monotonic() < deadline, f"{key}: still {last} after 120 s"
            await asyncio.sleep(backoff)  # the client's backoff between attempts
            backoff = min(1.0, backoff * 2)


def key(n: int) -> str:
    return f"registration-{n}"


def _worth_retrying(response: httpx.Response) -> bool:
    return response.status_code >= 500 or (
        response.status_code == 409 and response.json().get("reason") in STILL_RUNNING
    )


async def open_program(http: httpx.AsyncClient, coordinator: dict[str, str]) -> str:
    created = await http.post("/programs", json=PROGRAM, headers=coordinator)
    assert created.status_code == 201, created.text
    program_id: str = created.json()["program_id"]
    published = await http.post(f"/programs/{program_id}/publish", headers=coordinator)
    assert published.status_code == 200, published.text
    return program_id


def registrations(run: str, program_id: str, mentees: int, mentor_every: int) -> list[Any]:
    """(path, body) for `mentees` mentees with a mentor before every `mentor_every`th."""
    plan: list[tuple[str, dict[str, Any]]] = []
    for n in range(mentees):
        if n % mentor_every == 0:
            mentor = {**mentee_body(f"mentor-{n}-{run}", program_id), **MENTOR_EXTRA}
            plan.append(("/participants/mentors", mentor))
        plan.append(("/participants/mentees", mentee_body(f"{n}-{run}", program_id)))
    return plan


def told(answers: list[httpx.Response]) -> dict[str, set[str]]:
    """What the client was told, by key: created (the first answer, or its replay), or
    already registered (a retry that ran again once the first attempt's claim on the
    key lapsed, because intake died with it after registering the person)."""
    outcomes: dict[str, set[str]] = defaultdict(set)
    for n, answer in enumerate(answers):
        if answer.status_code == 201:
            outcomes["created"].add(key(n))
        else:
            assert (answer.status_code, answer.json()["error"]) == (409, "already_registered")
            outcomes["already_registered"].add(key(n))
    return outcomes


async def intake_people(stack: LocalStack, program_id: str) -> list[Doc]:
    async with stack.mongo() as mongo:
        cursor = mongo["mentornet_intake"]["participants"].find({"state.program_id": program_id})
        return [doc async for doc in cursor]


async def registration_records(stack: LocalStack, people: set[str]) -> list[Any]:
    """The participants' registration records on the broker, in offset order per
    partition (a relay that died between publishing an entry and marking it sent
    publishes it again, with the same event id)."""
    return await all_records(
        stack.bootstrap,
        PARTICIPANTS.name,
        lambda r: (
            r.key is not None
            and r.key.decode() in people
            and header(r, "ce_type") in REGISTERED_TYPES
        ),
    )


async def registration_events(stack: LocalStack, people: set[str]) -> dict[str, set[str]]:
    """Each participant's registration event ids, as published."""
    ids: dict[str, set[str]] = defaultdict(set)
    for record in await registration_records(stack, people):
        ids[record.key.decode()].add(str(header(record, "ce_id")))
    return ids


async def read_model(stack: LocalStack, service: str, people: set[str]) -> dict[str, Doc]:
    async with stack.mongo() as mongo:
        collection = mongo[f"mentornet_{service}"][READ_MODELS[service]]
        cursor = collection.find({"_id": {"$in": sorted(people)}})
        return {doc["_id"]: doc async for doc in cursor}


def kept_by_each(mentees: set[str], mentors: set[str]) -> dict[str, set[str]]:
    return {s: mentees | mentors if HOLDS_MENTORS[s] else mentees for s in READ_MODELS}


async def caught_up(stack: LocalStack, expected: dict[str, set[str]]) -> None:
    """Wait until every consumer holds everyone it should."""
    for service, people in expected.items():

        async def holds_all(service: str = service, people: set[str] = people) -> bool:
            return len(await read_model(stack, service, people)) == len(people)

        await eventually(holds_all, timeout=150, interval=1, what=f"{service} to catch up")


def applied_once(doc: Doc, event_id: str, *, only_event: bool) -> bool:
    """The registration is in the aggregate's inbox once, nothing in it twice, and every
    write the aggregate took applied one event of the inbox (no write without one, no
    event written twice); `only_event`: the registration is all it took."""
    inbox = list(doc["inbox"])
    once = inbox.count(event_id) == 1 and len(set(inbox)) == len(inbox)
    if only_event:
        return once and inbox == [event_id] and doc["version"] == 1
    return once and doc["version"] == len(inbox)


async def reconcile(
    stack: LocalStack, mentees: set[str], mentors: set[str]
) -> tuple[dict[str, dict[str, Doc]], dict[str, str]]:
    """Each person's registration published under one event id, and each consumer
    holding exactly the people it keeps, each registration applied once. Returns each
    consumer's documents and each person's registration event id."""
    everyone = mentees | mentors
    events = await registration_events(stack, everyone)
    assert set(events) == everyone
    assert Counter(len(ids) for ids in events.values()) == {1: len(everyone)}
    event_of = {person: next(iter(ids)) for person, ids in events.items()}
    models = {}
    for service, kept in kept_by_each(mentees, mentors).items():
        docs = await read_model(stack, service, everyone)
        assert set(docs) == kept, service
        only = WRITTEN_ONLY_BY_EVENTS[service]
        twice = [
            p for p, doc in docs.items() if not applied_once(doc, event_of[p], only_event=only)
        ]
        assert twice == [], f"{service}: {[(p, docs[p]['inbox']) for p in twice[:3]]}"
        models[service] = docs
    return models, event_of


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
        await client.allow(kill_after[0] + ahead)
        burst = [
            asyncio.create_task(client.register(n, path, body))
            for n, (path, body) in enumerate(plan)
        ]
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


async def end_offsets(bootstrap: str) -> dict[int, int]:
    """Where each partition of mentornet.participants ends now."""
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, group_id=None)
    await consumer.start()
    try:
        partitions = [TopicPartition(PARTICIPANTS.name, p) for p in range(PARTICIPANTS.partitions)]
        return {
            tp.partition: int(end) for tp, end in (await consumer.end_offsets(partitions)).items()
        }
    finally:
        await consumer.stop()


async def committed_offsets(bootstrap: str) -> dict[str, dict[int, int]]:
    """Each consumer group's committed offsets on mentornet.participants (-1: none).
    Read by a group member that never joins, so the groups are not disturbed."""
    partitions = [TopicPartition(PARTICIPANTS.name, p) for p in range(PARTICIPANTS.partitions)]
    found: dict[str, dict[int, int]] = {}
    for service, group in GROUPS.items():
        consumer = AIOKafkaConsumer(
            bootstrap_servers=bootstrap, group_id=group, enable_auto_commit=False
        )
        await consumer.start()
        try:
            found[service] = {
                tp.partition: -1 if (at := await consumer.committed(tp)) is None else int(at)
                for tp in partitions
            }
        finally:
            await consumer.stop()
    return found


async def publish_registrations(bootstrap: str, events: list[MenteeRegistered]) -> None:
    """Registrations straight onto the broker, as a producer whose own store is up
    would publish them (in production each service has its own database)."""
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, enable_idempotence=False, acks="all")
    await producer.start()
    try:
        for event in events:
            record = encode(new_envelope(event, "intake"), REGISTRY)
            await producer.send_and_wait(
                record.topic, value=record.value, key=record.key, headers=list(record.headers)
            )
    finally:
        await producer.stop()


async def readiness(stack: LocalStack, service: str) -> tuple[int, Doc]:
    async with httpx.AsyncClient(timeout=8) as http:
        response = await http.get(f"{stack.url(service)}/readyz")
        return response.status_code, response.json()


def to_ms(moment: datetime) -> datetime:
    """BSON keeps milliseconds: a time read back is its write time rounded down."""
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)


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
        await client.allow(len(plan))
        burst = [
            asyncio.create_task(client.register(n, path, body))
            for n, (path, body) in enumerate(plan)
        ]

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
    mentees = ({doc["_id"] for doc in people} - mentors) | {e.participant_id for e in direct}
    await caught_up(stack, kept_by_each(mentees, mentors))
    models, _ = await reconcile(stack, mentees, mentors)
    assert {s: len(docs) for s, docs in models.items()} == {
        "matcher": 81,
        "scheduler": 81,
        "feedback": 80,
        "qa": 81,
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
        await client.allow(len(plan))
        burst = [
            asyncio.create_task(client.register(n, path, body))
            for n, (path, body) in enumerate(plan)
        ]

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
