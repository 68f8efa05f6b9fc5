"""Erasure: the person's preferences and every ledger entry about them go (a pending
delivery is dropped with them); the read model keeps only that they were erased, so a
late fact about them tells them nothing."""

from __future__ import annotations

from typing import Any

from mentornet_chassis.process.logging import get_logger
from mentornet_contracts import Envelope

from ..store import NotifierStores

log = get_logger(__name__)


class Eraser:
    def __init__(self, stores: NotifierStores) -> None:
        self.stores = stores

    async def erased(self, envelope: Envelope[Any], state: object) -> None:
        participant_id = envelope.event.participant_id
        gone = await self.stores.forget(participant_id)
        log.info("participant erased", participant_id=participant_id, deliveries=gone)
