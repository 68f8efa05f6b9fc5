"""The MentorNet topic catalogue: the one place topic names are written down."""

from __future__ import annotations

from dataclasses import dataclass

from .events import (
    audit,
    experiments,
    feedback,
    matches,
    notifications,
    outcomes,
    participants,
    programs,
    qa,
    sessions,
)
from .registry import Registry, Topic, dlq_topic

PARTICIPANTS = Topic("mentornet.participants", "participant id", participants.EVENTS)
PROGRAMS = Topic("mentornet.programs", "program id", programs.EVENTS, partitions=3)
MATCHES = Topic(
    "mentornet.matches",
    "mentee id (program id: experiments)",
    (*matches.EVENTS, *experiments.EVENTS),
)
SESSIONS = Topic("mentornet.sessions", "match id", sessions.EVENTS)
FEEDBACK = Topic("mentornet.feedback", "match id", (*feedback.EVENTS, *outcomes.EVENTS))
QA = Topic("mentornet.qa", "match id or program id", qa.EVENTS)
AUDIT = Topic("mentornet.audit", "participant id", audit.EVENTS, partitions=3, retention_days=30)
NOTIFICATIONS = Topic("mentornet.notifications", "recipient participant id", notifications.EVENTS)

EVENT_TOPICS = (PARTICIPANTS, PROGRAMS, MATCHES, SESSIONS, FEEDBACK, QA, AUDIT, NOTIFICATIONS)


@dataclass(frozen=True)
class ServiceSpec:
    """Which topics a service writes and which it reads: the basis of docs and ACLs."""

    name: str
    summary: str
    publishes: tuple[Topic, ...]
    consumes: tuple[Topic, ...]

    @property
    def dlq(self) -> Topic:
        return dlq_topic(self.name)


SERVICES: dict[str, ServiceSpec] = {
    spec.name: spec
    for spec in (
        ServiceSpec(
            "intake",
            "Participants, programs, skill taxonomy, consent, bulk import.",
            publishes=(PARTICIPANTS, PROGRAMS, AUDIT),
            consumes=(),
        ),
        ServiceSpec(
            "matcher",
            "Candidate read model, explained scoring, assignment, rematch, experiments.",
            publishes=(MATCHES,),
            consumes=(PARTICIPANTS, PROGRAMS, SESSIONS, QA),
        ),
        ServiceSpec(
            "scheduler",
            "Availability, slot finding, booking, reminders, attendance, async check-ins.",
            publishes=(SESSIONS,),
            consumes=(PARTICIPANTS, PROGRAMS, MATCHES, FEEDBACK),
        ),
        ServiceSpec(
            "feedback",
            "Surveys, rubric scores, session reports, goals, milestones, skill assessments.",
            publishes=(FEEDBACK,),
            consumes=(PARTICIPANTS, PROGRAMS, MATCHES, SESSIONS),
        ),
        ServiceSpec(
            "qa",
            "QA sampling, escalations, fairness audits, health, outcomes, experiment analysis.",
            publishes=(QA,),
            consumes=(PARTICIPANTS, PROGRAMS, MATCHES, SESSIONS, FEEDBACK, AUDIT, NOTIFICATIONS),
        ),
        ServiceSpec(
            "notifier",
            "Delivers reminders, requests, proposals and nudges to people by e-mail and webhook.",
            publishes=(NOTIFICATIONS,),
            consumes=(PARTICIPANTS, PROGRAMS, MATCHES, SESSIONS, FEEDBACK, QA),
        ),
    )
}

DLQ_TOPICS = tuple(spec.dlq for spec in SERVICES.values())

SUPERSEDED = (
    *participants.SUPERSEDED,
    *programs.SUPERSEDED,
    *matches.SUPERSEDED,
    *sessions.SUPERSEDED,
    *feedback.SUPERSEDED,
    *qa.SUPERSEDED,
    *audit.SUPERSEDED,
)
"""Versions no longer written, read as their successors through upcasters."""

REGISTRY = Registry(topics=(*EVENT_TOPICS, *DLQ_TOPICS), superseded=SUPERSEDED)
