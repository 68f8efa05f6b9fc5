"""Registering a participant: what intake keeps, and the fact it publishes.

Name and e-mail stay in intake's state; the published event carries only ids and
the attributes other services need.
"""

from __future__ import annotations

import uuid
from typing import Any

from mentornet_contracts.events.common import Availability, Goal, SessionFormat
from mentornet_contracts.events.participants import MenteeRegistered
from pydantic import BaseModel, ConfigDict, EmailStr, Field, field_validator

LANGUAGE_PATTERN = r"^[a-z]{2}$"


class MenteeRegistration(BaseModel):
    """The body of POST /participants/mentees."""

    model_config = ConfigDict(extra="forbid")

    program_id: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.:-]+$")
    display_name: str = Field(min_length=1, max_length=200)
    email: EmailStr
    languages: list[str] = Field(min_length=1, description="ISO 639-1 codes, e.g. en")
    formats: list[SessionFormat] = Field(default_factory=list)
    goals: list[Goal] = Field(default_factory=list)
    urgency: int | None = Field(default=None, ge=1, le=5)
    availability: Availability | None = None
    org_unit: str | None = Field(default=None, max_length=64)
    manager_id: str | None = Field(default=None, max_length=64)

    @field_validator("languages")
    @classmethod
    def _iso_639_1(cls, languages: list[str]) -> list[str]:
        bad = [
            code for code in languages if len(code) != 2 or not code.isalpha() or not code.islower()
        ]
        if bad:
            raise ValueError(f"not ISO 639-1 language codes: {', '.join(bad)}")
        return languages


def new_participant_id() -> str:
    return f"p-{uuid.uuid4().hex[:16]}"


def email_key(program_id: str, email: str) -> str:
    """One registration per e-mail address and program."""
    return f"{program_id}:{email.strip().lower()}"


def register_mentee(
    request: MenteeRegistration, participant_id: str
) -> tuple[dict[str, Any], MenteeRegistered]:
    event = MenteeRegistered(
        participant_id=participant_id,
        program_id=request.program_id,
        goals=tuple(request.goals),
        languages=tuple(request.languages),
        formats=tuple(request.formats),
        urgency=request.urgency,
        availability=request.availability,
        org_unit=request.org_unit,
        manager_id=request.manager_id,
    )
    state = {
        "participant_id": participant_id,
        "roles": ["mentee"],
        "status": "active",
        "display_name": request.display_name,
        "email": str(request.email),
        "email_key": email_key(request.program_id, str(request.email)),
        "profile": event.model_dump(mode="json"),
    }
    return state, event
