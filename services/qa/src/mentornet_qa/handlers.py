"""Thin subscribers: every stream feeds QA's read models; facts that call for a case
(a stall, a risk, a falling rubric) open or update it in the same write; completed
sessions are sampled; recognition and invitations follow the facts they depend on."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from mentornet_chassis.messaging.consumer import Handler
from mentornet_chassis.messaging.subscribers import updating, updating_at
from mentornet_chassis.store.aggregates import Applied, Decision, State
from mentornet_contracts import Envelope, Event, new_envelope
from mentornet_contracts.catalogue import MATCHES
from mentornet_contracts.errors import UnknownEntity
from mentornet_contracts.events.audit import AuditGroupsRecorded
from mentornet_contracts.events.feedback import (
    ActionItemCompleted,
    FeedbackSubmitted,
    GoalProgressRecorded,
    RiskFlagged,
    SessionReportFiled,
)
from mentornet_contracts.events.matches import (
    CoverageGapClosed,
    CoverageGapReported,
    MatchAccepted,
    MatchConfirmed,
    MatchDeclined,
    MatchEnded,
    MatchProposed,
    MenteeWaitlisted,
)
from mentornet_contracts.events.participants import (
    MenteeRegistered,
    MentorRegistered,
    ParticipantErased,
    ParticipantWithdrawn,
)
from mentornet_contracts.events.programs import ProgramPublished, ProgramUpdated, apply_update
from mentornet_contracts.events.sessions import (
    MatchStalled,
    SessionCompleted,
    SessionMissed,
    SessionScheduled,
)

from . import programs, triggers
from .domain import matches, people
from .followups import FollowUps
from .programs import Program
from .store import QaStores

SERVICE = "qa"
Clock = Callable[[], datetime]
Step = Callable[[State | None, Any, Program | None, datetime], tuple[State | None, list[Any]]]


def _by_match(event: Any) -> str:
    return str(event.match_id)


def match_handler(
    stores: QaStores,
    clock: Clock,
    step: Step,
    then: Callable[[Envelope[Any], State], Any] | None = None,
) -> Handler:
    """A handler for an event about one match: the step sees the match's program (its
    playbook and coordinators) and may emit, in the same write. Facts about a match
    travel on several streams; one that arrives before QA knows the match's program
    is parked until it does."""

    async def handle(envelope: Envelope[Any]) -> Applied:
        match_id = _by_match(envelope.event)
        known = await stores.matches.get_state(match_id)
        program_id = (known or {}).get("program_id") or getattr(envelope.event, "program_id", None)
        if not program_id:
            raise UnknownEntity(
                "match", match_id, "nothing about the match has arrived yet", on_topic=MATCHES.name
            )
        program = await programs.load(stores, program_id)
        if program is None:
            raise UnknownEntity("program", program_id, "the match's program has not arrived yet")
        now = envelope.time

        def decide(state: State | None) -> Decision:
            new, events = step(state, envelope.event, program, now)
            if new is not None:
                new = {**new, "due_epoch": triggers.next_due(new)}
            return Decision(new, [new_envelope(e, SERVICE, caused_by=envelope) for e in events])

        applied = await stores.matches.apply(match_id, decide, handled=envelope.id)
        if then is not None:
            await then(envelope, applied.state or {})
        return applied

    return handle


def _plain(update: Callable[..., State | None]) -> Step:
    def step(
        state: State | None, event: Any, program: Program | None, now: datetime
    ) -> tuple[State | None, list[Any]]:
        return update(state, event), []

    return step


def qa_handlers(stores: QaStores, clock: Clock, then: FollowUps) -> dict[type[Event], Handler]:
    """Facts are stamped with their events' times, so a backlog or a replay keeps the
    true times to match, new-mentor windows and proposal deadlines."""

    def on(step: Step, follow: Callable[[Envelope[Any], State], Any] | None = None) -> Handler:
        return match_handler(stores, clock, step, follow)

    return {
        MentorRegistered: updating_at(stores.people, people.on_mentor, new_likely=True),
        MenteeRegistered: updating_at(stores.people, people.on_mentee, new_likely=True),
        ParticipantWithdrawn: updating(stores.people, people.on_left, then.left),
        ParticipantErased: updating(stores.people, people.on_left, then.erased),
        AuditGroupsRecorded: updating(stores.people, people.on_groups),
        MenteeWaitlisted: updating_at(stores.people, people.on_waitlisted),
        ProgramPublished: updating(stores.programs, programs.on_published, then.program),
        ProgramUpdated: updating(stores.programs, apply_update, then.program),
        CoverageGapReported: updating(stores.programs, programs.on_gaps),
        CoverageGapClosed: updating(stores.programs, programs.on_gaps_closed),
        MatchProposed: on(triggers.proposed),
        MatchAccepted: on(_plain(matches.on_accepted)),
        MatchDeclined: on(triggers.declined),
        MatchConfirmed: on(triggers.confirmed, then.confirmed),
        MatchEnded: on(triggers.ended, then.outcome),
        SessionScheduled: on(_plain(matches.on_session_scheduled)),
        SessionCompleted: on(triggers.completed, then.completed),
        SessionMissed: on(_plain(matches.on_session_missed)),
        MatchStalled: on(triggers.stalled, then.stalled),
        FeedbackSubmitted: on(triggers.feedback, then.recognise),
        RiskFlagged: on(triggers.risk),
        SessionReportFiled: on(_plain(matches.on_report)),
        ActionItemCompleted: on(_plain(matches.on_item_done)),
        GoalProgressRecorded: on(_plain(matches.on_goal), then.outcome),
    }
