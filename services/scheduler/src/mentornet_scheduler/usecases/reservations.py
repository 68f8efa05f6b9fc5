"""Holding and giving back a mentor's time on their ledger (domain/ledger.py)."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from mentornet_chassis.store.typed import Change

from ..domain import ledger
from ..domain.state import Ledger
from ..store import SchedulerStores


@dataclass(frozen=True)
class Hold:
    booking_id: str
    start: datetime
    minutes: int
    match_id: str


class Reservations:
    def __init__(self, stores: SchedulerStores, buffer: timedelta) -> None:
        self.stores = stores
        self.buffer = buffer

    def booked(
        self,
        held: Ledger | None,
        mentor_id: str,
        timezone: str,
        cap_hours: float,
        holds: Sequence[Hold],
    ) -> Ledger | None:
        """The ledger with every hold added (None: nothing to add); raises
        ledger.Refused. Pure, for use inside a ledger write."""
        current = held
        for item in holds:
            current = ledger.book(
                current,
                mentor_id,
                item.booking_id,
                item.start,
                item.minutes,
                timezone=timezone,
                cap_minutes=round(cap_hours * 60),
                buffer=self.buffer,
                match_id=item.match_id,
            )
        return current if holds else None

    async def hold(
        self, mentor_id: str, timezone: str, cap_hours: float, holds: Sequence[Hold]
    ) -> None:
        """All or nothing, in one conditional write; raises ledger.Refused."""
        if not holds:
            return
        person = await self.stores.person_of(mentor_id)
        await self.stores.ledger_states.apply(
            person, lambda held: Change(self.booked(held, person, timezone, cap_hours, holds))
        )

    async def release(self, mentor_id: str, booking_ids: Collection[str]) -> None:
        if not booking_ids:
            return
        await self.stores.ledger_states.apply(
            await self.stores.person_of(mentor_id),
            lambda state: Change(ledger.release(state, set(booking_ids))),
        )
