"""The event table: each event keeps one read model or match up to date through a pure
domain function (chassis subscribers), then asks the use cases for what the change
calls for: book waiting matches, re-plan sessions, cancel sessions of people who left."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from mentornet_chassis.messaging.consumer import Handler
from mentornet_chassis.messaging.subscribers import by_match, deciding, updating
from mentornet_chassis.store.aggregates import State
from mentornet_contracts import Envelope, Event
from mentornet_contracts.events.matches import MatchConfirmed, MatchEnded
from mentornet_contracts.events.participants import (
    AvailabilityUpdated,
    MenteeRegistered,
    MentorRegistered,
    ParticipantErased,
    ParticipantWithdrawn,
)
from mentornet_contracts.events.programs import ProgramPublished, ProgramUpdated, apply_update

from .domain import calendars, matches, sessions
from .domain.state import Match
from .store import SERVICE, SchedulerStores
from .usecases.booking import Booker
from .usecases.replanning import Replanner

Clock = Callable[[], datetime]


class FollowUps:
    def __init__(self, stores: SchedulerStores, booker: Booker, replanner: Replanner) -> None:
        self.stores = stores
        self.booker = booker
        self.replanner = replanner

    async def calendar(self, envelope: Envelope[Any], state: object) -> None:
        await self.booker.pending(await self.stores.matches_of(envelope.subject))

    async def availability(self, envelope: Envelope[Any], state: object) -> None:
        await self.replanner.availability_changed(envelope.subject)
        await self.calendar(envelope, state)

    async def withdrawn(self, envelope: Envelope[Any], state: object) -> None:
        await self.replanner.left(envelope.subject, erased=False)

    async def erased(self, envelope: Envelope[Any], state: object) -> None:
        await self.replanner.left(envelope.subject, erased=True)

    async def program(self, envelope: Envelope[Any], state: State) -> None:
        await self.replanner.program_changed(ProgramPublished.model_validate(state))
        await self.booker.pending(await self.stores.matches_in(envelope.subject))

    async def confirmed(self, envelope: Envelope[Any], state: object) -> None:
        await self.booker.book(envelope.event.match_id)

    async def ended(self, envelope: Envelope[Any], state: Match) -> None:
        if state:
            await self.replanner.match_ended(state)


def _ended(clock: Clock) -> Callable[[Match | None, MatchEnded], tuple[Match | None, list[Any]]]:
    def decide(current: Match | None, event: MatchEnded) -> tuple[Match | None, list[Any]]:
        if current is None:
            return None, []
        ended, cancelled = sessions.end(current, clock(), f"the match ended ({event.reason})")
        return (ended if ended is not current else None), cancelled

    return decide


def _confirmed(clock: Clock) -> Callable[[Match | None, MatchConfirmed], Match | None]:
    return lambda current, event: matches.confirmed(current, event, clock())


def scheduler_handlers(
    stores: SchedulerStores, booker: Booker, replanner: Replanner, clock: Clock
) -> dict[type[Event], Handler]:
    then = FollowUps(stores, booker, replanner)
    people, rules = stores.calendar_states, stores.programs
    registered, left = calendars.on_registered, calendars.on_left
    return {
        MentorRegistered: updating(people, registered, then.calendar, new_likely=True),
        MenteeRegistered: updating(people, registered, then.calendar, new_likely=True),
        AvailabilityUpdated: updating(people, calendars.on_availability_updated, then.availability),
        ParticipantWithdrawn: updating(people, left, then.withdrawn),
        ParticipantErased: updating(people, left, then.erased),
        ProgramPublished: updating(rules, lambda _, e: e.model_dump(mode="json"), then.program),
        ProgramUpdated: updating(rules, apply_update, then.program),
        MatchConfirmed: updating(
            stores.match_states, _confirmed(clock), then.confirmed, aggregate=by_match
        ),
        MatchEnded: deciding(
            stores.match_states,
            _ended(clock),
            then.ended,
            source=SERVICE,
            aggregate=by_match,
        ),
    }
