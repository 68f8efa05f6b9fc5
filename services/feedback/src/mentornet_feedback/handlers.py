"""Thin subscribers (chassis subscribers): sessions from the scheduler, programs and
mentees' goals from intake; a session that took place asks both people for feedback;
an erasure forgets the person's answers, reports, goal progress and what they wrote."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from mentornet_chassis.messaging.consumer import Handler
from mentornet_chassis.messaging.subscribers import updating
from mentornet_chassis.process.logging import get_logger
from mentornet_chassis.store.aggregates import Applied, Decision, State
from mentornet_contracts import Envelope, Event, new_envelope
from mentornet_contracts.errors import UnknownEntity
from mentornet_contracts.events.participants import (
    GoalsUpdated,
    MenteeRegistered,
    ParticipantErased,
    ParticipantWithdrawn,
)
from mentornet_contracts.events.programs import ProgramPublished, ProgramUpdated, apply_update
from mentornet_contracts.events.sessions import (
    Attendance,
    SessionCancelled,
    SessionCompleted,
    SessionMissed,
    SessionRescheduled,
    SessionScheduled,
)

from .domain import goals, matches, requests, risk
from .domain.requests import Windows
from .store import FeedbackStores

SERVICE = "feedback"
Clock = Callable[[], datetime]
log = get_logger(__name__)


class FollowUps:
    def __init__(self, stores: FeedbackStores, clock: Clock) -> None:
        self.stores = stores
        self.clock = clock

    async def scheduled(self, envelope: Envelope[Any], state: State) -> None:
        await self.stores.lookup("session").put(envelope.subject, [envelope.event.session_id])

    async def erased(self, envelope: Envelope[Any], state: State) -> None:
        """The person's answers, reports and progress go, and so do the lookups that
        pointed at them and everything they wrote. The words go last: until then the
        matches no longer name them, so nothing shows a request or report without its
        words. Runs again on every redelivery, so a crash part-way is finished then."""
        person = envelope.subject
        for match in await self.stores.matches_of(person):
            request_ids, item_ids = matches.parts_of(match, person)
            await self.stores.lookup("request").forget(request_ids)
            await self.stores.lookup("item").forget(item_ids)
        await self._each_match(person, lambda m: matches.forget(m, person))
        deleted = await self.stores.texts.delete_by_author(person)
        log.info("erased person's texts deleted", participant_id=person, texts=deleted)

    async def program(self, envelope: Envelope[Any], state: State) -> None:
        """New thresholds: each match's rubric risk is checked against them."""
        threshold = (state.get("escalation") or {}).get("low_rubric_average")
        for match in await self.stores.matches_in(envelope.subject):

            def decide(current: State | None) -> Decision:
                if current is None:
                    return Decision(state=None)
                checked, risks = risk.rubric_check(current, threshold, None)
                events = [new_envelope(e, SERVICE, caused_by=envelope) for e in risks]
                return Decision(checked if checked != current else None, events)

            await self.stores.matches.apply(match["match_id"], decide)

    async def withdrawn(self, envelope: Envelope[Any], state: State) -> None:
        now = self.clock()
        await self._each_match(
            envelope.subject, lambda m: requests.close_for(m, envelope.subject, now)
        )

    async def _each_match(self, participant_id: str, change: Callable[[State], State]) -> None:
        for match in await self.stores.matches_of(participant_id):

            def decide(state: State | None) -> Decision:
                if state is None:
                    return Decision(state=None)
                changed = change(state)
                return Decision(changed if changed != state else None)

            await self.stores.matches.apply(match["match_id"], decide)


def completed_handler(stores: FeedbackStores, clock: Clock, windows: Windows) -> Handler:
    """A session that took place: both people are asked, on the program's current
    template version."""

    async def handle(envelope: Envelope[Any]) -> Applied:
        event: SessionCompleted = envelope.event
        known = await stores.matches.get_state(envelope.subject)
        if known is None or event.session_id not in known["sessions"]:
            raise UnknownEntity("session", event.session_id, "completed before it was scheduled")
        version, _ = await stores.template(known["program_id"])
        now = clock()
        statuses = [
            (person, ((await stores.people.get_state(person)) or {}).get("status", "active"))
            for person in (known["mentee_id"], known["mentor_id"])
        ]
        gone = frozenset(person for person, status in statuses if status != "active")
        people = [known["mentee_id"], known["mentor_id"]]
        await stores.lookup("request").put(
            envelope.subject, [matches.short_id("fr", event.session_id, p) for p in people]
        )

        def decide(state: State | None) -> Decision:
            done = matches.completed(state, event, now)
            if event.attendance != Attendance.ATTENDED:
                return Decision(done)
            asked, events = requests.requested(done, event.session_id, version, now, windows, gone)
            asked["due_epoch"] = requests.next_due(asked, windows)
            return Decision(asked, [new_envelope(e, SERVICE, caused_by=envelope) for e in events])

        return await stores.matches.apply(envelope.subject, decide, handled=envelope.id)

    return handle


def feedback_handlers(
    stores: FeedbackStores, clock: Clock, windows: Windows
) -> dict[type[Event], Handler]:
    then = FollowUps(stores, clock)
    sessions, people = stores.matches, stores.people
    return {
        SessionScheduled: updating(sessions, matches.on_scheduled, then.scheduled),
        SessionRescheduled: updating(sessions, matches.on_rescheduled),
        SessionCancelled: updating(sessions, matches.on_cancelled),
        SessionMissed: updating(sessions, matches.on_missed),
        SessionCompleted: completed_handler(stores, clock, windows),
        ProgramPublished: updating(stores.programs, lambda _, e: e.model_dump(mode="json")),
        ProgramUpdated: updating(stores.programs, apply_update, then.program),
        MenteeRegistered: updating(people, goals.on_mentee_registered, new_likely=True),
        GoalsUpdated: updating(
            people, lambda current, e: goals.on_goals_updated(current, e, clock())
        ),
        ParticipantErased: updating(people, goals.on_left, then.erased),
        ParticipantWithdrawn: updating(people, goals.on_left, then.withdrawn),
    }
