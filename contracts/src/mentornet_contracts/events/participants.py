"""Events on mentornet.participants, keyed by participant id. Published by intake.

Names and e-mail addresses never leave intake: these events carry ids and the
attributes other services need to match, schedule and audit.
"""

from __future__ import annotations

import hashlib
import re
from enum import StrEnum
from typing import Annotated, ClassVar

from pydantic import Field

from ..event import Event
from ..registry import BOUNDED, Superseded
from .common import (
    MAX_GOALS,
    MAX_LANGUAGES,
    MAX_SKILLS,
    Availability,
    CommunicationChannel,
    Goal,
    Id,
    Label,
    LanguageCode,
    SessionFormat,
    SkillLevel,
)

PARTICIPANT_ID = Field(description="Participant id (the record key).", examples=["p-7f3a"])
PROGRAM_ID = Field(description="Program the participant joined.", examples=["prog-eng-2027"])
LANGUAGES = Field(
    description="ISO 639-1 languages the person can hold sessions in.",
    examples=[["en", "de"]],
    min_length=1,
    max_length=MAX_LANGUAGES,
)
FORMATS = Field(
    default=(),
    max_length=len(SessionFormat),
    description="Session formats the person accepts.",
    examples=[["video", "chat"]],
)
CHANNELS = Field(
    default=(),
    max_length=len(CommunicationChannel),
    description="How the person likes to be reached between sessions.",
    examples=[["slack", "email"]],
)
ORG_UNIT = Field(
    default=None, description="Org unit id, for conflict rules.", examples=["ou-platform"]
)
MANAGER = Field(
    default=None,
    description="Manager's participant or HR id, for conflict rules.",
    examples=["hr-1042"],
)
SKILLS = Field(
    max_length=MAX_SKILLS,
    description="Skills the mentor offers, with levels.",
    examples=[[{"skill_id": "python", "level": 5}]],
)
GOALS = Field(
    default=(),
    max_length=MAX_GOALS,
    description="The mentee's SMART goals.",
    examples=[[{"goal_id": "g1", "statement": "Lead a review", "target_skills": []}]],
)
IMPORT_ID = Field(
    default=None,
    description="The bulk import that registered the participant (its job id); absent"
    " for a registration on its own. The import's end is announced by import.finished on"
    " mentornet.programs, so a consumer can handle the whole pool at once.",
    examples=["imp-5c1f0e2a9d3b4e6f"],
)
MAX_EXPERTISE_AREAS = 20
ExpertiseArea = Annotated[str, Field(min_length=1, max_length=100)]


class LearningPace(StrEnum):
    RELAXED = "relaxed"
    STEADY = "steady"
    INTENSIVE = "intensive"


class _ParticipantEvent(Event):
    key_field: ClassVar[str] = "participant_id"


def person_id_of(subject: str) -> str:
    """The person id naming an identity provider subject: the subject itself when it is
    a valid id, else a stable digest of it (subjects such as `auth0|5f1c` or e-mail-like
    ones do not fit an id)."""
    if re.fullmatch(r"[A-Za-z0-9_.:-]{1,64}", subject):
        return subject
    return "sub-" + hashlib.sha256(subject.encode()).hexdigest()[:32]


PERSON_ID = Field(
    default=None,
    description="The person behind this enrolment, the same in every program they join:"
    " their identity provider subject when they registered themselves. Absent in records"
    " written before it existed: read the participant id as the person.",
    examples=["p-2f9c1a7e4b5d4c3a"],
)


class MentorRegistered(_ParticipantEvent):
    event_type: ClassVar[str] = "mentornet.mentor.registered.v2"
    participant_id: Id = PARTICIPANT_ID
    program_id: Id = PROGRAM_ID
    person_id: Id | None = PERSON_ID
    skills: tuple[SkillLevel, ...] = SKILLS
    languages: tuple[LanguageCode, ...] = LANGUAGES
    formats: tuple[SessionFormat, ...] = FORMATS
    channels: tuple[CommunicationChannel, ...] = CHANNELS
    coaching_style: Label | None = Field(
        default=None, description="Preferred coaching style.", examples=["directive"]
    )
    capacity: int | None = Field(
        default=None,
        ge=0,
        le=50,
        description="Max active mentees, overriding the program rule.",
        examples=[3],
    )
    availability: Availability | None = Field(
        default=None,
        description="When the mentor can meet.",
        examples=[{"timezone": "Europe/Berlin"}],
    )
    expertise_areas: tuple[ExpertiseArea, ...] = Field(
        default=(),
        max_length=MAX_EXPERTISE_AREAS,
        description="Areas the mentor can speak to beyond single skills.",
        examples=[["platform engineering", "career growth"]],
    )
    ideal_mentee_profile: str | None = Field(
        default=None,
        description="Who the mentor would most like to help.",
        examples=["early-career backend engineers"],
        max_length=500,
    )
    org_unit: Label | None = ORG_UNIT
    manager_id: Label | None = MANAGER
    import_id: Id | None = IMPORT_ID


class MenteeRegistered(_ParticipantEvent):
    event_type: ClassVar[str] = "mentornet.mentee.registered.v2"
    participant_id: Id = PARTICIPANT_ID
    program_id: Id = PROGRAM_ID
    person_id: Id | None = PERSON_ID
    goals: tuple[Goal, ...] = GOALS
    languages: tuple[LanguageCode, ...] = LANGUAGES
    formats: tuple[SessionFormat, ...] = FORMATS
    channels: tuple[CommunicationChannel, ...] = CHANNELS
    urgency: int | None = Field(
        default=None,
        ge=1,
        le=5,
        description="How soon help is needed, 1 (low) to 5 (now).",
        examples=[3],
    )
    availability: Availability | None = Field(
        default=None,
        description="When the mentee can meet.",
        examples=[{"timezone": "America/New_York"}],
    )
    skill_baseline: tuple[SkillLevel, ...] = Field(
        default=(),
        max_length=MAX_SKILLS,
        description="The mentee's current levels in the skills their goals target.",
        examples=[[{"skill_id": "system-design", "level": 2}]],
    )
    segment: str | None = Field(
        default=None,
        description="Segment or job-to-be-done, e.g. new manager, career switch.",
        examples=["new-manager"],
        max_length=64,
    )
    learning_pace: LearningPace | None = Field(
        default=None, description="How fast the mentee wants to move.", examples=["steady"]
    )
    preferred_style: str | None = Field(
        default=None,
        description="Coaching style the mentee prefers.",
        examples=["socratic"],
        max_length=64,
    )
    org_unit: Label | None = ORG_UNIT
    manager_id: Label | None = MANAGER
    import_id: Id | None = IMPORT_ID


class ProfileUpdated(_ParticipantEvent):
    event_type: ClassVar[str] = "mentornet.profile.updated.v2"
    participant_id: Id = PARTICIPANT_ID
    skills: tuple[SkillLevel, ...] | None = Field(
        default=None,
        max_length=MAX_SKILLS,
        description="New skills, if they changed.",
        examples=[[{"skill_id": "go", "level": 3}]],
    )
    languages: tuple[LanguageCode, ...] | None = Field(
        default=None,
        min_length=1,
        max_length=MAX_LANGUAGES,
        description="New languages.",
        examples=[["en"]],
    )
    formats: tuple[SessionFormat, ...] | None = Field(
        default=None,
        max_length=len(SessionFormat),
        description="New formats.",
        examples=[["video"]],
    )
    channels: tuple[CommunicationChannel, ...] | None = Field(
        default=None,
        max_length=len(CommunicationChannel),
        description="New channels between sessions.",
        examples=[["teams"]],
    )
    capacity: int | None = Field(
        default=None, ge=0, le=50, description="New capacity.", examples=[2]
    )


class GoalsUpdated(_ParticipantEvent):
    event_type: ClassVar[str] = "mentornet.goals.updated.v2"
    participant_id: Id = PARTICIPANT_ID
    goals: tuple[Goal, ...] = Field(
        max_length=MAX_GOALS,
        description="The mentee's goals after the change.",
        examples=[[{"goal_id": "g1", "statement": "Lead a review", "target_skills": []}]],
    )
    reason: str = Field(
        default="",
        description="Why the goals changed (a pivot).",
        examples=["moved to a platform team"],
        max_length=500,
    )


class AvailabilityUpdated(_ParticipantEvent):
    event_type: ClassVar[str] = "mentornet.availability.updated.v2"
    participant_id: Id = PARTICIPANT_ID
    availability: Availability = Field(
        description="The new availability, replacing the old.",
        examples=[{"timezone": "Asia/Tokyo"}],
    )


class ParticipantWithdrawn(_ParticipantEvent):
    event_type: ClassVar[str] = "mentornet.participant.withdrawn.v1"
    participant_id: Id = PARTICIPANT_ID
    reason: str = Field(
        default="", description="Why the person left.", examples=["changed role"], max_length=500
    )


class ParticipantErased(_ParticipantEvent):
    """Every service deletes or anonymises what it holds on this person."""

    event_type: ClassVar[str] = "mentornet.participant.erased.v1"
    participant_id: Id = PARTICIPANT_ID


class PersonLinked(_ParticipantEvent):
    """A sign-in is the same person as one a program team registered without knowing
    their subject (intake checked the sign-in's verified e-mail address): every service
    treats the first as the second. Keyed by the enrolment it was recorded on, so it
    comes before that enrolment's erasure."""

    event_type: ClassVar[str] = "mentornet.person.linked.v1"
    participant_id: Id = PARTICIPANT_ID
    person_id: Id = Field(
        description="The person the program team registered.", examples=["person-2f9c1a7e"]
    )
    signed_in_as: Id = Field(
        description="The person id of the sign-in's subject (person_id_of).",
        examples=["sub-9b3e0c5d1f2a4b6c8d0e1f2a3b4c5d6e"],
    )


EVENTS = (
    MentorRegistered,
    MenteeRegistered,
    ProfileUpdated,
    GoalsUpdated,
    AvailabilityUpdated,
    ParticipantWithdrawn,
    ParticipantErased,
    PersonLinked,
)

SUPERSEDED = (
    Superseded("mentornet.mentor.registered.v1", MentorRegistered, BOUNDED),
    Superseded("mentornet.mentee.registered.v1", MenteeRegistered, BOUNDED),
    Superseded("mentornet.profile.updated.v1", ProfileUpdated, BOUNDED),
    Superseded("mentornet.goals.updated.v1", GoalsUpdated, BOUNDED),
    Superseded("mentornet.availability.updated.v1", AvailabilityUpdated, BOUNDED),
)
