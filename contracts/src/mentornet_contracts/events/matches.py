"""Events on mentornet.matches, keyed by mentee id. Published by the matcher.

One mentee's proposals, decisions and endings share a partition, so they stay in
order. Only coverage.gap.reported, which concerns a whole program, is keyed by
program id. Explanations carry signals and numbers, never names.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, ClassVar

from pydantic import AwareDatetime, Field

from ..event import Event
from ..registry import BOUNDED, Superseded
from .common import MAX_GOAL_SKILLS, MAX_GOALS, Id, SessionFormat, Value
from .programs import MatchingSignal

MATCH_ID = Field(description="Match id.", examples=["m-51c0"])
MENTEE_ID = Field(description="Mentee's participant id (the record key).", examples=["p-7f3a"])
MENTOR_ID = Field(description="Mentor's participant id.", examples=["p-22b9"])
PROGRAM_ID = Field(description="Program the match belongs to.", examples=["prog-eng-2027"])
MAX_EXPLANATION = 20
MAX_GAP_SKILLS = 500
"""Skills one coverage gap names: the most-needed first when more are short."""


class Decider(StrEnum):
    """Who accepted or declined a proposal."""

    MENTEE = "mentee"
    MENTOR = "mentor"
    COORDINATOR = "coordinator"


class MatchEndReason(StrEnum):
    COMPLETED = "completed"
    REMATCHED = "rematched"
    WITHDRAWN = "withdrawn"
    STALLED = "stalled"
    OTHER = "other"


class EndCause(StrEnum):
    """What set off the end of a match the matcher ended itself."""

    PARTICIPANT_WITHDRAWN = "participant_withdrawn"
    PARTICIPANT_ERASED = "participant_erased"
    MENTOR_CAPACITY_REDUCED = "mentor_capacity_reduced"
    AVAILABILITY_CHANGED = "availability_changed"
    FIT_CHECK_FAILED = "fit_check_failed"
    ESCALATION = "escalation"
    OPTION_NOT_PICKED = "option_not_picked"
    SESSIONS_COMPLETED = "sessions_completed"


class PauseActor(StrEnum):
    """Who paused or resumed a match."""

    COORDINATOR = "coordinator"
    PARTICIPANTS = "participants"
    """Both people of the match asked for it."""
    QA = "qa"
    """An escalation case's pause step."""
    SCHEDULE = "schedule"
    """The pause reached the end its requester gave (resume only)."""


MAX_PAUSE_REASON = 500


class WaitlistReason(StrEnum):
    NO_SKILL_MATCH = "no_skill_match"
    NO_CAPACITY = "no_capacity"
    NO_AVAILABILITY_OVERLAP = "no_availability_overlap"
    NO_SHARED_LANGUAGE = "no_shared_language"
    CONFLICT_RULES = "conflict_rules"
    ALL_PROPOSALS_DECLINED = "all_proposals_declined"


class ScoreContribution(Value):
    signal: str = Field(
        min_length=1, max_length=64, description="Matching signal.", examples=["skills"]
    )
    contribution: float = Field(
        ge=-1, le=1, description="Weighted share of the score from this signal.", examples=[0.32]
    )
    text: str = Field(
        max_length=300,
        description="Why, in plain words and without names.",
        examples=["Mentor is two levels above the goal in system design"],
    )


SignalValue = Annotated[float, Field(ge=0, le=1)]


class _MatchEvent(Event):
    key_field: ClassVar[str] = "mentee_id"


class MatchProposed(_MatchEvent):
    event_type: ClassVar[str] = "mentornet.match.proposed.v2"
    match_id: Id = MATCH_ID
    mentee_id: Id = MENTEE_ID
    mentor_id: Id = MENTOR_ID
    program_id: Id = PROGRAM_ID
    score: float = Field(ge=0, le=1, description="Overall match score.", examples=[0.82])
    explanation: tuple[ScoreContribution, ...] = Field(
        max_length=MAX_EXPLANATION,
        description="The score broken down by signal.",
        examples=[[{"signal": "skills", "contribution": 0.32, "text": "Strong skill fit"}]],
    )
    signals: dict[MatchingSignal, SignalValue] = Field(
        default_factory=dict,
        description="Each signal's raw value for the pair, in [0, 1], before weighting "
        "(what weight calibration fits outcomes to).",
        examples=[{"skills": 0.8, "availability": 1.0}],
    )
    experiment_id: Id | None = Field(
        default=None,
        description="The experiment whose arm the mentee is in, if any.",
        examples=["exp-skills-first"],
    )
    arm_id: Id | None = Field(
        default=None, description="The mentee's arm in that experiment.", examples=["b"]
    )
    rule_id: Id | None = Field(
        default=None,
        description="The matching rule scored with (none: the program's weights).",
        examples=["skills-first"],
    )
    rule_version: int | None = Field(
        default=None, ge=1, description="That rule's version.", examples=[1]
    )


class MatchAccepted(_MatchEvent):
    """One party accepted; the match is confirmed once every required party has."""

    event_type: ClassVar[str] = "mentornet.match.accepted.v1"
    match_id: Id = MATCH_ID
    mentee_id: Id = MENTEE_ID
    by: Decider = Field(description="Who accepted.", examples=["mentee"])


class MatchDeclined(_MatchEvent):
    event_type: ClassVar[str] = "mentornet.match.declined.v1"
    match_id: Id = MATCH_ID
    mentee_id: Id = MENTEE_ID
    by: Decider = Field(description="Who declined.", examples=["mentor"])
    reason: str = Field(
        default="",
        max_length=500,
        description="Why, without names.",
        examples=["no overlap in availability"],
    )


class MatchConfirmed(_MatchEvent):
    """The match is active: the scheduler books its kickoff."""

    event_type: ClassVar[str] = "mentornet.match.confirmed.v1"
    match_id: Id = MATCH_ID
    mentee_id: Id = MENTEE_ID
    mentor_id: Id = MENTOR_ID
    program_id: Id = PROGRAM_ID
    format: SessionFormat | None = Field(
        default=None,
        description="`async` when the match meets by written check-ins (the program's "
        "format, or the only format both people accept); none for live sessions.",
        examples=["async"],
    )


class MatchPaused(_MatchEvent):
    """The match is on hold: no sessions are held or booked and nothing counts as a
    stall until it resumes, at `resume_by` at the latest."""

    event_type: ClassVar[str] = "mentornet.match.paused.v1"
    match_id: Id = MATCH_ID
    mentee_id: Id = MENTEE_ID
    mentor_id: Id = MENTOR_ID
    program_id: Id = PROGRAM_ID
    by: PauseActor = Field(description="Who paused it.", examples=["coordinator"])
    reason: str = Field(
        min_length=1,
        max_length=MAX_PAUSE_REASON,
        description="Why, in plain words.",
        examples=["mentee on a product launch until March"],
    )
    paused_at: AwareDatetime = Field(
        description="When the pause began, UTC.", examples=["2027-02-01T09:00:00Z"]
    )
    resume_by: AwareDatetime = Field(
        description="When the match resumes on its own, UTC.", examples=["2027-03-01T09:00:00Z"]
    )
    case_id: Id | None = Field(
        default=None,
        description="The escalation case whose pause step this is.",
        examples=["esc-3f1a9c0d2b4e6f80"],
    )


class MatchResumed(_MatchEvent):
    """The pause is over: the scheduler plans the rest of the series again."""

    event_type: ClassVar[str] = "mentornet.match.resumed.v1"
    match_id: Id = MATCH_ID
    mentee_id: Id = MENTEE_ID
    mentor_id: Id = MENTOR_ID
    program_id: Id = PROGRAM_ID
    by: PauseActor = Field(description="Who resumed it.", examples=["schedule"])
    resumed_at: AwareDatetime = Field(
        description="When it resumed, UTC.", examples=["2027-03-01T09:00:00Z"]
    )


class MatchEnded(_MatchEvent):
    event_type: ClassVar[str] = "mentornet.match.ended.v1"
    match_id: Id = MATCH_ID
    mentee_id: Id = MENTEE_ID
    mentor_id: Id = MENTOR_ID
    program_id: Id = PROGRAM_ID
    reason: MatchEndReason = Field(description="Why the match ended.", examples=["completed"])
    detail: str = Field(
        default="", max_length=500, description="More on the reason.", examples=["goals met"]
    )
    cause: EndCause | None = Field(
        default=None,
        description="What set it off, when the matcher ended the match itself.",
        examples=["fit_check_failed"],
    )


class MenteeWaitlisted(_MatchEvent):
    event_type: ClassVar[str] = "mentornet.mentee.waitlisted.v2"
    mentee_id: Id = MENTEE_ID
    program_id: Id = PROGRAM_ID
    reasons: tuple[WaitlistReason, ...] = Field(
        min_length=1,
        max_length=len(WaitlistReason),
        description="Why no match could be proposed.",
        examples=[["no_capacity", "no_shared_language"]],
    )
    short_skills: tuple[Id, ...] = Field(
        default=(),
        max_length=MAX_GOALS * MAX_GOAL_SKILLS,
        description="Goal skills that no mentor with room offers at the level needed.",
        examples=[["rust"]],
    )


class CoverageGapReported(_MatchEvent):
    """Too few mentors for some skills in a program. Keyed by program id, not mentee id."""

    event_type: ClassVar[str] = "mentornet.coverage.gap.reported.v2"
    key_field: ClassVar[str] = "program_id"
    program_id: Id = Field(description="Program id (the record key).", examples=["prog-eng-2027"])
    skill_ids: tuple[Id, ...] = Field(
        min_length=1,
        max_length=MAX_GAP_SKILLS,
        description="Skills that waiting mentees need and no mentor can offer, the "
        "most-needed first.",
        examples=[["system-design", "rust"]],
    )
    waiting_mentees: int = Field(
        ge=0, description="Mentees waitlisted for lack of these skills.", examples=[9]
    )
    mentors_with_capacity: int = Field(
        ge=0, description="Mentors in the program with free capacity.", examples=[2]
    )


class CoverageGapClosed(_MatchEvent):
    """The program's last skill gaps are covered: no waiting mentee lacks a mentor for
    a skill any more. Keyed by program id, like coverage.gap.reported."""

    event_type: ClassVar[str] = "mentornet.coverage.gap.closed.v1"
    key_field: ClassVar[str] = "program_id"
    program_id: Id = Field(description="Program id (the record key).", examples=["prog-eng-2027"])


EVENTS = (
    MatchProposed,
    MatchAccepted,
    MatchDeclined,
    MatchConfirmed,
    MatchEnded,
    MatchPaused,
    MatchResumed,
    MenteeWaitlisted,
    CoverageGapReported,
    CoverageGapClosed,
)
SUPERSEDED = (
    Superseded("mentornet.match.proposed.v1", MatchProposed, BOUNDED),
    Superseded("mentornet.mentee.waitlisted.v1", MenteeWaitlisted, BOUNDED),
    Superseded("mentornet.coverage.gap.reported.v1", CoverageGapReported, BOUNDED),
)
