"""Thin subscribers: every stream feeds QA's read models; facts that call for a case
(a stall, a risk, a falling rubric, sessions that could not be booked) open or update
it in the same write; a pause and a resume hold or close the case (domain/pauses.py);
completed sessions are sampled; recognition and invitations follow the facts they depend on;
stall nudges the notifier delivered are recorded on their cases (domain/nudges.py)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from mentornet_chassis.messaging.consumer import Handler
from mentornet_chassis.messaging.subscribers import by_match, follow_up, updating, updating_at
from mentornet_chassis.store.aggregates import Applied, Outcome
from mentornet_chassis.store.typed import Change
from mentornet_contracts import Envelope, Event, new_envelope
from mentornet_contracts.catalogue import MATCHES
from mentornet_contracts.errors import UnknownEntity
from mentornet_contracts.events.audit import AuditGroupsRecorded
from mentornet_contracts.events.experiments import (
    ExperimentArmAssigned,
    ExperimentDefined,
    ExperimentStopped,
)
from mentornet_contracts.events.feedback import (
    ActionItemCompleted,
    FeedbackRequested,
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
    MatchPaused,
    MatchProposed,
    MatchResumed,
    MenteeWaitlisted,
)
from mentornet_contracts.events.notifications import NotificationDelivered
from mentornet_contracts.events.outcomes import (
    EndSurveySubmitted,
    GoalAdjustmentAnswered,
    MilestoneCompleted,
    SkillAssessed,
)
from mentornet_contracts.events.participants import (
    GoalsUpdated,
    MenteeRegistered,
    MentorRegistered,
    ParticipantErased,
    ParticipantWithdrawn,
    ProfileUpdated,
)
from mentornet_contracts.events.programs import ProgramPublished, ProgramUpdated, apply_update
from mentornet_contracts.events.sessions import (
    MatchStalled,
    SessionBookingFailed,
    SessionCompleted,
    SessionMissed,
    SessionScheduled,
)

from .domain import (
    experiments,
    matches,
    nudges,
    outcome_facts,
    pauses,
    people,
    program,
    triggers,
    unplaced,
    workflow,
)
from .domain.documents import Match
from .domain.program import Program
from .store import ExperimentStores, QaStores
from .usecases.followups import FollowUps

SERVICE = "qa"
Step = Callable[[Match | None, Any, Program | None, datetime], triggers.Step]
Then = Callable[[Envelope[Any], Match], Awaitable[None]]


def match_handler(stores: QaStores, step: Step, then: Then | None = None) -> Handler:
    """A handler for an event about one match: the step sees the match's program (its
    playbook and coordinators) and may emit, in the same write. Facts about a match
    travel on several streams; one that arrives before QA knows the match's program
    is parked until it does."""

    async def handle(envelope: Envelope[Any]) -> Applied:
        match_id = by_match(envelope.event)
        known = await stores.matches.get(match_id)
        program_id = (known["program_id"] if known else None) or getattr(
            envelope.event, "program_id", None
        )
        if not program_id:
            raise UnknownEntity(
                "match", match_id, "nothing about the match has arrived yet", on_topic=MATCHES.name
            )
        found = await stores.program(program_id)
        if found is None:
            raise UnknownEntity("program", program_id, "the match's program has not arrived yet")
        now = envelope.time

        def decide(state: Match | None) -> Change[Match]:
            new, events = step(state, envelope.event, found, now)
            if new is not None:
                new = {**new, "due_epoch": triggers.next_due(new)}
            return Change(new, [new_envelope(e, SERVICE, caused_by=envelope) for e in events])

        changed = await stores.matches.apply(
            match_id, decide, handled=envelope.id, new_likely=known is None
        )
        if then is not None:
            await follow_up(then, envelope, changed.untyped())
        return changed.untyped()

    return handle


def _no_events(update: Callable[[Match | None, Any], Match]) -> Step:
    def step(
        state: Match | None, event: Any, program: Program | None, now: datetime
    ) -> triggers.Step:
        return update(state, event), []

    return step


def nudge_handler(stores: QaStores) -> Handler:
    """A stall nudge the notifier delivered is recorded on the case it acted for (once
    per delivery). Every other notification is not QA's: nothing is read; a nudge for a
    match or case QA does not know changes nothing (it is not parked: the case came from
    here, so it cannot arrive later)."""
    record = updating_at(stores.matches, nudges.on_delivered, aggregate=by_match)

    async def handle(envelope: Envelope[Any]) -> Applied | None:
        if not nudges.concerns_a_case(envelope.event):
            return Applied(Outcome.UNCHANGED, 0, None)
        return await record(envelope)

    return handle


SIDE_BY_SIDE: tuple[type[Event], ...] = (
    MentorRegistered,
    MenteeRegistered,
    MenteeWaitlisted,
    MatchProposed,
)
"""Facts each about its own new person or match, or one person's waiting: a burst of
them (an import) is handled a poll batch at a time (chassis messaging/lanes.py)."""


def qa_handlers(stores: QaStores, then: FollowUps) -> dict[type[Event], Handler]:
    """Facts are stamped with their events' times, so a backlog or a replay keeps the
    true times to match, new-mentor windows and proposal deadlines."""
    persons, programs = stores.people, stores.programs

    def on(step: Step, follow: Then | None = None) -> Handler:
        return match_handler(stores, step, follow)

    return {
        MentorRegistered: updating_at(persons, people.on_mentor, new_likely=True),
        MenteeRegistered: updating_at(persons, people.on_mentee, new_likely=True),
        ParticipantWithdrawn: updating(persons, people.on_left, then.left),
        ParticipantErased: updating(persons, people.on_left, then.erased),
        AuditGroupsRecorded: updating(persons, people.on_groups),
        GoalsUpdated: updating(persons, people.on_goals),
        ProfileUpdated: updating(persons, people.on_profile),
        MenteeWaitlisted: updating_at(persons, people.on_waitlisted),
        ProgramPublished: updating(programs, program.on_published, then.program),
        ProgramUpdated: updating(stores.programs_store, apply_update, then.program),
        CoverageGapReported: updating(programs, program.on_gaps),
        CoverageGapClosed: updating(programs, program.on_gaps_closed),
        MatchProposed: on(outcome_facts.proposed),
        MatchAccepted: on(_no_events(matches.on_accepted)),
        MatchDeclined: on(triggers.declined),
        MatchConfirmed: on(triggers.confirmed, then.confirmed),
        MatchEnded: on(triggers.ended, then.outcome),
        MatchPaused: on(pauses.paused),
        MatchResumed: on(pauses.resumed),
        SessionScheduled: on(unplaced.scheduled),
        SessionBookingFailed: on(unplaced.booking_failed),
        SessionCompleted: on(triggers.completed, then.completed),
        SessionMissed: on(_no_events(matches.on_session_missed)),
        MatchStalled: on(triggers.stalled, then.stalled),
        FeedbackRequested: on(workflow.requested),
        FeedbackSubmitted: on(workflow.feedback, then.recognise),
        RiskFlagged: on(triggers.risk),
        SessionReportFiled: on(workflow.reported),
        ActionItemCompleted: on(workflow.item_done),
        GoalProgressRecorded: on(_no_events(matches.on_goal), then.outcome),
        SkillAssessed: on(outcome_facts.assessed),
        MilestoneCompleted: on(outcome_facts.milestone),
        GoalAdjustmentAnswered: on(outcome_facts.adjusted),
        EndSurveySubmitted: on(outcome_facts.surveyed),
        NotificationDelivered: nudge_handler(stores),
    }


def experiment_handlers(stores: ExperimentStores) -> dict[type[Event], Handler]:
    """Experiments: the latest definition wins, a stop is kept with it; each mentee's arm
    is a document of its own (assignments arrive on the mentees' partitions)."""

    def experiment(event: Any) -> str:
        return experiments.key(event.program_id, event.experiment_id)

    def assignment(event: Any) -> str:
        return f"{experiment(event)}/{event.mentee_id}"

    return {
        ExperimentDefined: updating(
            stores.experiments, experiments.on_defined, aggregate=experiment
        ),
        ExperimentStopped: updating_at(
            stores.experiments, experiments.on_stopped, aggregate=experiment
        ),
        ExperimentArmAssigned: updating_at(
            stores.assignments, experiments.on_assigned, aggregate=assignment, new_likely=True
        ),
    }
