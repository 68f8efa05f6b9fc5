"""Is every partition this process consumes moving? Lag, rewinds and stalls, per partition.

The subscriber reports each batch it finished (`advanced`) or that came back
(`rewound`); a worker samples the consumer's assigned partitions every second, reads
how far each one's log goes (the high-water mark the consumer already knows from its
fetches) and sets the lag gauges. A partition *stalls* when records are waiting on it
and it has not moved for `stall_after_s`: it was neither advanced nor caught up.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from mentornet_chassis.messaging.records import IncomingRecord
from mentornet_chassis.process.logging import get_logger
from mentornet_chassis.process.metrics import Metrics
from mentornet_chassis.process.workers import pause

log = get_logger(__name__)
SAMPLE_EVERY_S = 1.0
Partition = tuple[str, int]


@dataclass(frozen=True)
class PartitionState:
    topic: str
    partition: int
    next_offset: int | None
    end_offset: int | None
    still_since_s: float
    stalled: bool

    @property
    def lag(self) -> int | None:
        if self.next_offset is None or self.end_offset is None:
            return None
        return max(0, self.end_offset - self.next_offset)

    def as_json(self) -> dict[str, Any]:
        return {
            "topic": self.topic,
            "partition": self.partition,
            "next_offset": self.next_offset,
            "end_offset": self.end_offset,
            "lag": self.lag,
            "still_for_s": round(self.still_since_s, 1),
            "stalled": self.stalled,
        }


class PartitionWatch:
    def __init__(
        self,
        metrics: Metrics,
        stall_after_s: float,
        consumer: Callable[[], Any],
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.metrics = metrics
        self.stall_after_s = stall_after_s
        self.consumer = consumer
        self.clock = clock
        self.next_offset: dict[Partition, int] = {}
        self.moved_at: dict[Partition, float] = {}
        self.assigned: set[Partition] = set()
        self.asked: set[Partition] = set()
        """Partitions whose committed offset was asked for once since they were assigned:
        a group that has committed nothing there is not asked again every second."""
        self.states: list[PartitionState] = []

    def advanced(self, records: Iterable[IncomingRecord]) -> None:
        """A batch is done: each of its partitions goes on after its last record."""
        now = self.clock()
        for record in records:
            where = (record.topic, record.partition)
            if record.offset + 1 > self.next_offset.get(where, -1):
                self.next_offset[where] = record.offset + 1
                self.moved_at[where] = now

    def rewound(self, records: Iterable[IncomingRecord]) -> None:
        for topic, partition in {(r.topic, r.partition) for r in records}:
            self.metrics.rewinds.labels(topic, str(partition)).inc()

    async def sample(self) -> list[PartitionState]:
        """Every assigned partition as it stands now; gauges updated."""
        consumer = self.consumer()
        assigned = list(consumer.assignment()) if consumer is not None else []
        self._forget_unless_kept({(tp.topic, tp.partition) for tp in assigned})
        states = []
        for tp in assigned:
            where: Partition = (tp.topic, tp.partition)
            if where not in self.next_offset and where not in self.asked:
                await self._read_committed(consumer, tp, where)
            try:
                states.append(self._state(tp, consumer.highwater(tp)))
            except Exception:
                continue  # taken away by a rebalance while this sample waited
        self.states = sorted(states, key=lambda s: (s.topic, s.partition))
        self.metrics.partitions_stalled.set(sum(1 for s in states if s.stalled))
        return self.states

    def _state(self, tp: Any, end: int | None) -> PartitionState:
        """Records wait when the log's end is past the next offset to finish; an empty
        partition, or one whose position is not known yet, is not waited on."""
        where: Partition = (tp.topic, tp.partition)
        now, position = self.clock(), self.next_offset.get(where)
        caught_up = end is not None and (end == 0 or (position is not None and position >= end))
        if caught_up or where not in self.moved_at:
            self.moved_at[where] = now
        still = now - self.moved_at[where]
        lag = None if position is None or end is None else max(0, end - position)
        stalled = lag is not None and lag > 0 and still >= self.stall_after_s
        if lag is not None:
            self.metrics.consumer_lag.labels(tp.topic, str(tp.partition)).set(lag)
        return PartitionState(tp.topic, tp.partition, position, end, still, stalled)

    def _forget_unless_kept(self, assigned: set[Partition]) -> None:
        """A partition this process got (back) from the group starts from its committed
        offset, not from where this process last left it."""
        for where in (assigned - self.assigned) | (self.assigned - assigned):
            self.next_offset.pop(where, None)
            self.moved_at.pop(where, None)
            self.asked.discard(where)
            with contextlib.suppress(KeyError):
                self.metrics.consumer_lag.remove(where[0], str(where[1]))
        self.assigned = assigned

    async def _read_committed(self, consumer: Any, tp: Any, where: Partition) -> None:
        try:
            committed = await consumer.committed(tp)
        except Exception:
            return  # the group coordinator is away; the next sample asks again
        self.asked.add(where)
        if committed is not None and where not in self.next_offset:
            self.next_offset[where] = committed

    async def run(self, stopping: asyncio.Event) -> None:
        """A background worker: sample every SAMPLE_EVERY_S. Watching is never worth
        stopping the service for: a failed sample is logged and the next one tries."""
        while not stopping.is_set():
            try:
                await self.sample()
            except Exception as exc:
                log.warning("partition sample failed", error=repr(exc))
            await pause(stopping, asyncio.Event(), SAMPLE_EVERY_S)
