"""Events on mentornet.qa, keyed by match id or, for program-wide facts, by program id.

Published by qa. Sampling, reviews and escalations concern one match; fairness audits,
recognition and invitations to mentor concern a program.
"""

from __future__ import annotations

from enum import StrEnum
from typing import ClassVar

from pydantic import AwareDatetime, Field

from ..event import Event
from ..registry import BOUNDED, Superseded
from .common import (
    MAX_GOAL_SKILLS,
    MAX_GOALS,
    RUBRIC_EXAMPLE,
    Id,
    RubricDimension,
    RubricScores,
    Value,
)

MATCH_ID = Field(description="Match id (the record key).", examples=["m-51c0"])
PROGRAM_ID = Field(description="Program id (the record key).", examples=["prog-eng-2027"])
SESSION_ID = Field(description="Session sampled for review.", examples=["s-90d1"])
SAMPLE_ID = Field(description="QA sample id.", examples=["qs-0c42"])
CASE_ID = Field(description="Escalation case id.", examples=["esc-7d20"])
MAX_DISPARITIES = 200
"""Disparities one audit names: the largest gaps first when more groups fall short."""


class ReviewOutcome(StrEnum):
    PASSED = "passed"
    COACHING = "coaching"
    ESCALATED = "escalated"


class EscalationTrigger(StrEnum):
    MISSED_SESSIONS = "missed_sessions"
    NO_ACTIVITY = "no_activity"
    LOW_RUBRIC = "low_rubric"
    RISK_FLAG = "risk_flag"
    PROPOSAL_TIMEOUT = "proposal_timeout"
    QA_REVIEW = "qa_review"
    MANUAL = "manual"
    BOOKING_FAILED = "booking_failed"
    """Planned sessions of the match could not be booked (session.booking.failed)."""


class Severity(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"


class EscalationAction(StrEnum):
    NUDGE = "nudge"
    COORDINATOR_CONTACT = "coordinator_contact"
    REMATCH = "rematch"
    PAUSE = "pause"


class Resolution(StrEnum):
    BACK_ON_TRACK = "back_on_track"
    REMATCHED = "rematched"
    ENDED = "ended"
    DISMISSED = "dismissed"


class Disparity(Value):
    metric: str = Field(
        min_length=1, max_length=64, description="Outcome compared.", examples=["match_rate"]
    )
    group: str = Field(
        min_length=1, max_length=64, description="Group value, not a person.", examples=["emea"]
    )
    ratio: float = Field(
        ge=0, description="Group rate divided by the reference group's rate.", examples=[0.72]
    )


class _QaEvent(Event):
    key_field: ClassVar[str] = "match_id"


class _ProgramQaEvent(_QaEvent):
    key_field: ClassVar[str] = "program_id"


class QaSampleSelected(_QaEvent):
    event_type: ClassVar[str] = "mentornet.qa.sample.selected.v1"
    sample_id: Id = SAMPLE_ID
    match_id: Id = MATCH_ID
    session_id: Id = SESSION_ID
    program_id: Id = Field(description="Program of the match.", examples=["prog-eng-2027"])


class QaReviewCompleted(_QaEvent):
    event_type: ClassVar[str] = "mentornet.qa.review.completed.v1"
    sample_id: Id = SAMPLE_ID
    match_id: Id = MATCH_ID
    session_id: Id = SESSION_ID
    reviewer_id: Id = Field(description="Participant id of the reviewer.", examples=["p-0a11"])
    rubric: RubricScores = Field(
        min_length=1,
        max_length=len(RubricDimension),
        description="Reviewer's rubric score by dimension.",
        examples=[RUBRIC_EXAMPLE],
    )
    outcome: ReviewOutcome = Field(description="What the review concluded.", examples=["passed"])


class EscalationRaised(_QaEvent):
    """A case on a match opened, or its action or severity changed: sent again, with the
    same `case_id`, on every change, so a reader keeps the latest per case. The action
    is what the program's playbook asks for now: `nudge` and `coordinator_contact` are
    for people; on `rematch` the matcher ends the match and places the mentee again; on
    `pause` it pauses the match for the program's longest pause. Only v2 is written
    (v1 readers do not know the `booking_failed` trigger); v1 records read as v2."""

    event_type: ClassVar[str] = "mentornet.escalation.raised.v2"
    case_id: Id = CASE_ID
    match_id: Id = MATCH_ID
    trigger: EscalationTrigger = Field(description="What raised it.", examples=["missed_sessions"])
    severity: Severity = Field(description="How urgent.", examples=["medium"])
    action: EscalationAction = Field(description="The action asked for.", examples=["nudge"])
    owner_id: Id = Field(description="Participant id of the case owner.", examples=["p-c001"])
    due_at: AwareDatetime = Field(
        description="When the action is due, UTC.", examples=["2027-02-01T17:00:00Z"]
    )


class EscalationResolved(_QaEvent):
    event_type: ClassVar[str] = "mentornet.escalation.resolved.v1"
    case_id: Id = CASE_ID
    match_id: Id = MATCH_ID
    resolution: Resolution = Field(description="How it was resolved.", examples=["back_on_track"])


class FairnessAuditCompleted(_ProgramQaEvent):
    event_type: ClassVar[str] = "mentornet.fairness.audit.completed.v2"
    audit_id: Id = Field(description="Audit id.", examples=["fa-2027q1"])
    program_id: Id = PROGRAM_ID
    group_attribute: str = Field(
        min_length=1, max_length=64, description="Attribute audited.", examples=["region"]
    )
    disparities: tuple[Disparity, ...] = Field(
        default=(),
        max_length=MAX_DISPARITIES,
        description="Groups whose outcomes fell outside the tolerated ratio, the largest "
        "gaps first.",
        examples=[[{"metric": "match_rate", "group": "emea", "ratio": 0.72}]],
    )


class RecognitionAwarded(_ProgramQaEvent):
    event_type: ClassVar[str] = "mentornet.recognition.awarded.v1"
    program_id: Id = PROGRAM_ID
    mentor_id: Id = Field(description="Mentor recognised.", examples=["p-22b9"])
    award: Id = Field(description="Award id.", examples=["impact-q1"])
    reason: str = Field(
        default="",
        max_length=500,
        description="The outcome recognised, without names.",
        examples=["three mentees met their goals"],
    )


class MenteeInvitedToMentor(_ProgramQaEvent):
    event_type: ClassVar[str] = "mentornet.mentee.invited_to_mentor.v2"
    program_id: Id = PROGRAM_ID
    participant_id: Id = Field(description="Mentee invited to mentor.", examples=["p-7f3a"])
    skill_ids: tuple[Id, ...] = Field(
        default=(),
        max_length=MAX_GOALS * MAX_GOAL_SKILLS,
        description="Skills they could mentor in.",
        examples=[["python"]],
    )


class MentorInvitationAnswered(_ProgramQaEvent):
    """An invited mentee accepted or declined becoming a mentor. Whether they became one
    shows when a mentor enrolment of the same person arrives (mentor.registered)."""

    event_type: ClassVar[str] = "mentornet.mentor_invitation.answered.v1"
    program_id: Id = PROGRAM_ID
    participant_id: Id = Field(description="The invited mentee.", examples=["p-7f3a"])
    accepted: bool = Field(description="Whether they accepted.", examples=[True])


EVENTS = (
    QaSampleSelected,
    QaReviewCompleted,
    EscalationRaised,
    EscalationResolved,
    FairnessAuditCompleted,
    RecognitionAwarded,
    MenteeInvitedToMentor,
    MentorInvitationAnswered,
)
SUPERSEDED = (
    Superseded(
        "mentornet.escalation.raised.v1",
        EscalationRaised,
        "v2 adds the booking_failed trigger",
    ),
    Superseded("mentornet.fairness.audit.completed.v1", FairnessAuditCompleted, BOUNDED),
    Superseded("mentornet.mentee.invited_to_mentor.v1", MenteeInvitedToMentor, BOUNDED),
)
