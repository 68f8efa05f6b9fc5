"""Feedback's answers, as the OpenAPI documents describe them.

The answers are built from stored documents whose optional keys appear only once
something happened (an answer's `rubric`, a closed request's `closed_at`): routes
returning such documents declare `response_model_exclude_unset=True`, so a key absent
from the document stays absent from the answer rather than turning up as null."""

from __future__ import annotations

from typing import Annotated

from mentornet_contracts.events.common import Goal, Role
from mentornet_contracts.events.feedback import GoalStatus, RiskFlag
from pydantic import BaseModel, BeforeValidator, Field

from ..domain.checkins import CheckinState
from ..domain.state import AnswerValue, CheckinStatus, PersonStatus, RequestStatus
from ..domain.summary import Direction
from ..domain.templates import Question


def _every_key(value: object) -> object:
    """A question given as the domain's model, as its JSON: every key set, so leaving
    out unset keys never drops one of a question's."""
    return value.model_dump(mode="json") if isinstance(value, Question) else value


AskedQuestion = Annotated[Question, BeforeValidator(_every_key)]


class TemplateView(BaseModel):
    program_id: str
    template_id: str
    version: int
    questions: tuple[Question, ...]


class SavedTemplate(BaseModel):
    program_id: str
    version: int = Field(description="The number the new version got.")
    questions: tuple[Question, ...]


class RequestView(BaseModel):
    """A survey request; `answers` once answered (as the reader may see them)."""

    request_id: str
    session_id: str
    participant_id: str
    role: Role
    template_version: int
    requested_at: str
    due_at: str
    status: RequestStatus
    revision: int
    reminded: bool
    answers: dict[str, AnswerValue] | None = None
    rubric: dict[str, int] | None = None
    rating: int | None = None
    submitted_at: str | None = None
    edited_at: str | None = None
    edit_until: str | None = None
    closed_at: str | None = None


class ListedRequest(RequestView):
    match_id: str
    program_id: str


class ParticipantRequests(BaseModel):
    participant_id: str
    requests: list[ListedRequest]


class AskedRequest(RequestView):
    match_id: str
    questions: list[AskedQuestion]


class ActionItemView(BaseModel):
    item_id: str
    text: str | None = None
    owner: Role
    due_date: str
    completed_at: str | None


class SessionReport(BaseModel):
    """A session report; the mentee sees no `notes` or `risk_flags`."""

    report_id: str
    session_id: str
    author_id: str
    filed_at: str
    agenda: list[str] | None = None
    notes: str | None = None
    risk_flags: list[RiskFlag] | None = None
    action_items: list[ActionItemView]


class ProgressEntryView(BaseModel):
    at: str
    by: str
    percent: int
    status: GoalStatus
    milestones_reached: int
    note: str


class GoalProgressView(BaseModel):
    at: str
    by: str
    percent: int
    status: GoalStatus
    milestones_reached: int
    history: list[ProgressEntryView]
    history_dropped: int | None = None


class RecordedProgress(GoalProgressView):
    match_id: str
    goal_id: str


class PivotView(BaseModel):
    at: str
    reason: str
    added: list[str]
    removed: list[str]


class MenteeGoals(BaseModel):
    participant_id: str
    program_id: str | None = None
    status: PersonStatus
    goals: list[Goal]
    pivots: list[PivotView]
    progress: dict[str, dict[str, GoalProgressView]] = Field(
        description="Match id to goal id to the progress recorded in that match."
    )


class MatchFeedback(BaseModel):
    match_id: str
    program_id: str
    mentor_id: str
    mentee_id: str
    requests: list[RequestView]
    reports: list[SessionReport]
    goals: dict[str, GoalProgressView]


class SessionAverage(BaseModel):
    session_id: str
    starts_at: str
    average: float


class Trend(BaseModel):
    sessions: list[SessionAverage]
    slope: float | None
    direction: Direction


class FollowUp(BaseModel):
    items: int
    completed: int
    due: int
    completed_of_due: int
    completion_rate: float | None


class Figures(BaseModel):
    matches: int
    requests: int
    responses: int
    response_rate: float | None
    rubric_average: float | None
    rubric_by_dimension: dict[str, float]
    trend: Trend
    follow_up: FollowUp


class MatchSummary(Figures):
    match_id: str


class MentorSummary(Figures):
    mentor_id: str


class ProgramSummary(Figures):
    program_id: str


class GoalNoteView(BaseModel):
    goal_id: str
    status: GoalStatus | None = None
    percent: int | None = None
    note: str | None = None


class CheckinPartView(BaseModel):
    """One part of a check-in; no words once its author was erased (`author_id`
    "erased"), no `private_note` for the mentor."""

    author_id: str
    submitted_at: str
    text: str | None = None
    goals: list[GoalNoteView] | None = None
    next_steps: list[str] | None = None
    private_note: str | None = None


class CheckinAnswer(BaseModel):
    """An async check-in: open from `opens_at` until `due_at`; `status` as the scheduler
    left it, `state` where it stands now for its two people."""

    session_id: str
    match_id: str
    program_id: str
    mentor_id: str
    mentee_id: str
    sequence: int
    opens_at: str
    due_at: str
    status: CheckinStatus
    state: CheckinState
    reflection: CheckinPartView | None = None
    reply: CheckinPartView | None = None


class MatchCheckins(BaseModel):
    match_id: str
    checkins: list[CheckinAnswer]
