"""Parking on a real MongoDB-wire server: a record that refers to something not seen
yet waits without holding up its partition, keeps its place in its key's line, is
applied once what it waited for arrives, and goes to the DLQ if that never happens."""

from __future__ import annotations

import asyncio
import contextlib
import time
from typing import Any

import pytest
from mentornet_chassis.messaging.consumer import IncomingRecord, RecordProcessor, RetryPolicy
from mentornet_chassis.messaging.deadletters import DeadLetters
from mentornet_chassis.messaging.ordering import ParkingWorker
from mentornet_chassis.messaging.outgoing import OutgoingRecord
from mentornet_chassis.messaging.parking import ParkingLot, ParkingPolicy
from mentornet_chassis.process.metrics import Metrics
from mentornet_chassis.store.aggregates import Applied, Outcome
from mentornet_contracts import REGISTRY, Envelope, dlq, encode, new_envelope
from mentornet_contracts.catalogue import AUDIT, PARTICIPANTS
from mentornet_contracts.events.audit import AuditGroupsRecorded
from mentornet_contracts.events.participants import MenteeRegistered, ParticipantWithdrawn
from mentornet_tooling.testing.letters import kept_by
from mentornet_tooling.testing.poll import eventually

pytestmark = pytest.mark.integration


class NotSeenYet(LookupError):
    """Waits for a fact from another stream (no `awaits`: it holds its line)."""

    def __init__(self, participant_id: str) -> None:
        super().__init__(f"no participant {participant_id}")


class NotRegisteredYet(LookupError):
    """Waits for the record's own key to be registered."""

    def __init__(self, participant_id: str) -> None:
        super().__init__(f"no participant {participant_id}")
        self.awaits = participant_id


class KnownElsewhere(LookupError):
    """Waits for the record's own key, whose fact travels on another topic."""

    def __init__(self, participant_id: str) -> None:
        super().__init__(f"no participant {participant_id}")
        self.awaits = participant_id
        self.on_topic = AUDIT.name


def record(person: str, offset: int, reason: str = "") -> IncomingRecord:
    event = ParticipantWithdrawn(participant_id=person, reason=reason or f"r{offset}")
    return incoming(event, offset)


def registration(person: str, offset: int) -> IncomingRecord:
    return incoming(
        MenteeRegistered(participant_id=person, program_id="p", languages=("en",)), offset
    )


def incoming(event: Any, offset: int) -> IncomingRecord:
    encoded = encode(new_envelope(event, "intake"), REGISTRY)
    return IncomingRecord(PARTICIPANTS.name, 1, offset, encoded.key, encoded.value, encoded.headers)


class World:
    """A handler that applies withdrawals only for people it knows."""

    def __init__(
        self, lot: ParkingLot, waits: type[LookupError] = NotSeenYet, *, parking: bool = True
    ) -> None:
        self.known: set[str] = set()
        self.applied: list[tuple[str, str]] = []
        self.dead: list[OutgoingRecord] = []
        self.lot = lot
        metrics = Metrics("test")

        async def publish(out: OutgoingRecord) -> None:
            self.dead.append(out)

        async def handler(envelope: Envelope[Any]) -> Applied:
            event = envelope.event
            if event.participant_id not in self.known:
                raise waits(event.participant_id)
            self.applied.append((event.participant_id, event.reason))
            return Applied(Outcome.APPLIED, 1, {})

        async def register(envelope: Envelope[Any]) -> Applied:
            self.known.add(envelope.event.participant_id)
            self.applied.append((envelope.event.participant_id, "registered"))
            return Applied(Outcome.APPLIED, 1, {})

        self.processor = RecordProcessor(
            REGISTRY,
            {ParticipantWithdrawn: handler, MenteeRegistered: register},
            DeadLetters("test", "mentornet.test.dlq", kept_by(publish), metrics),
            metrics,
            RetryPolicy(max_attempts=3, backoff_s=0.0),
            parking=lot if parking else None,
            parks=(NotSeenYet, NotRegisteredYet, KnownElsewhere),
        )
        self.worker = ParkingWorker(lot, self.processor.retry_in_turn, 0.01, metrics.parked.set)


@pytest.fixture
async def lot(mongo: Any, unique: str) -> ParkingLot:
    parking = ParkingLot(
        mongo[f"test_park_{unique}"]["parked"],
        ParkingPolicy(max_seconds=60, first_retry_s=0.0, max_retry_s=0.0),
    )
    await parking.ensure_indexes()
    return parking


async def test_a_waiting_record_is_parked_keeps_its_line_and_applies_once_known(
    lot: ParkingLot,
) -> None:
    world = World(lot)
    assert await world.processor.process(record("ada", 10, "first")) == "parked"
    assert await world.processor.process(record("ada", 11, "second")) == "parked"
    assert await world.processor.process(record("bob", 12)) == "parked"
    world.known.add("bob")
    assert await world.worker.run_once() == 1
    assert world.applied == [("bob", "r12")]
    assert await lot.count() == 2

    world.known.add("ada")
    assert await world.processor.process(record("ada", 13, "third")) == "parked"
    assert await world.worker.run_once() == 3
    assert world.applied[1:] == [("ada", "first"), ("ada", "second"), ("ada", "third")]
    assert await lot.count() == 0
    assert world.dead == []


async def test_a_record_waiting_for_its_own_key_lets_that_fact_through_then_applies_first(
    lot: ParkingLot,
) -> None:
    """An update whose registration was lost: the replayed registration comes later on
    the same line; it applies, the waiting update right after it, then newer ones."""
    world = World(lot, waits=NotRegisteredYet)
    assert await world.processor.process(record("ada", 10, "early")) == "parked"
    assert await world.processor.process(record("ada", 11, "also early")) == "parked"
    assert await world.processor.process(registration("ada", 12)) == "applied"
    assert await world.processor.process(record("ada", 13, "late")) == "applied"
    assert world.applied == [
        ("ada", "registered"),
        ("ada", "early"),
        ("ada", "also early"),
        ("ada", "late"),
    ]
    assert await lot.count() == 0


async def test_a_record_waiting_for_its_own_key_applies_before_a_newer_one_once_known(
    lot: ParkingLot,
) -> None:
    """The fact came on another stream while the record waited: a newer record of the
    line does not overtake it."""
    world = World(lot, waits=NotRegisteredYet)
    assert await world.processor.process(record("ada", 10, "first")) == "parked"
    world.known.add("ada")
    assert await world.processor.process(record("ada", 11, "second")) == "applied"
    assert world.applied == [("ada", "first"), ("ada", "second")]
    assert await lot.count() == 0


async def test_a_newer_record_parks_behind_one_being_retried_elsewhere(lot: ParkingLot) -> None:
    """The parking worker (or another replica) holds the waiting record's lease: the
    newer record does not race it."""
    world = World(lot, waits=NotRegisteredYet)
    assert await world.processor.process(record("ada", 10, "first")) == "parked"
    [waiting] = await lot.waiting(PARTICIPANTS.name, b"ada")
    assert await lot.lease(waiting, now_or_never=True) is not None
    world.known.add("ada")
    assert await world.processor.process(record("ada", 11, "second")) == "parked"
    assert world.applied == []
    await lot.collection.update_many({}, {"$set": {"lease_until": 0.0}})
    assert await world.worker.run_once() == 2
    assert world.applied == [("ada", "first"), ("ada", "second")]


async def test_trying_a_waiting_record_before_a_newer_one_neither_postpones_nor_expires_it(
    mongo: Any, unique: str
) -> None:
    """The newer record may be the fact itself: the record that waited past its time is
    not dead-lettered a moment before its fact arrives."""
    lot = ParkingLot(
        mongo[f"test_park_{unique}"]["parked"],
        ParkingPolicy(max_seconds=0.0, first_retry_s=0.0, max_retry_s=0.0),
    )
    world = World(lot, waits=NotRegisteredYet)
    assert await world.processor.process(record("ada", 10, "early")) == "parked"
    assert await world.processor.process(registration("ada", 11)) == "applied"
    assert world.applied == [("ada", "registered"), ("ada", "early")]
    assert world.dead == []
    assert await lot.count() == 0


async def test_a_fact_from_another_topic_cannot_slip_between_a_retry_and_a_newer_record(
    lot: ParkingLot,
) -> None:
    """The race CI once hit: a waiting record is retried (still no fact), the fact lands
    from another topic's lane, and the newer record applies before the waiting one. The
    fact's handler here waits for that retry to fail; holding the key makes it wait in
    vain (0.3 s), so the fact comes first and both apply in order."""
    world = World(lot, waits=NotRegisteredYet)
    retried_in_vain = asyncio.Event()
    withdraw = world.processor.dispatch.handlers[ParticipantWithdrawn.event_type]

    async def withdrawal(envelope: Envelope[Any]) -> Applied | None:
        try:
            return await withdraw(envelope)
        except NotRegisteredYet:
            retried_in_vain.set()
            raise

    async def groups(envelope: Envelope[Any]) -> Applied:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(retried_in_vain.wait(), 0.3)
        world.known.add(envelope.event.participant_id)
        return Applied(Outcome.APPLIED, 1, {})

    world.processor.dispatch.handlers.update(
        {ParticipantWithdrawn.event_type: withdrawal, AuditGroupsRecorded.event_type: groups}
    )
    assert await world.processor.process(record("ada", 10, "first")) == "parked"
    retried_in_vain.clear()
    fact = encode(
        new_envelope(AuditGroupsRecorded(participant_id="ada", program_id="p", groups={}), "x"),
        REGISTRY,
    )
    on_audit = IncomingRecord(AUDIT.name, 0, 5, fact.key, fact.value, fact.headers)
    landing = asyncio.create_task(world.processor.process(on_audit))
    await asyncio.sleep(0.01)
    newer = await world.processor.process(record("ada", 11, "second"))
    assert (await landing, newer) == ("applied", "applied")
    assert world.applied == [("ada", "first"), ("ada", "second")]


async def test_waiting_for_its_own_keys_fact_from_another_topic_holds_the_line(
    lot: ParkingLot,
) -> None:
    """That fact can never come in the line, so no newer record may pass."""
    world = World(lot, waits=KnownElsewhere)
    assert await world.processor.process(record("ada", 10, "first")) == "parked"
    [waiting] = await lot.waiting(PARTICIPANTS.name, b"ada")
    assert waiting["own_key"] is False
    assert await world.processor.process(record("ada", 11, "second")) == "parked"
    world.known.add("ada")
    assert await world.worker.run_once() == 2
    assert world.applied == [("ada", "first"), ("ada", "second")]


async def test_parking_the_same_record_twice_keeps_one(lot: ParkingLot) -> None:
    world = World(lot)
    await world.processor.process(record("ada", 10))
    await world.processor.process(record("ada", 10))
    assert await lot.count() == 1


async def test_a_record_that_waits_too_long_is_dead_lettered_with_the_reason(
    mongo: Any, unique: str
) -> None:
    lot = ParkingLot(
        mongo[f"test_park_{unique}"]["parked"],
        ParkingPolicy(max_seconds=0.0, first_retry_s=0.0, max_retry_s=0.0),
    )
    world = World(lot)
    assert await world.processor.process(record("ghost", 20)) == "parked"
    assert await world.worker.run_once() == 1
    [dead] = world.dead
    assert dead.headers[dlq.REASON] == "parked_expired"
    assert "no participant ghost" in dead.headers[dlq.ERROR_MESSAGE]
    assert dead.headers[dlq.ORIGIN_OFFSET] == "20"
    assert await lot.count() == 0


async def test_without_parking_the_error_is_retried_then_dead_lettered(lot: ParkingLot) -> None:
    world = World(lot, parking=False)
    assert await world.processor.process(record("ada", 30)) == "dead_lettered"
    assert world.dead[0].headers[dlq.ATTEMPTS] == "3"


async def test_a_batch_reads_its_lines_once_and_keeps_a_line_that_parks_in_order(
    lot: ParkingLot,
) -> None:
    world = World(lot)
    world.known.add("bob")
    assert await world.processor.process(record("cat", 9, "parked before")) == "parked"
    reads: list[str] = []
    waiting = lot.waiting

    async def counting(topic: str, key: bytes | None) -> list[Any]:
        reads.append((key or b"").decode())
        return await waiting(topic, key)

    lot.waiting = counting  # type: ignore[method-assign]
    batch = [record("bob", 10), record("ada", 11, "first"), record("ada", 12), record("cat", 13)]
    process = await world.processor.for_batch(batch)
    outcomes = [await process(r) for r in batch]

    assert outcomes == ["applied", "parked", "parked", "parked"]
    assert reads == ["ada", "cat"], "clear lines are not read again, until one parks"
    world.known.update({"ada", "cat"})
    assert await world.worker.run_once() == 4
    assert [a for a in world.applied if a[0] == "ada"] == [("ada", "first"), ("ada", "r12")]
    assert [a for a in world.applied if a[0] == "cat"] == [("cat", "parked before"), ("cat", "r13")]


async def test_an_idle_worker_looks_at_an_empty_lot_once_until_a_record_is_parked(
    lot: ParkingLot,
) -> None:
    """An empty lot is read once per `idle_s` (not every poll): parking a record wakes
    the worker, which retries it on its next poll."""
    world = World(lot)
    world.worker.idle_s = 60.0
    looks: list[int] = []
    count = lot.count

    async def counting() -> int:
        looks.append(await count())
        return looks[-1]

    lot.count = counting  # type: ignore[method-assign]
    stopping = asyncio.Event()
    running = asyncio.create_task(world.worker.run(stopping))
    try:
        await asyncio.sleep(0.5)
        assert looks == [0], "fifty polls of 0.01 s, one look at the empty lot"
        assert await world.processor.process(record("bob", 40)) == "parked"
        world.known.add("bob")
        await eventually(lambda: _applied(world), timeout=5, interval=0.02, what="the retry")
        assert world.applied == [("bob", "r40")]
    finally:
        stopping.set()
        await running
    assert await lot.count() == 0


async def test_an_idle_worker_finds_a_record_another_replica_parked_within_idle_s(
    lot: ParkingLot,
) -> None:
    """Another replica's park sets no event here: the worker's next look at the empty
    lot (every `idle_s`) finds the record."""
    world = World(lot)
    world.worker.idle_s = 0.3
    elsewhere = World(ParkingLot(lot.collection, lot.policy))
    stopping = asyncio.Event()
    running = asyncio.create_task(world.worker.run(stopping))
    try:
        await asyncio.sleep(0.2)
        assert await elsewhere.processor.process(record("cat", 50)) == "parked"
        assert not lot.arrivals.is_set(), "parked by the other replica's lot"
        world.known.add("cat")
        parked = time.monotonic()
        await eventually(lambda: _applied(world), timeout=5, interval=0.02, what="the retry")
        assert time.monotonic() - parked < 0.3 + 0.5
        assert world.applied == [("cat", "r50")]
    finally:
        stopping.set()
        await running


async def _applied(world: World) -> bool:
    return bool(world.applied)
