"""Value types shared by several event families."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from functools import cache
from importlib.resources import files
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

Id = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.:-]+$")]
LanguageCode = Annotated[str, Field(min_length=2, max_length=2, pattern=r"^[a-z]{2}$")]
"""An ISO 639-1 code (intake checks it is a real one)."""
Label = Annotated[str, Field(min_length=1, max_length=64)]
"""A short free-text value: an org unit, a coaching style, a group."""
Subject = Annotated[str, Field(min_length=1, max_length=255)]
"""An account id: the identity provider's token subject."""

MAX_LANGUAGES = 20
MAX_SKILLS = 50
MAX_GOALS = 10
MAX_GOAL_SKILLS = 20
MAX_WEEKLY_WINDOWS = 50
MAX_EXCEPTIONS = 100
MAX_MILESTONES = 10


class Value(BaseModel):
    """A nested value inside an event: immutable and strict like the event itself."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class Role(StrEnum):
    MENTOR = "mentor"
    MENTEE = "mentee"


class SessionFormat(StrEnum):
    VIDEO = "video"
    IN_PERSON = "in_person"
    CHAT = "chat"
    ASYNC = "async"


class CommunicationChannel(StrEnum):
    """How a person likes to be reached between sessions."""

    EMAIL = "email"
    SLACK = "slack"
    TEAMS = "teams"
    GOOGLE_CHAT = "google_chat"
    PHONE = "phone"
    SMS = "sms"


@cache
def language_codes() -> frozenset[str]:
    """ISO 639-1 language codes: what `languages` fields hold."""
    text = files("mentornet_contracts").joinpath("data/iso-639-1.txt").read_text("utf-8")
    return frozenset(line for line in text.split() if not line.startswith("#") and len(line) == 2)


class Weekday(StrEnum):
    MON = "mon"
    TUE = "tue"
    WED = "wed"
    THU = "thu"
    FRI = "fri"
    SAT = "sat"
    SUN = "sun"


class WeeklyWindow(Value):
    weekday: Weekday = Field(
        description="Day of the week, in the person's time zone.", examples=["tue"]
    )
    start: str = Field(
        description="Local start time, HH:MM (24 h).",
        examples=["09:00"],
        max_length=5,
        pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$",
    )
    end: str = Field(
        description="Local end time, HH:MM (24 h), after start.",
        examples=["11:30"],
        max_length=5,
        pattern=r"^([01][0-9]|2[0-4]):[0-5][0-9]$",
    )
    preferred: bool = Field(
        default=False,
        description="A time the person would rather meet in; the scheduler tries these first.",
        examples=[True],
    )


class DatedException(Value):
    start_date: date = Field(
        description="First day the person is unavailable.", examples=["2026-12-21"]
    )
    end_date: date = Field(
        description="Last day the person is unavailable (inclusive).", examples=["2027-01-03"]
    )
    reason: str = Field(
        default="leave",
        description="Why: leave, busy week, travel.",
        examples=["leave"],
        max_length=200,
    )


class Availability(Value):
    timezone: str = Field(
        description="IANA time zone name of the person.",
        examples=["Europe/Berlin"],
        min_length=1,
        max_length=64,
    )
    weekly: tuple[WeeklyWindow, ...] = Field(
        default=(),
        max_length=MAX_WEEKLY_WINDOWS,
        description="Recurring weekly windows in the person's time zone.",
        examples=[[{"weekday": "tue", "start": "09:00", "end": "11:30"}]],
    )
    exceptions: tuple[DatedException, ...] = Field(
        default=(),
        max_length=MAX_EXCEPTIONS,
        description="Dated periods when the weekly windows do not apply.",
        examples=[[{"start_date": "2026-12-21", "end_date": "2027-01-03", "reason": "leave"}]],
    )


class SkillLevel(Value):
    skill_id: Id = Field(description="Taxonomy skill id.", examples=["python"])
    level: int = Field(
        ge=1, le=5, description="Proficiency from 1 (novice) to 5 (expert).", examples=[4]
    )


class Milestone(Value):
    """A step towards a goal, with the date it is due."""

    milestone_id: Id = Field(description="Milestone id, unique within the goal.", examples=["m1"])
    statement: str = Field(
        min_length=1,
        max_length=300,
        description="What is done when the milestone is reached.",
        examples=["Shadow two design reviews"],
    )
    due_date: date = Field(description="When it is due.", examples=["2027-01-31"])


class Goal(Value):
    goal_id: Id = Field(description="Goal id, unique within the mentee.", examples=["g1"])
    statement: str = Field(
        description="The SMART goal in the mentee's words.",
        examples=["Lead a design review for my team by March"],
        min_length=1,
        max_length=500,
    )
    target_skills: tuple[SkillLevel, ...] = Field(
        max_length=MAX_GOAL_SKILLS,
        description="Skills the goal needs and the level it needs them at.",
        examples=[[{"skill_id": "system-design", "level": 3}]],
    )
    measurable_outcome: str = Field(
        default="",
        description="How success will be measured.",
        examples=["Two reviews led with positive feedback"],
        max_length=500,
    )
    target_date: date | None = Field(
        default=None, description="When the goal should be met.", examples=["2027-03-31"]
    )
    milestones: tuple[Milestone, ...] = Field(
        default=(),
        max_length=MAX_MILESTONES,
        description="Steps towards the goal, each with its due date (intake requires at least "
        "one for a new goal; goals recorded before milestones existed have none).",
        examples=[
            [{"milestone_id": "m1", "statement": "Shadow two reviews", "due_date": "2027-01-31"}]
        ],
    )


class RubricDimension(StrEnum):
    """The session rubric: each dimension is scored 1 (poor) to 5 (excellent)."""

    RELEVANCE = "relevance"
    CLARITY = "clarity"
    SPECIFICITY = "specificity"
    ACCOUNTABILITY = "accountability"
    CONFIDENCE_GAIN = "confidence_gain"


RubricScore = Annotated[int, Field(ge=1, le=5)]
RubricScores = dict[RubricDimension, RubricScore]
"""Rubric scores by dimension; shared by feedback surveys and QA reviews."""
RUBRIC_EXAMPLE = {
    "relevance": 4,
    "clarity": 5,
    "specificity": 3,
    "accountability": 4,
    "confidence_gain": 4,
}
