"""Changing a registered person: profile, goals (mentees) and availability.

Shared attributes (languages, formats, channels, availability) change in every role the person
holds; skills and capacity belong to the mentor role, goals to the mentee role.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from mentornet_contracts.events.common import (
    MAX_GOALS,
    MAX_LANGUAGES,
    MAX_SKILLS,
    Availability,
    CommunicationChannel,
    Goal,
    SessionFormat,
    SkillLevel,
)
from mentornet_contracts.events.participants import (
    AvailabilityUpdated,
    GoalsUpdated,
    ProfileUpdated,
)
from pydantic import BaseModel, ConfigDict, Field, field_validator

from .availability import check as check_availability
from .forms import LanguageInput, iso_639_1
from .participant import ParticipantState, ParticipantStatus
from .registration import RegistrationConflict

MENTOR_ONLY = ("skills", "capacity")


class ProfilePatch(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "languages": ["en", "es"],
                    "formats": ["video", "chat"],
                    "channels": ["email", "teams"],
                }
            ]
        },
    )

    languages: list[LanguageInput] | None = Field(
        default=None, min_length=1, max_length=MAX_LANGUAGES
    )
    formats: list[SessionFormat] | None = Field(default=None, max_length=len(SessionFormat))
    channels: list[CommunicationChannel] | None = Field(
        default=None, max_length=len(CommunicationChannel)
    )
    skills: list[SkillLevel] | None = Field(default=None, min_length=1, max_length=MAX_SKILLS)
    capacity: int | None = Field(default=None, ge=0, le=50)

    @field_validator("languages")
    @classmethod
    def _iso_639_1(cls, languages: list[str] | None) -> list[str] | None:
        return None if languages is None else iso_639_1(languages)


class GoalsChange(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "goals": [
                        {
                            "goal_id": "g2",
                            "statement": "Run my team's on-call rotation with confidence",
                            "target_skills": [
                                {"skill_id": "incident-management", "level": 3},
                                {"skill_id": "observability", "level": 3},
                            ],
                            "measurable_outcome": "Lead three incident reviews and cut pages"
                            " without an owner to zero",
                            "target_date": "2030-12-15",
                            "milestones": [
                                {
                                    "milestone_id": "m1",
                                    "statement": "Shadow a senior on-call engineer for a week",
                                    "due_date": "2030-06-30",
                                },
                                {
                                    "milestone_id": "m2",
                                    "statement": "Lead my first incident review",
                                    "due_date": "2030-09-30",
                                },
                            ],
                        }
                    ],
                    "reason": "I moved to the SRE team; API design is no longer my focus.",
                }
            ]
        },
    )

    goals: list[Goal] = Field(max_length=MAX_GOALS)
    reason: str = Field(default="", max_length=500, description="Why the goals changed.")


class AvailabilityChange(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "availability": {
                        "timezone": "America/New_York",
                        "weekly": [
                            {"weekday": "mon", "start": "12:00", "end": "13:00"},
                            {"weekday": "thu", "start": "15:30", "end": "17:00", "preferred": True},
                        ],
                        "exceptions": [
                            {
                                "start_date": "2030-07-01",
                                "end_date": "2030-07-12",
                                "reason": "leave",
                            }
                        ],
                    }
                }
            ]
        },
    )

    availability: Availability

    @field_validator("availability")
    @classmethod
    def _valid(cls, value: Availability) -> Availability:
        return check_availability(value)


def _active(state: ParticipantState) -> None:
    if state["status"] != ParticipantStatus.ACTIVE:
        raise RegistrationConflict(f"participant is {state['status']}")


def _with_profiles(
    state: ParticipantState, roles: list[str], changes: Mapping[str, Any]
) -> ParticipantState:
    profiles = {
        role: ({**profile, **changes} if role in roles else profile)
        for role, profile in state["profiles"].items()
    }
    return {**state, "profiles": profiles}


def change_profile(
    state: ParticipantState, patch: ProfilePatch
) -> tuple[ParticipantState, ProfileUpdated | None]:
    _active(state)
    changes = patch.model_dump(mode="json", exclude_none=True)
    if not changes:
        return state, None
    if any(field in changes for field in MENTOR_ONLY) and "mentor" not in state["roles"]:
        raise RegistrationConflict("skills and capacity belong to the mentor role")
    shared = {k: v for k, v in changes.items() if k not in MENTOR_ONLY}
    new_state = _with_profiles(state, state["roles"], shared)
    new_state = _with_profiles(
        new_state, ["mentor"], {k: v for k, v in changes.items() if k in MENTOR_ONLY}
    )
    return new_state, ProfileUpdated(participant_id=state["participant_id"], **changes)


def goals_of(state: ParticipantState) -> list[Goal]:
    """The mentee's goals as they stand (none for someone without the mentee role)."""
    mentee = state.get("profiles", {}).get("mentee", {})
    return [Goal.model_validate(goal) for goal in mentee.get("goals", [])]


def change_goals(
    state: ParticipantState, change: GoalsChange
) -> tuple[ParticipantState, GoalsUpdated]:
    _active(state)
    if "mentee" not in state["roles"]:
        raise RegistrationConflict("goals belong to the mentee role")
    goals = [goal.model_dump(mode="json") for goal in change.goals]
    return (
        _with_profiles(state, ["mentee"], {"goals": goals}),
        GoalsUpdated(
            participant_id=state["participant_id"], goals=tuple(change.goals), reason=change.reason
        ),
    )


def change_availability(
    state: ParticipantState, change: AvailabilityChange
) -> tuple[ParticipantState, AvailabilityUpdated]:
    _active(state)
    value = change.availability.model_dump(mode="json")
    return (
        _with_profiles(state, state["roles"], {"availability": value}),
        AvailabilityUpdated(
            participant_id=state["participant_id"], availability=change.availability
        ),
    )
