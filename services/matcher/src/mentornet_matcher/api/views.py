"""What the matcher's routes answer, as response models (the OpenAPI documents show them).

Answers are read-model states passed through these models, so each names every key the
state may carry; keys a state does not have yet (a match not yet ended has no
`end_cause`) are left out of the answer: routes answering a state declare
`response_model_exclude_unset=True`.
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from ..domain.documents import CandidateStatus, MatchStatus, Profile


class CandidateView(BaseModel):
    participant_id: str
    roles: dict[str, Profile] = Field(
        description="Role (mentee, mentor) to its registration, as updated since."
    )
    status: CandidateStatus
    programs: dict[str, str] | None = Field(
        default=None, description="After erasure: role to the program it was in."
    )


class ContributionView(BaseModel):
    signal: str
    contribution: float = Field(description="Weighted share of the score from this signal.")
    text: str


class PauseView(BaseModel):
    by: str = Field(description="Who paused it: coordinator, participants, qa.")
    reason: str
    paused_at: str
    resume_by: str = Field(description="When the match resumes on its own, UTC.")
    case_id: str | None = Field(default=None, description="The escalation case that paused it.")
    resumed_at: str | None = None
    resumed_by: str | None = None


class PauseRequestView(BaseModel):
    weeks: int
    reason: str
    at: str = Field(description="When it was asked; it lapses 7 days later.")


class ResumeRequestView(BaseModel):
    at: str = Field(description="When it was asked; it lapses 7 days later.")


class MatchView(BaseModel):
    match_id: str
    mentee_id: str
    mentor_id: str
    program_id: str
    score: float
    explanation: list[ContributionView]
    status: MatchStatus
    hours: float = Field(description="Monthly hours the match holds of its mentor's time.")
    proposed_at: str
    holder: str | None = Field(default=None, description="Whose load holds the place.")
    declined_by: str | None = None
    reason: str | None = None
    approved_by: str | None = None
    ended_from: MatchStatus | None = None
    failed: bool | None = Field(default=None, description="The pair did not work out.")
    end_reason: str | None = None
    end_cause: str | None = None
    fit_confirmed_by: list[str] | None = None
    format: str | None = Field(
        default=None, description="`async` when the match meets by written check-ins."
    )
    pause: PauseView | None = Field(default=None, description="While paused: the pause.")
    pause_requests: dict[str, PauseRequestView] | None = Field(
        default=None, description="Role (mentee, mentor) to their request to pause."
    )
    resume_requests: dict[str, ResumeRequestView] | None = Field(
        default=None,
        description="While the pair's own pause lasts: role to their request to end it.",
    )
    pauses: list[PauseView] | None = Field(default=None, description="Pauses taken and over.")
    signals: dict[str, float] | None = Field(
        default=None, description="Each signal's raw value for the pair, before weighting."
    )
    experiment_id: str | None = Field(
        default=None, description="The experiment whose arm the mentee is in, if any."
    )
    arm_id: str | None = None
    rule_id: str | None = Field(default=None, description="The arm's matching rule.")
    rule_version: int | None = None


class PausingView(MatchView):
    waiting_for: list[str] = Field(
        description="Who of the match has yet to ask, to pause or to end the pair's pause "
        "early (empty once done)."
    )


class WhyNotView(BaseModel):
    match_id: str
    mentor_id: str
    reason: str


class SwappedView(BaseModel):
    match_id: str
    status: MatchStatus
    mentor_id: str = Field(description="The mentor proposed instead.")


class OfferView(BaseModel):
    group: str
    matches: list[str]
    at: float


class WaitingView(BaseModel):
    mentee_id: str
    program_id: str
    reasons: list[str] = Field(description="Why no mentor could be proposed, most common first.")
    short_skills: list[str]
    waiting: bool
    offer: OfferView | None = None


class BoardView(BaseModel):
    program_id: str
    matches: list[MatchView]
    waitlisted: list[WaitingView]


class RunRequestedView(BaseModel):
    program_id: str
    requested: bool


class RunRecordView(BaseModel):
    run_id: str
    proposed: int
    waitlisted: int
    total_score: float
    lp_bound: float
    optimality_gap: float
    finished_at: str


class LatestRunView(BaseModel):
    program_id: str
    pending: bool = Field(description="Whether a run has been asked for since the last one.")
    last: RunRecordView | None


class GapView(BaseModel):
    skill_id: str
    waiting: int
    places: int
    shortfall: int


class CoverageView(BaseModel):
    program_id: str
    skills: list[GapView]
    waiting_mentees: int
    mentors_with_capacity: int
