"""A scheduler wired to the real MongoDB-wire server without a broker, on a clock the
test moves: stores, booker, cohorts, desk, replanner and the timers, plus helpers to
seed programs, calendars and confirmed matches."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from mentornet_chassis.messaging.timers import DueScanner
from mentornet_chassis.store.aggregates import AggregateStore, Decision
from mentornet_chassis.store.typed import Change
from mentornet_contracts.catalogue import REGISTRY
from mentornet_contracts.events.matches import MatchConfirmed
from mentornet_contracts.events.participants import MenteeRegistered, MentorRegistered
from mentornet_scheduler.domain import calendars, matches
from mentornet_scheduler.domain.state import Match
from mentornet_scheduler.domain.timers import Clockwork
from mentornet_scheduler.store import SchedulerStores
from mentornet_scheduler.usecases.booking import Booker
from mentornet_scheduler.usecases.cohorts import CohortDesk
from mentornet_scheduler.usecases.context import Contexts, Rules
from mentornet_scheduler.usecases.desk import Desk
from mentornet_scheduler.usecases.replanning import Replanner
from mentornet_scheduler.usecases.reservations import Reservations
from mentornet_scheduler.workers import timer_worker
from mentornet_tooling.testing.clock import MovableClock
from pymongo.asynchronous.database import AsyncDatabase

from .builders import program


def weekly(zone: str, *windows: tuple[str, str, str]) -> dict[str, Any]:
    return {
        "timezone": zone,
        "weekly": [{"weekday": d, "start": s, "end": e} for d, s, e in windows],
    }


@dataclass
class World:
    stores: SchedulerStores
    clock: MovableClock
    booker: Booker
    cohorts: CohortDesk
    desk: Desk
    replanner: Replanner
    timers: DueScanner

    @classmethod
    def on(cls, db: AsyncDatabase[dict[str, Any]], now: datetime) -> World:
        stores = SchedulerStores(
            *(
                AggregateStore(db[name], REGISTRY)
                for name in ("cal", "prog", "match", "ledger", "cohort")
            )
        )
        clock = MovableClock(now)
        clockwork = Clockwork()
        contexts = Contexts(stores, clock, Rules())
        reservations = Reservations(stores, Rules().buffer)
        cohorts = CohortDesk(stores, contexts, reservations, clockwork, timedelta(hours=48))
        booker = Booker(stores, contexts, reservations, clockwork, cohorts, timedelta(seconds=60))
        desk = Desk(stores, contexts, reservations, clockwork)
        timers = timer_worker(stores, booker, cohorts, clockwork, clock, 1.0, lambda: None)
        return cls(stores, clock, booker, cohorts, desk, Replanner(stores, contexts, desk), timers)

    async def program(self, **changes: Any) -> None:
        rules = program(**changes).model_dump(mode="json")
        await self.stores.programs.apply(rules["program_id"], lambda _: Decision(state=rules))

    async def person(self, pid: str, role: str, availability: dict[str, Any]) -> None:
        kind = MentorRegistered if role == "mentor" else MenteeRegistered
        body: dict[str, Any] = {
            "participant_id": pid,
            "program_id": "prog-1",
            "languages": ["en"],
            "availability": availability,
        }
        if role == "mentor":
            body["skills"] = [{"skill_id": "python", "level": 5}]
        event = kind.model_validate(body)
        await self.stores.calendar_states.apply(
            pid, lambda current: Change(calendars.on_registered(current, event))
        )

    async def confirm(self, match_id: str, mentor: str, mentee: str) -> Match:
        event = MatchConfirmed(
            match_id=match_id, mentor_id=mentor, mentee_id=mentee, program_id="prog-1"
        )
        await self.stores.match_states.apply(
            match_id, lambda current: Change(matches.confirmed(current, event, self.clock()))
        )
        await self.booker.book(match_id)
        state = await self.stores.match_states.get(match_id)
        assert state is not None
        return state

    async def outbox(self, match_id: str) -> list[str]:
        doc = await self.stores.matches.collection.find_one({"_id": match_id})
        return [entry["type"] for entry in (doc or {}).get("outbox", [])]
