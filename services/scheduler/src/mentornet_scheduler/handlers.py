"""The event table: each event keeps one read model or match up to date through a pure
domain function (chassis subscribers), then asks the use cases for what the change
calls for: book waiting matches (or plan an async match's check-ins), re-plan sessions,
cancel sessions of people who left, hold a paused match and re-plan it on resume,
settle a check-in when both its parts are in."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from mentornet_chassis.messaging.consumer import Handler
from mentornet_chassis.messaging.subscribers import by_match, deciding, updating
from mentornet_chassis.store.aggregates import State
from mentornet_contracts import Envelope, Event
from mentornet_contracts.events.feedback import CheckinSubmitted
from mentornet_contracts.events.matches import (
    MatchConfirmed,
    MatchEnded,
    MatchPaused,
    MatchResumed,
)
from mentornet_contracts.events.participants import (
    AvailabilityUpdated,
    MenteeRegistered,
    MentorRegistered,
    ParticipantErased,
    ParticipantWithdrawn,
)
from mentornet_contracts.events.programs import ProgramPublished, ProgramUpdated, apply_update

from .domain import calendars, checkin_clock, checkins, pauses, sessions
from .domain.state import Match
from .store import SERVICE, SchedulerStores
from .usecases.booking import Booker
from .usecases.checkins import CheckinDesk
from .usecases.pauses import PauseDesk
from .usecases.replanning import Replanner

Clock = Callable[[], datetime]


class FollowUps:
    def __init__(
        self,
        stores: SchedulerStores,
        booker: Booker,
        replanner: Replanner,
        pauses: PauseDesk,
        checkins: CheckinDesk,
    ) -> None:
        self.stores = stores
        self.booker = booker
        self.replanner = replanner
        self.pauses = pauses
        self.checkins = checkins

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
        await self.checkins.pending(await self.stores.matches_in(envelope.subject))
        await self.booker.pending(await self.stores.matches_in(envelope.subject))

    async def confirmed(self, envelope: Envelope[Any], state: object) -> None:
        if not await self.checkins.take(envelope.event.match_id):
            await self.booker.book(envelope.event.match_id)

    async def paused(self, envelope: Envelope[Any], state: Match) -> None:
        if state:
            await self.pauses.paused(state)

    async def resumed(self, envelope: Envelope[Any], state: object) -> None:
        await self.pauses.resume(envelope.event.match_id)

    async def ended(self, envelope: Envelope[Any], state: Match) -> None:
        if state:
            await self.replanner.match_ended(state)


def _ended(clock: Clock) -> Callable[[Match | None, MatchEnded], tuple[Match | None, list[Any]]]:
    def decide(current: Match | None, event: MatchEnded) -> tuple[Match | None, list[Any]]:
        if current is None:
            return None, []
        reason = f"the match ended ({event.reason})"
        ended, cancelled = sessions.end(current, clock(), reason)
        ended, closed = checkin_clock.cancel_open(ended, clock(), reason)
        return (ended if ended is not current else None), [*cancelled, *closed]

    return decide


def _confirmed(clock: Clock) -> Callable[[Match | None, MatchConfirmed], Match | None]:
    return lambda current, event: checkins.confirmed(current, event, clock())


SIDE_BY_SIDE: tuple[type[Event], ...] = (MentorRegistered, MenteeRegistered)
"""Registrations, each its own person's calendar: a burst of them (an import) is
handled a poll batch at a time (chassis messaging/lanes.py)."""


def scheduler_handlers(
    stores: SchedulerStores,
    booker: Booker,
    replanner: Replanner,
    clock: Clock,
    *,
    pause_desk: PauseDesk,
    checkin_desk: CheckinDesk,
) -> dict[type[Event], Handler]:
    then = FollowUps(stores, booker, replanner, pause_desk, checkin_desk)
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
        MatchPaused: deciding(
            stores.match_states, pauses.paused, then.paused, source=SERVICE, aggregate=by_match
        ),
        MatchResumed: updating(
            stores.match_states, pauses.resuming, then.resumed, aggregate=by_match
        ),
        CheckinSubmitted: deciding(
            stores.match_states, checkins.submitted, source=SERVICE, aggregate=by_match
        ),
    }
