"""What becomes of a record that has to wait: parked, given back, postponed, or
dead-lettered once it waited too long (parking.py)."""

from __future__ import annotations

from mentornet_chassis.messaging.deadletters import DeadLetters
from mentornet_chassis.messaging.parking import ParkingExpired, ParkingLot
from mentornet_chassis.messaging.records import IncomingRecord
from mentornet_chassis.process.logging import get_logger
from mentornet_chassis.store.mongo import Document

log = get_logger(__name__)


def awaits_own(exc: Exception, record: IncomingRecord) -> bool:
    """Whether the fact `exc` waits for may come later in the record's own line: it is
    about the record's own key (the error names it in an `awaits` attribute, an entity
    id) and travels on the record's topic (unless the error's `on_topic` names another).
    A fact from another topic can never be in the line, so waiting for one holds it."""
    awaits = getattr(exc, "awaits", None)
    on_topic = getattr(exc, "on_topic", None)
    same_key = awaits is not None and str(awaits).encode() == (record.key or b"")
    return same_key and on_topic in (None, record.topic)


class Waiting:
    """Each step returns the record's outcome name."""

    def __init__(self, lot: ParkingLot, dead_letters: DeadLetters) -> None:
        self.lot = lot
        self.dead_letters = dead_letters

    async def park(self, record: IncomingRecord, reason: str, *, own_key: bool) -> str:
        await self.lot.park(
            topic=record.topic,
            partition=record.partition,
            offset=record.offset,
            key=record.key,
            value=record.value,
            headers=record.headers,
            reason=reason,
            own_key=own_key,
        )
        log.info("record parked until what it refers to arrives", reason=reason)
        return "parked"

    async def given_back(self, doc: Document) -> str:
        await self.lot.give_back(doc)
        return "parked"

    async def still_waiting(self, record: IncomingRecord, doc: Document, exc: Exception) -> str:
        if self.lot.expired(doc):
            waited = ParkingExpired(f"parked {doc['attempts']} times, still: {exc}")
            log.error("parked record waited too long; sent to DLQ", error=str(exc))
            await self.dead_letters.send(record, waited, attempts=int(doc["attempts"]) + 1)
            return "dead_lettered"
        await self.lot.postpone(doc, str(exc))
        return "parked"
