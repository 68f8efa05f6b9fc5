"""The notifier's MongoDB collections, each an aggregate store that emits through its
outbox: people, programs, matches and sessions (read models), preferences, the
delivery ledger (one document per delivery, its id the stable hash of fact, recipient
and channel; `state.due_epoch` is when the worker should look at it) and the daily
digests (domain/digest.py)."""

from __future__ import annotations

from dataclasses import dataclass

from mentornet_chassis.store.aggregates import AggregateStore
from mentornet_chassis.store.typed import Documents

from .domain.digest import Digest
from .domain.documents import Delivery, DeliveryStatus, Match, Person, Preferences, Program
from .domain.sessions import Session

SERVICE = "notifier"
COLLECTIONS = (
    "people",
    "programs",
    "matches",
    "sessions",
    "preferences",
    "deliveries",
    "digests",
)
MAX_DEAD_LISTED = 500


@dataclass(frozen=True)
class NotifierStores:
    people_store: AggregateStore
    programs_store: AggregateStore
    matches_store: AggregateStore
    sessions_store: AggregateStore
    preferences_store: AggregateStore
    deliveries_store: AggregateStore
    digests_store: AggregateStore

    @property
    def people(self) -> Documents[Person]:
        return Documents(self.people_store)

    @property
    def programs(self) -> Documents[Program]:
        return Documents(self.programs_store)

    @property
    def matches(self) -> Documents[Match]:
        return Documents(self.matches_store)

    @property
    def sessions(self) -> Documents[Session]:
        return Documents(self.sessions_store)

    @property
    def preferences(self) -> Documents[Preferences]:
        return Documents(self.preferences_store)

    @property
    def deliveries(self) -> Documents[Delivery]:
        return Documents(self.deliveries_store)

    @property
    def digests(self) -> Documents[Digest]:
        return Documents(self.digests_store)

    def all(self) -> list[AggregateStore]:
        return [
            self.people_store,
            self.programs_store,
            self.matches_store,
            self.sessions_store,
            self.preferences_store,
            self.deliveries_store,
            self.digests_store,
        ]

    async def ensure_indexes(self) -> None:
        for store in self.all():
            await store.ensure_indexes()
        await self.deliveries_store.collection.create_index("state.participant_id")
        await self.deliveries_store.collection.create_index("state.status")
        await self.deliveries_store.collection.create_index("state.digest_id")
        await self.digests_store.collection.create_index("state.participant_id")

    async def dead_letters(self, limit: int = MAX_DEAD_LISTED) -> list[Delivery]:
        found = self.deliveries_store.collection.find(
            {"state.status": DeliveryStatus.DEAD.value}
        ).limit(limit)
        return [doc["state"] async for doc in found]

    async def held_in(self, digest_id: str, limit: int | None = None) -> list[Delivery]:
        """The messages waiting for a digest, oldest first."""
        found = self.deliveries_store.collection.find(
            {"state.digest_id": digest_id, "state.status": DeliveryStatus.HELD.value}
        ).sort("state.send_at", 1)
        if limit is not None:
            found = found.limit(limit)
        return [doc["state"] async for doc in found]

    async def drop_delivery(self, delivery_id: str) -> None:
        await self.deliveries_store.collection.delete_one({"_id": delivery_id})

    async def forget(self, participant_id: str) -> int:
        """Erasure: the person's preferences, digests and every delivery record about
        them. Their unsent outbox entries go too (the announcements name them)."""
        await self.preferences_store.collection.delete_one({"_id": participant_id})
        await self.digests_store.collection.delete_many({"state.participant_id": participant_id})
        gone = await self.deliveries_store.collection.delete_many(
            {"state.participant_id": participant_id}
        )
        return int(gone.deleted_count)
