"""Dead letters go through the service's outbox: one per origin offset, never lost.

Each dead letter is an aggregate of the `dead_letters` collection, keyed by where the
record came from (`topic:partition:offset`), holding the DLQ record as an outbox entry
that the relay publishes like any event (isolated and retried, poisoned if the broker
keeps refusing it). So a batch that comes back after a rewind, or a record parked and
expired twice, writes no second letter; and the partition moves on as soon as MongoDB
has the letter, whether or not the broker takes it at that moment.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from mentornet_chassis.messaging.outgoing import OutgoingRecord
from mentornet_chassis.messaging.records import STORE_UNREACHABLE, RetryPolicy
from mentornet_chassis.process.logging import get_logger
from mentornet_chassis.process.workers import pause
from mentornet_chassis.store.aggregates import AggregateStore, Decision, Outcome, State, raw_entry

log = get_logger(__name__)

DEAD_LETTERS = "dead_letters"
REMEMBER = timedelta(days=7)
"""How long a sent letter's marker stays: a record redelivered within this time is not
dead-lettered again (the DLQ topic keeps the letter itself for 90 days)."""
PURGE_EVERY_S = 3600.0


class DeadLetterStore:
    def __init__(
        self,
        store: AggregateStore,
        wake_relay: Callable[[], None],
        outage: RetryPolicy | None = None,
    ) -> None:
        self.store = store
        self.wake_relay = wake_relay
        self.outage = outage or RetryPolicy(backoff_s=0.5, backoff_max_s=10.0)

    async def keep(self, origin: str, letter: OutgoingRecord) -> bool:
        """Add the letter to the outbox unless one was added for `origin`; waits for an
        unreachable store rather than failing the batch (the record is not the problem)."""
        entry = raw_entry(
            str(uuid.uuid4()),
            letter.topic,
            letter.key,
            letter.value,
            letter.headers,
            letter.event_type,
        )

        def decide(current: State | None) -> Decision:
            if current is not None:
                return Decision(state=None)
            state = {"origin": origin, "event_type": letter.event_type}
            return Decision(state=state, records=[entry])

        waited = 0
        while True:
            try:
                applied = await self.store.apply(origin, decide, new_likely=True)
                break
            except STORE_UNREACHABLE as exc:
                waited += 1
                log.warning("store unreachable; dead letter waits", waited=waited, error=repr(exc))
                await asyncio.sleep(self.outage.delay(waited))
        if applied.outcome is Outcome.APPLIED:
            self.wake_relay()
            return True
        return False

    async def purge(self) -> int:
        """Forget letters that were sent more than REMEMBER ago."""
        before = datetime.now(UTC) - REMEMBER
        result = await self.store.collection.delete_many(
            {"pending": False, "updated_at": {"$lt": before}}
        )
        return int(result.deleted_count)

    async def run_purge(self, stopping: asyncio.Event) -> None:
        """A background worker: purge every hour (and once at start)."""
        while not stopping.is_set():
            await self.purge()
            await pause(stopping, asyncio.Event(), PURGE_EVERY_S)
