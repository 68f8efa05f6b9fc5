"""The pipeline benchmark's traffic: a program's events published with one producer, and
the first output for each mentee read back off the matches topic with its timestamp."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from mentornet_contracts import Event, encode, new_envelope
from mentornet_contracts.catalogue import MATCHES, REGISTRY
from mentornet_contracts.events.participants import MenteeRegistered, MentorRegistered
from mentornet_contracts.events.programs import ProgramPublished
from mentornet_tooling.testing.examples import program_published
from mentornet_tooling.testing.kafka import header

from .matcher_instances import RULES, people


@dataclass(frozen=True)
class Traffic:
    """One run's program, its mentors (registered first) and the mentees measured."""

    program: ProgramPublished
    mentors: list[MentorRegistered]
    mentees: list[MenteeRegistered]


def traffic(tag: str, mentees: int, mentors: int) -> Traffic:
    """Realistic people (bench/matcher_instances) with ids unique to this run; mentors
    take up to 8 mentees each, as in the matcher benchmarks."""
    program_id = f"prog-{tag}"
    found, offering = people(mentees, mentors)
    return Traffic(
        program_published(
            program_id=program_id,
            matching_weights=RULES.weights,
            max_active_mentees_per_mentor=RULES.max_active,
            max_monthly_hours_per_mentor=RULES.max_monthly_hours,
            cadence={"sessions_per_month": RULES.sessions_per_month, "session_minutes": 45},
        ),
        [_in(m, tag, program_id) for m in offering],
        [_in(e, tag, program_id) for e in found],
    )


P = TypeVar("P", MenteeRegistered, MentorRegistered)


def _in(person: P, tag: str, program_id: str) -> P:
    return person.model_copy(
        update={"participant_id": f"{tag}-{person.participant_id}", "program_id": program_id}
    )


class Publisher:
    """One idempotence-free producer (Tansu refuses idempotence), acks from every replica."""

    def __init__(self, bootstrap: str) -> None:
        self.producer = AIOKafkaProducer(
            bootstrap_servers=bootstrap, acks="all", enable_idempotence=False, linger_ms=1
        )

    async def __aenter__(self) -> Publisher:
        await self.producer.start()
        return self

    async def __aexit__(self, *_: object) -> None:
        await self.producer.stop()

    async def publish(
        self, events: Sequence[Event], per_s: float | None = None
    ) -> dict[str, float]:
        """Send `events` (at `per_s` a second, or as fast as possible); return each
        record key's send time (epoch seconds) once the broker acknowledged them all."""
        sent: dict[str, float] = {}
        pending = []
        started = time.monotonic()
        for n, event in enumerate(events):
            if per_s is not None:
                await asyncio.sleep(max(0.0, started + n / per_s - time.monotonic()))
            record = encode(new_envelope(event, "intake"), REGISTRY)
            sent[record.key.decode()] = time.time()
            pending.append(
                await self.producer.send(
                    record.topic, record.value, key=record.key, headers=list(record.headers)
                )
            )
        await asyncio.gather(*pending)
        return sent


class Outputs:
    """Reads the matches topic from its end at `start()`, without a consumer group, and
    keeps each expected key's first record of an accepted type: key -> record timestamp."""

    def __init__(self, bootstrap: str, keys: Iterable[str], types: Iterable[str]) -> None:
        self.consumer = AIOKafkaConsumer(
            bootstrap_servers=bootstrap, group_id=None, enable_auto_commit=False
        )
        self.waiting = set(keys)
        self.types = set(types)
        self.seen: dict[str, float] = {}
        self.kinds: Counter[str] = Counter()
        self.done = asyncio.Event()
        self.task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        await self.consumer.start()
        partitions = [
            TopicPartition(MATCHES.name, p)
            for p in sorted(self.consumer.partitions_for_topic(MATCHES.name) or ())
        ]
        self.consumer.assign(partitions)
        for tp, end in (await self.consumer.end_offsets(partitions)).items():
            self.consumer.seek(tp, end)
        self.task = asyncio.create_task(self._read())

    async def _read(self) -> None:
        while self.waiting:
            batches = await self.consumer.getmany(timeout_ms=200)
            for record in (r for records in batches.values() for r in records):
                key, kind = record.key.decode() if record.key else "", header(record, "ce_type")
                if key in self.waiting and kind in self.types:
                    self.waiting.discard(key)
                    self.seen[key] = record.timestamp / 1000
                    self.kinds[str(kind)] += 1
        self.done.set()

    async def wait(self, timeout_s: float) -> dict[str, float]:
        try:
            await asyncio.wait_for(self.done.wait(), timeout_s)
        except TimeoutError:
            raise TimeoutError(
                f"{len(self.waiting)} of {len(self.waiting) + len(self.seen)} outputs "
                f"missing after {timeout_s:.0f}s"
            ) from None
        finally:
            if self.task is not None:
                self.task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await self.task
            await self.consumer.stop()
        return self.seen
