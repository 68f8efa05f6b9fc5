"""Events on mentornet.feedback, keyed by match id. Published by feedback.

Survey answers and session notes stay in the feedback service: these events carry
scores, counts and flags, never free text written by a participant.
"""

from __future__ import annotations

from enum import StrEnum
from typing import ClassVar

from pydantic import AwareDatetime, Field

from ..event import Event
from ..registry import BOUNDED, Superseded
from .common import RUBRIC_EXAMPLE, Id, Role, RubricDimension, RubricScores

MATCH_ID = Field(description="Match id (the record key).", examples=["m-51c0"])
SESSION_ID = Field(description="Session the feedback is about.", examples=["s-90d1"])
REQUEST_ID = Field(description="Feedback request id.", examples=["fr-3e11"])
PARTICIPANT_ID = Field(description="Participant asked for feedback.", examples=["p-7f3a"])
ROLE = Field(description="The participant's role in the match.", examples=["mentee"])


class RiskFlag(StrEnum):
    DISENGAGED = "disengaged"
    OFF_TRACK = "off_track"
    WELLBEING_CONCERN = "wellbeing_concern"
    CONFLICT = "conflict"


class RiskSource(StrEnum):
    REPORT = "report"
    RUBRIC = "rubric"


class GoalStatus(StrEnum):
    NOT_STARTED = "not_started"
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    ACHIEVED = "achieved"
    DROPPED = "dropped"


class _FeedbackEvent(Event):
    key_field: ClassVar[str] = "match_id"


class FeedbackRequested(_FeedbackEvent):
    event_type: ClassVar[str] = "mentornet.feedback.requested.v1"
    request_id: Id = REQUEST_ID
    match_id: Id = MATCH_ID
    session_id: Id = SESSION_ID
    participant_id: Id = PARTICIPANT_ID
    role: Role = ROLE
    due_at: AwareDatetime = Field(
        description="When the survey closes, UTC.", examples=["2027-01-15T09:00:00Z"]
    )
    template_id: Id = Field(description="Survey template id.", examples=["post-session"])
    template_version: int = Field(ge=1, description="Survey template version.", examples=[3])


class FeedbackSubmitted(_FeedbackEvent):
    """Scores only: free-text answers never leave the feedback service."""

    event_type: ClassVar[str] = "mentornet.feedback.submitted.v1"
    request_id: Id = REQUEST_ID
    match_id: Id = MATCH_ID
    session_id: Id = SESSION_ID
    participant_id: Id = PARTICIPANT_ID
    role: Role = ROLE
    rubric: RubricScores = Field(
        min_length=1,
        max_length=len(RubricDimension),
        description="Rubric score (1..5) by dimension; unanswered dimensions are absent.",
        examples=[RUBRIC_EXAMPLE],
    )
    rating: int | None = Field(
        default=None, ge=1, le=5, description="Overall rating, 1 to 5.", examples=[4]
    )
    revision: int = Field(
        default=1,
        ge=1,
        description="1 for the first answer; an edit within the edit window is sent again "
        "with the next revision, and the latest revision of a request is the one that counts.",
        examples=[1],
    )


class FeedbackReminderDue(_FeedbackEvent):
    """A requested survey is overdue: time to remind the participant (once)."""

    event_type: ClassVar[str] = "mentornet.feedback.reminder.due.v1"
    request_id: Id = REQUEST_ID
    match_id: Id = MATCH_ID
    session_id: Id = SESSION_ID
    participant_id: Id = PARTICIPANT_ID
    due_at: AwareDatetime = Field(
        description="When the survey was due, UTC.", examples=["2027-01-15T09:00:00Z"]
    )


class SessionReportFiled(_FeedbackEvent):
    """The mentor filed a session report; its notes stay in the feedback service."""

    event_type: ClassVar[str] = "mentornet.session.report.filed.v2"
    report_id: Id = Field(description="Session report id.", examples=["sr-81aa"])
    match_id: Id = MATCH_ID
    session_id: Id = Field(description="Session the report is about.", examples=["s-90d1"])
    action_item_count: int = Field(
        ge=0, description="Action items agreed in the session.", examples=[3]
    )
    risk_flags: tuple[RiskFlag, ...] = Field(
        default=(),
        max_length=len(RiskFlag),
        description="Risks the author flagged.",
        examples=[["off_track"]],
    )


class ActionItemCompleted(_FeedbackEvent):
    """An action item agreed in a session was done; follow-up completion counts these
    against the items a report listed."""

    event_type: ClassVar[str] = "mentornet.action.item.completed.v1"
    item_id: Id = Field(description="Action item id.", examples=["ai-1c2d"])
    report_id: Id = Field(description="The session report that listed it.", examples=["sr-81aa"])
    match_id: Id = MATCH_ID
    session_id: Id = SESSION_ID
    owner: Role = Field(description="Who owned the item.", examples=["mentee"])
    on_time: bool = Field(description="Done by its due date.", examples=[True])


class GoalProgressRecorded(_FeedbackEvent):
    event_type: ClassVar[str] = "mentornet.goal.progress.recorded.v1"
    match_id: Id = MATCH_ID
    mentee_id: Id = Field(description="Mentee whose goal it is.", examples=["p-7f3a"])
    goal_id: Id = Field(description="Goal id, unique within the mentee.", examples=["g1"])
    percent: int = Field(ge=0, le=100, description="Progress towards the goal.", examples=[40])
    status: GoalStatus = Field(description="Where the goal stands.", examples=["on_track"])


class CheckinSubmitted(_FeedbackEvent):
    """One side's part of an async check-in arrived: the mentee's written reflection or
    the mentor's written reply. `complete` is true once both are in, and the scheduler
    then settles the check-in as held."""

    event_type: ClassVar[str] = "mentornet.checkin.submitted.v1"
    match_id: Id = MATCH_ID
    session_id: Id = Field(description="The check-in (an async session).", examples=["s-90d1"])
    role: Role = Field(description="Whose part it is.", examples=["mentee"])
    submitted_at: AwareDatetime = Field(
        description="When it was submitted, UTC.", examples=["2027-01-14T18:20:00Z"]
    )
    complete: bool = Field(
        description="Both the reflection and the reply are in.", examples=[False]
    )


class RiskFlagged(_FeedbackEvent):
    """A risk was raised on a match, by a session report or by low rubric scores."""

    event_type: ClassVar[str] = "mentornet.risk.flagged.v1"
    match_id: Id = MATCH_ID
    flag: RiskFlag = Field(description="The risk.", examples=["disengaged"])
    source: RiskSource = Field(description="What raised it.", examples=["report"])
    session_id: Id | None = Field(
        default=None, description="Session it arose from, if any.", examples=["s-90d1"]
    )
    rubric_average: float | None = Field(
        default=None,
        ge=1,
        le=5,
        description="For a rubric risk: the match's rubric average that fell below the "
        "program's threshold.",
        examples=[2.2],
    )


EVENTS = (
    FeedbackRequested,
    FeedbackSubmitted,
    FeedbackReminderDue,
    SessionReportFiled,
    ActionItemCompleted,
    GoalProgressRecorded,
    RiskFlagged,
    CheckinSubmitted,
)
SUPERSEDED = (Superseded("mentornet.session.report.filed.v1", SessionReportFiled, BOUNDED),)
