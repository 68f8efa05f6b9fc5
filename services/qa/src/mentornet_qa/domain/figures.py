"""The shapes of a program's health figures (domain/health.py computes them; the JSON
API and the dashboard page show them)."""

from __future__ import annotations

from typing import NotRequired, TypedDict

from .audits import AttributeRecord, AuditRecord
from .outcome_report import Figure
from .program import Coverage


class Matching(TypedDict):
    mentees: int
    active_matches: int
    completed_matches: int
    waitlisted: int
    days_to_match_median: float | None
    days_to_match_mean: float | None


class Utilisation(TypedDict):
    mentors: int
    places: int
    taken: int
    utilisation: float | None


class Attendance(TypedDict):
    held: int
    missed: int
    attendance_rate: float | None


class FollowUp(TypedDict):
    items: int
    completed: int
    completion_rate: float | None


class MonthRubric(TypedDict):
    month: str
    average: float
    responses: int


class Rubric(TypedDict):
    average: float | None
    responses: int
    by_month: list[MonthRubric]


class Escalations(TypedDict):
    open: int
    overdue: int
    resolved: int
    by_age: dict[str, int]
    by_severity: dict[str, int]


class Scheduling(TypedDict):
    """Dates the scheduler could not book (the latest report of each running match,
    less the dates booked since) and the matches on hold now."""

    unbookable_sessions: int
    matches_affected: int
    by_reason: dict[str, int]
    paused_matches: int


class Sampling(TypedDict):
    sampled: int
    reviewed: int
    agreement_exact: float | None


class NoAudit(TypedDict):
    """The fairness figures of a program not audited yet."""

    audited_at: None
    attributes: list[AttributeRecord]
    disparities: int


class NoCoverage(TypedDict):
    """The coverage figures of a program the matcher has not reported on."""

    skills: list[str]
    waiting_mentees: int


class Health(TypedDict):
    program_id: str
    name: str | None
    as_of: str
    matching: Matching
    utilisation: Utilisation
    attendance: Attendance
    follow_up: FollowUp
    rubric: Rubric
    escalations: Escalations
    scheduling: Scheduling
    fairness: AuditRecord | NoAudit
    coverage_gaps: Coverage | NoCoverage
    qa_sampling: Sampling
    outcomes: NotRequired[dict[str, Figure]]
    """The outcome report's program-wide figures, by indicator (outcome_report.py)."""
