"""What QA's outcome routes answer: the outcome report (domain/outcome_report.py) and
an answered invitation to mentor."""

from __future__ import annotations

from pydantic import BaseModel, Field


class FigureView(BaseModel):
    indicator: str = Field(description="What is measured (docs/outcomes.md).")
    statistic: str = Field(description="`mean`, `median` or `proportion`.")
    n: int | None = Field(description="Sample size behind the figure; null when hidden.")
    value: float | None = Field(description="The figure; null when suppressed or unknown.")
    ci_low: float | None = Field(description="95% interval, lower end.")
    ci_high: float | None = Field(description="95% interval, upper end.")
    suppressed: str | None = Field(description="Why the figure is not shown, if it is not.")
    reasons: dict[str, int] | None = Field(
        default=None, description="Early closures by reason code (early_closure_rate)."
    )


class GroupView(BaseModel):
    group: str
    mentees: int | None = Field(description="Mentees in the group; null when hidden.")
    suppressed: str | None
    indicators: list[FigureView]


class OutcomeReportView(BaseModel):
    program_id: str
    by: str = Field(description="program, cohort, segment or a fairness audit attribute.")
    outcome_measures: list[str] = Field(description="The outcomes the program collects.")
    min_group: int
    confidence: float
    note: str | None = Field(description="What the split could not use, e.g. no cohorts.")
    groups: list[GroupView]


class InvitationView(BaseModel):
    program_id: str
    participant_id: str
    accepted: bool
    invited_at: str
    answered_at: str
