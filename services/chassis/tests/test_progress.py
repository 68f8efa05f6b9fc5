"""The partition watch: lag from the consumer's high-water marks, a stall only when
records wait and the partition has neither moved nor caught up for the set time."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from aiokafka import TopicPartition
from mentornet_chassis.messaging.consumer import IncomingRecord
from mentornet_chassis.messaging.progress import PartitionWatch
from mentornet_chassis.process.metrics import Metrics

pytestmark = pytest.mark.unit

TP = TopicPartition("mentornet.participants", 2)


@dataclass
class Consumer:
    """What the watch asks of aiokafka's consumer."""

    ends: dict[TopicPartition, int] = field(default_factory=dict)
    commits: dict[TopicPartition, int | None] = field(default_factory=dict)
    asked: list[TopicPartition] = field(default_factory=list)

    def assignment(self) -> set[TopicPartition]:
        return set(self.ends)

    def highwater(self, tp: TopicPartition) -> int:
        return self.ends[tp]

    async def committed(self, tp: TopicPartition) -> int | None:
        self.asked.append(tp)
        return self.commits.get(tp)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def record(offset: int) -> IncomingRecord:
    return IncomingRecord(TP.topic, TP.partition, offset, b"k", b"{}", ())


async def test_records_waiting_on_a_partition_that_does_not_move_is_a_stall() -> None:
    consumer, clock, metrics = Consumer({TP: 10}, {TP: 5}), Clock(), Metrics("t")
    watch = PartitionWatch(metrics, 30.0, lambda: consumer, clock)
    [state] = await watch.sample()
    assert (state.next_offset, state.lag, state.stalled) == (5, 5, False)
    clock.now += 31
    [state] = await watch.sample()
    assert state.stalled
    assert metrics.partitions_stalled._value.get() == 1
    watch.advanced([record(n) for n in range(5, 10)])
    [state] = await watch.sample()
    assert (state.lag, state.stalled) == (0, False)
    assert metrics.consumer_lag.labels(TP.topic, "2")._value.get() == 0


async def test_a_caught_up_partition_never_stalls_and_new_records_start_the_clock() -> None:
    consumer, clock = Consumer({TP: 7}, {TP: 7}), Clock()
    watch = PartitionWatch(Metrics("t"), 30.0, lambda: consumer, clock)
    for _ in range(3):
        clock.now += 100
        [state] = await watch.sample()
        assert (state.lag, state.stalled) == (0, False)
    consumer.ends[TP] = 9
    clock.now += 20
    [state] = await watch.sample()
    assert (state.lag, state.stalled) == (2, False)
    clock.now += 31
    assert (await watch.sample())[0].stalled


async def test_a_partition_given_back_by_the_group_reads_its_committed_offset_again() -> None:
    consumer, clock = Consumer({TP: 20}, {TP: 10}), Clock()
    watch = PartitionWatch(Metrics("t"), 30.0, lambda: consumer, clock)
    await watch.sample()
    watch.advanced([record(12)])
    assert (await watch.sample())[0].next_offset == 13
    consumer.ends.clear()
    assert await watch.sample() == []
    consumer.ends[TP], consumer.commits[TP] = 20, 18
    assert (await watch.sample())[0].next_offset == 18


async def test_a_partition_with_nothing_committed_is_asked_once() -> None:
    consumer, clock = Consumer({TP: 4}, {TP: None}), Clock()
    watch = PartitionWatch(Metrics("t"), 30.0, lambda: consumer, clock)
    for _ in range(5):
        [state] = await watch.sample()
        assert (state.next_offset, state.lag, state.stalled) == (None, None, False)
    assert consumer.asked == [TP]


def test_rewinds_are_counted_per_partition() -> None:
    metrics = Metrics("t")
    watch = PartitionWatch(metrics, 30.0, lambda: None)
    watch.rewound([record(1), record(2)])
    assert metrics.rewinds.labels(TP.topic, "2")._value.get() == 1


async def test_an_empty_partition_with_nothing_committed_never_stalls() -> None:
    consumer, clock = Consumer({TP: 0}, {TP: None}), Clock()
    watch = PartitionWatch(Metrics("t"), 30.0, lambda: consumer, clock)
    for _ in range(3):
        clock.now += 100
        [state] = await watch.sample()
        assert (state.lag, state.stalled) == (None, False)


async def test_a_partition_taken_away_during_a_sample_is_left_out_and_forgotten() -> None:
    other = TopicPartition("mentornet.participants", 4)
    consumer, metrics = Consumer({TP: 3, other: 3}, {TP: 1, other: 1}), Metrics("t")
    watch = PartitionWatch(metrics, 30.0, lambda: consumer, Clock())
    assert len(await watch.sample()) == 2
    assert metrics.consumer_lag.labels(other.topic, "4")._value.get() == 2

    def revoked(tp: TopicPartition) -> int:
        assert tp != other, "Partition is not assigned"
        return consumer.ends[tp]

    consumer.highwater = revoked  # type: ignore[method-assign]
    assert [s.partition for s in await watch.sample()] == [2]
    del consumer.ends[other]
    await watch.sample()
    [metric] = list(metrics.consumer_lag.collect())
    sampled = {s.labels["partition"] for s in metric.samples}
    assert sampled == {"2"}
