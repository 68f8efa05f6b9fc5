"""What a registration says: the bodies of POST /participants/mentees and /mentors
(and of each bulk-import row), checked as far as they can be without intake's state.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated

from mentornet_chassis.errors import Problem
from mentornet_contracts.events.audit import AuditAttribute
from mentornet_contracts.events.common import (
    MAX_GOALS,
    MAX_LANGUAGES,
    MAX_SKILLS,
    Availability,
    CommunicationChannel,
    Goal,
    Label,
    SessionFormat,
    SkillLevel,
    language_codes,
)
from mentornet_contracts.events.participants import (
    MAX_EXPERTISE_AREAS,
    ExpertiseArea,
    LearningPace,
)
from pydantic import AwareDatetime, BaseModel, ConfigDict, EmailStr, Field, field_validator

from .availability import check as check_availability

CLOCK_SKEW = timedelta(minutes=5)
FROM_THE_FUTURE = "Value error, consent cannot be accepted in the future"
"""Worded as the consent model's own check once was, so error bodies stay the same."""


def iso_639_1(languages: list[str]) -> list[str]:
    bad = [c for c in languages if c not in language_codes()]
    if bad:
        raise ValueError(f"not ISO 639-1 language codes: {', '.join(bad)}")
    return languages


class Consent(BaseModel):
    """Data-use consent: required to register."""

    model_config = ConfigDict(extra="forbid")

    version: str = Field(min_length=1, max_length=32, description="Consent text version.")
    accepted_at: AwareDatetime = Field(description="When the person accepted it.")
    """Not in the future: checked where "now" is known (consents_from_the_future)."""


LanguageInput = Annotated[str, Field(min_length=1, max_length=16)]
"""A language as typed: checked against ISO 639-1 by `iso_639_1`, with that reason."""
AUDIT_ATTRIBUTES = tuple(attribute.value for attribute in AuditAttribute)
AttributeName = Annotated[str, Field(min_length=1, max_length=32)]


class Diversity(BaseModel):
    """Self-identified group attributes; stored and shared only with this consent."""

    model_config = ConfigDict(extra="forbid")

    consent: Consent
    attributes: dict[AttributeName, Label] = Field(
        max_length=len(AuditAttribute), description=f"Keys from: {', '.join(AUDIT_ATTRIBUTES)}"
    )

    @field_validator("attributes")
    @classmethod
    def _known(cls, attributes: dict[str, str]) -> dict[str, str]:
        unknown = sorted(set(attributes) - set(AUDIT_ATTRIBUTES))
        if unknown:
            raise ValueError(
                f"unknown attribute(s) {', '.join(unknown)}; allowed: {', '.join(AUDIT_ATTRIBUTES)}"
            )
        if any(not value.strip() or len(value) > 64 for value in attributes.values()):
            raise ValueError("each value must be 1 to 64 characters")
        return attributes


class _Registration(BaseModel):
    model_config = ConfigDict(extra="forbid")

    program_id: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.:-]+$")
    person_id: str | None = Field(
        default=None,
        min_length=1,
        max_length=255,
        description="The person's identity provider subject, when the program team knows"
        " it (so the person signs in as themself at once). Someone registering themself"
        " is their own token's subject.",
    )
    display_name: str = Field(min_length=1, max_length=200)
    email: EmailStr
    consent: Consent
    languages: list[LanguageInput] = Field(
        min_length=1, max_length=MAX_LANGUAGES, description="ISO 639-1 codes, e.g. en"
    )
    formats: list[SessionFormat] = Field(default_factory=list, max_length=len(SessionFormat))
    channels: list[CommunicationChannel] = Field(
        default_factory=list,
        max_length=len(CommunicationChannel),
        description="How to reach the person between sessions.",
    )
    availability: Availability | None = None
    org_unit: str | None = Field(default=None, max_length=64)
    manager_id: str | None = Field(default=None, max_length=64)
    level: str | None = Field(default=None, max_length=32, description="Job level.")
    diversity: Diversity | None = Field(
        default=None, description="Optional; only with explicit consent (docs/privacy.md)."
    )

    @field_validator("languages")
    @classmethod
    def _iso_639_1(cls, languages: list[str]) -> list[str]:
        return iso_639_1(languages)

    @field_validator("availability")
    @classmethod
    def _availability(cls, value: Availability | None) -> Availability | None:
        return check_availability(value) if value is not None else None


class MenteeRegistration(_Registration):
    """The body of POST /participants/mentees."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "program_id": "prog-3f9c2a71b8d4",
                    "display_name": "Amara Okafor",
                    "email": "amara.okafor@example.org",
                    "consent": {"version": "2026-10", "accepted_at": "2026-11-02T08:30:00Z"},
                    "languages": ["en", "fr"],
                    "formats": ["video", "in_person"],
                    "channels": ["email", "slack"],
                    "availability": {
                        "timezone": "Europe/London",
                        "weekly": [
                            {"weekday": "tue", "start": "09:00", "end": "11:30", "preferred": True},
                            {"weekday": "thu", "start": "14:00", "end": "16:00"},
                        ],
                    },
                    "org_unit": "payments",
                    "level": "L3",
                    "goals": [
                        {
                            "goal_id": "g1",
                            "statement": "Lead a design review for the payments API",
                            "target_skills": [
                                {"skill_id": "system-design", "level": 3},
                                {"skill_id": "public-speaking", "level": 3},
                            ],
                            "measurable_outcome": "One review led, with written feedback from"
                            " two staff engineers",
                            "target_date": "2030-09-30",
                            "milestones": [
                                {
                                    "milestone_id": "m1",
                                    "statement": "Shadow two design reviews",
                                    "due_date": "2030-05-31",
                                },
                                {
                                    "milestone_id": "m2",
                                    "statement": "Present the draft design to my own team",
                                    "due_date": "2030-07-31",
                                },
                            ],
                        }
                    ],
                    "skill_baseline": [
                        {"skill_id": "system-design", "level": 2},
                        {"skill_id": "public-speaking", "level": 2},
                        {"skill_id": "python", "level": 4},
                    ],
                    "urgency": 3,
                    "learning_pace": "steady",
                    "preferred_style": "hands-on",
                }
            ]
        }
    )

    goals: list[Goal] = Field(default_factory=list, max_length=MAX_GOALS)
    skill_baseline: list[SkillLevel] = Field(default_factory=list, max_length=MAX_SKILLS)
    segment: str | None = Field(default=None, max_length=64)
    urgency: int | None = Field(default=None, ge=1, le=5)
    learning_pace: LearningPace | None = None
    preferred_style: str | None = Field(default=None, max_length=64)


class MentorRegistration(_Registration):
    """The body of POST /participants/mentors."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "program_id": "prog-3f9c2a71b8d4",
                    "display_name": "Priya Raman",
                    "email": "priya.raman@example.org",
                    "consent": {"version": "2026-10", "accepted_at": "2026-10-28T16:05:00Z"},
                    "languages": ["en", "ta"],
                    "formats": ["video", "chat"],
                    "channels": ["slack", "email"],
                    "availability": {
                        "timezone": "Asia/Kolkata",
                        "weekly": [
                            {"weekday": "wed", "start": "16:00", "end": "18:00", "preferred": True}
                        ],
                        "exceptions": [
                            {
                                "start_date": "2030-12-22",
                                "end_date": "2031-01-02",
                                "reason": "leave",
                            }
                        ],
                    },
                    "org_unit": "platform",
                    "level": "staff",
                    "skills": [
                        {"skill_id": "system-design", "level": 5},
                        {"skill_id": "python", "level": 4},
                        {"skill_id": "stakeholder-management", "level": 4},
                    ],
                    "expertise_areas": ["platform engineering", "career growth"],
                    "coaching_style": "socratic",
                    "capacity": 2,
                    "ideal_mentee_profile": "Mid-level backend engineers preparing for a senior"
                    " role",
                }
            ]
        }
    )

    skills: list[SkillLevel] = Field(min_length=1, max_length=MAX_SKILLS)
    expertise_areas: list[ExpertiseArea] = Field(
        default_factory=list, max_length=MAX_EXPERTISE_AREAS
    )
    coaching_style: str | None = Field(default=None, max_length=64)
    capacity: int | None = Field(default=None, ge=0, le=50)
    ideal_mentee_profile: str | None = Field(default=None, max_length=500)


def consents_from_the_future(body: _Registration, now: datetime) -> list[Problem]:
    """Consents dated later than `now` allows (give or take CLOCK_SKEW), each by its
    place in the body: checked where "now" is known (usecases/registrar.py, bulk.py)."""
    dated = {"consent.accepted_at": body.consent.accepted_at}
    if body.diversity is not None:
        dated["diversity.consent.accepted_at"] = body.diversity.consent.accepted_at
    return [
        {"field": field, "reason": FROM_THE_FUTURE}
        for field, moment in dated.items()
        if moment > now + CLOCK_SKEW
    ]
