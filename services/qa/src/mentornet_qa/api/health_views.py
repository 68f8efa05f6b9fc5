"""What QA's program health routes answer (domain/figures.py). Optional keys are
absent from an answer whose figures lack them (`response_model_exclude_unset`)."""

from __future__ import annotations

from pydantic import BaseModel

from ..domain.recognition import Threshold
from .outcome_views import FigureView


class MatchingView(BaseModel):
    mentees: int
    active_matches: int
    completed_matches: int
    waitlisted: int
    days_to_match_median: float | None
    days_to_match_mean: float | None


class UtilisationView(BaseModel):
    mentors: int
    places: int
    taken: int
    utilisation: float | None


class AttendanceView(BaseModel):
    held: int
    missed: int
    attendance_rate: float | None


class FollowUpView(BaseModel):
    items: int
    completed: int
    completion_rate: float | None


class MonthView(BaseModel):
    month: str
    average: float
    responses: int


class RubricView(BaseModel):
    average: float | None
    responses: int
    by_month: list[MonthView]


class EscalationsView(BaseModel):
    open: int
    overdue: int
    resolved: int
    by_age: dict[str, int]
    by_severity: dict[str, int]


class SchedulingView(BaseModel):
    """Dates the scheduler could not book, from the latest report of each running
    match (booked-later dates drop out), by reason; matches on hold now."""

    unbookable_sessions: int
    matches_affected: int
    by_reason: dict[str, int]
    paused_matches: int


class SamplingView(BaseModel):
    sampled: int
    reviewed: int
    agreement_exact: float | None


class GroupView(BaseModel):
    """A group's figures; a suppressed group has none."""

    group: str
    suppressed: bool
    people: str
    match_rate: float | None = None
    days_to_match: float | None = None
    match_score: float | None = None
    rematch_rate: float | None = None
    early_closure_rate: float | None = None
    rubric_average: float | None = None


class FindingView(BaseModel):
    metric: str
    group: str
    ratio: float


class AttributeView(BaseModel):
    attribute: str
    groups: list[GroupView]
    disparities: list[FindingView]


class FairnessView(BaseModel):
    """The last audit; a program not audited yet has only `audited_at` (null),
    `attributes` and `disparities`."""

    audit_id: str | None = None
    audited_at: str | None
    min_group: int | None = None
    min_ratio: float | None = None
    attributes: list[AttributeView]
    disparities: int


class CoverageView(BaseModel):
    """The matcher's coverage report (`skill_ids`), or `skills` and `waiting_mentees`
    only for a program it has not reported on."""

    program_id: str | None = None
    skill_ids: list[str] | None = None
    skills: list[str] | None = None
    waiting_mentees: int
    mentors_with_capacity: int | None = None


class HealthView(BaseModel):
    program_id: str
    name: str | None
    as_of: str
    matching: MatchingView
    utilisation: UtilisationView
    attendance: AttendanceView
    follow_up: FollowUpView
    rubric: RubricView
    escalations: EscalationsView
    scheduling: SchedulingView
    fairness: FairnessView
    coverage_gaps: CoverageView
    qa_sampling: SamplingView
    outcomes: dict[str, FigureView] | None = None
    """The outcome report's program-wide figures, by indicator."""


class AuditView(BaseModel):
    program_id: str
    audit_id: str
    audited_at: str
    min_group: int
    min_ratio: float
    attributes: list[AttributeView]
    disparities: int


class MentorView(BaseModel):
    mentor_id: str
    matches: int
    sessions_delivered: int
    rubric_average: float | None
    goals_reached: int
    awards: list[str]


class RecognitionView(BaseModel):
    program_id: str
    thresholds: list[Threshold]
    mentors: list[MentorView]


class ThresholdsView(BaseModel):
    program_id: str
    thresholds: list[Threshold]
