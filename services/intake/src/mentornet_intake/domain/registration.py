"""Registering participants: what intake keeps, and the facts it publishes.

Names and e-mail addresses stay in intake's state; the published events carry only ids
and the attributes other services need. One person may hold both roles: registering the
second role adds it to the same participant.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

from mentornet_contracts.events.audit import AuditAttribute, AuditGroupsRecorded
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
    MenteeRegistered,
    MentorRegistered,
)
from pydantic import AwareDatetime, BaseModel, ConfigDict, EmailStr, Field, field_validator

from .availability import check as check_availability
from .taxonomy import Taxonomy, UnknownSkillError

CLOCK_SKEW = timedelta(minutes=5)


class RegistrationConflict(Exception):
    """Valid input that clashes with what intake holds (HTTP 409)."""


class AlreadyRegistered(RegistrationConflict):
    """This e-mail already holds this role in the program (an import skips the row)."""


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

    @field_validator("accepted_at")
    @classmethod
    def _not_in_future(cls, moment: datetime) -> datetime:
        if moment > datetime.now(UTC) + CLOCK_SKEW:
            raise ValueError("consent cannot be accepted in the future")
        return moment


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

    goals: list[Goal] = Field(default_factory=list, max_length=MAX_GOALS)
    skill_baseline: list[SkillLevel] = Field(default_factory=list, max_length=MAX_SKILLS)
    segment: str | None = Field(default=None, max_length=64)
    urgency: int | None = Field(default=None, ge=1, le=5)
    learning_pace: LearningPace | None = None
    preferred_style: str | None = Field(default=None, max_length=64)


class MentorRegistration(_Registration):
    """The body of POST /participants/mentors."""

    skills: list[SkillLevel] = Field(min_length=1, max_length=MAX_SKILLS)
    expertise_areas: list[ExpertiseArea] = Field(
        default_factory=list, max_length=MAX_EXPERTISE_AREAS
    )
    coaching_style: str | None = Field(default=None, max_length=64)
    capacity: int | None = Field(default=None, ge=0, le=50)
    ideal_mentee_profile: str | None = Field(default=None, max_length=500)


PERSONAL = ("display_name", "email", "consent", "consents", "level", "diversity")


def new_participant_id() -> str:
    return f"p-{uuid.uuid4().hex[:16]}"


def email_key(program_id: str, email: str) -> str:
    """One person per e-mail address and program."""
    return f"{program_id}:{email.strip().lower()}"


def _event_fields(
    request: _Registration, participant_id: str, person_id: str | None
) -> dict[str, Any]:
    fields = request.model_dump(exclude=set(PERSONAL))
    return {**fields, "participant_id": participant_id, "person_id": person_id}


def register(
    current: dict[str, Any] | None,
    request: MenteeRegistration | MentorRegistration,
    participant_id: str,
    person_id: str | None = None,
) -> tuple[dict[str, Any], MenteeRegistered | MentorRegistered]:
    """The new participant state and the event. A second role joins the same person:
    their name, e-mail and level stay as first given (whoever registers the new role),
    and the consent given for each role is kept with it. `person_id`: the person behind
    this enrolment (people.py); an enrolment keeps the person it was first given."""
    role = "mentee" if isinstance(request, MenteeRegistration) else "mentor"
    if current is not None and current.get("status") != "active":
        raise RegistrationConflict(
            f"this e-mail belongs to a participant who is {current.get('status')} in this "
            "program; they cannot take a new role"
        )
    if current is not None and role in current["roles"]:
        raise AlreadyRegistered(f"already registered as {role} in this program")
    person_id = (current or {}).get("person_id") or person_id
    fields = _event_fields(request, participant_id, person_id)
    event = MenteeRegistered(**fields) if role == "mentee" else MentorRegistered(**fields)
    state: dict[str, Any] = (
        dict(current)
        if current
        else {
            "participant_id": participant_id,
            "program_id": request.program_id,
            "status": "active",
            "roles": [],
            "profiles": {},
            "email_key": email_key(request.program_id, str(request.email)),
        }
    )
    if person_id is not None:
        state["person_id"] = person_id
    if request.diversity is not None:
        state["diversity"] = request.diversity.model_dump(mode="json")
    consent = request.consent.model_dump(mode="json")
    if current is None:
        state.update(
            display_name=request.display_name,
            email=str(request.email),
            consent=consent,
            level=request.level,
        )
    state["consents"] = {**state.get("consents", {}), role: consent}
    state["roles"] = sorted({*state["roles"], role})
    state["profiles"] = {**state["profiles"], role: event.model_dump(mode="json")}
    return state, event


def audit_groups(state: dict[str, Any]) -> AuditGroupsRecorded | None:
    """The consent-gated attributes QA's fairness audit reads, if the person consented."""
    diversity = state.get("diversity")
    if not diversity:
        return None
    return AuditGroupsRecorded(
        participant_id=state["participant_id"],
        program_id=state["program_id"],
        groups=diversity["attributes"],
    )


class SkillError(ValueError):
    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


def canonical_skills(levels: list[SkillLevel], taxonomy: Taxonomy, path: str) -> list[SkillLevel]:
    result = []
    for index, level in enumerate(levels):
        field = f"{path}.{index}.skill_id"
        try:
            skill = taxonomy.resolve(level.skill_id)
        except UnknownSkillError as exc:
            raise SkillError(field, str(exc)) from None
        if skill.deprecated:
            raise SkillError(field, f"skill {skill.id!r} is deprecated")
        result.append(level.model_copy(update={"skill_id": skill.id}))
    return result


def canonical_goals(goals: list[Goal], taxonomy: Taxonomy) -> list[Goal]:
    return [
        goal.model_copy(
            update={
                "target_skills": tuple(
                    canonical_skills(list(goal.target_skills), taxonomy, f"goals.{i}.target_skills")
                )
            }
        )
        for i, goal in enumerate(goals)
    ]


def with_canonical_skills(
    request: MenteeRegistration | MentorRegistration, taxonomy: Taxonomy
) -> MenteeRegistration | MentorRegistration:
    """Aliases become taxonomy ids; an unknown or deprecated skill names its field."""
    if isinstance(request, MentorRegistration):
        return request.model_copy(
            update={"skills": canonical_skills(request.skills, taxonomy, "skills")}
        )
    return request.model_copy(
        update={
            "goals": canonical_goals(request.goals, taxonomy),
            "skill_baseline": canonical_skills(request.skill_baseline, taxonomy, "skill_baseline"),
        }
    )
