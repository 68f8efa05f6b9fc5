"""Changing profile, goals and availability, without a broker or database."""

from __future__ import annotations

import pytest
from mentornet_intake.domain import profile
from mentornet_intake.domain.forms import MenteeRegistration, MentorRegistration
from mentornet_intake.domain.lifecycle import withdraw
from mentornet_intake.domain.participant import ParticipantState
from mentornet_intake.domain.registration import RegistrationConflict, register
from pydantic import ValidationError

pytestmark = pytest.mark.unit
BASE = {
    "program_id": "prog-1",
    "display_name": "Ada",
    "email": "ada@example.org",
    "languages": ["en"],
    "consent": {"version": "1", "accepted_at": "2026-11-01T09:00:00Z"},
}


def both_roles() -> ParticipantState:
    state, _ = register(None, MenteeRegistration.model_validate(BASE), "p-1")
    state, _ = register(
        state,
        MentorRegistration.model_validate({**BASE, "skills": [{"skill_id": "python", "level": 4}]}),
        "p-1",
    )
    return state


def test_shared_fields_change_in_every_role_and_skills_only_for_mentors() -> None:
    state, event = profile.change_profile(
        both_roles(),
        profile.ProfilePatch(languages=["en", "fr"], skills=[{"skill_id": "go", "level": 3}]),
    )
    assert event is not None
    assert event.languages == ("en", "fr")
    assert state["profiles"]["mentee"]["languages"] == ["en", "fr"]
    assert state["profiles"]["mentor"]["skills"] == [{"skill_id": "go", "level": 3}]
    assert "skills" not in state["profiles"]["mentee"]


def test_an_empty_patch_changes_nothing() -> None:
    state = both_roles()
    assert profile.change_profile(state, profile.ProfilePatch()) == (state, None)


def test_a_mentee_has_no_skills_to_change() -> None:
    mentee, _ = register(None, MenteeRegistration.model_validate(BASE), "p-2")
    with pytest.raises(RegistrationConflict, match="mentor role"):
        profile.change_profile(mentee, profile.ProfilePatch(capacity=2))


def test_goals_change_with_a_reason() -> None:
    goal = {"goal_id": "g2", "statement": "Mentor others", "target_skills": []}
    state, event = profile.change_goals(
        both_roles(),
        profile.GoalsChange.model_validate({"goals": [goal], "reason": "pivot to leadership"}),
    )
    assert event.reason == "pivot to leadership"
    assert state["profiles"]["mentee"]["goals"][0]["goal_id"] == "g2"


def test_availability_is_validated_and_shared() -> None:
    with pytest.raises(ValidationError, match="not an IANA time zone"):
        profile.AvailabilityChange.model_validate({"availability": {"timezone": "Nope/No"}})
    change = profile.AvailabilityChange.model_validate({"availability": {"timezone": "Asia/Tokyo"}})
    state, event = profile.change_availability(both_roles(), change)
    assert event.availability.timezone == "Asia/Tokyo"
    assert {p["availability"]["timezone"] for p in state["profiles"].values()} == {"Asia/Tokyo"}


def test_withdrawn_people_cannot_change() -> None:
    state, _ = withdraw(both_roles(), "")
    with pytest.raises(RegistrationConflict, match="withdrawn"):
        profile.change_profile(state, profile.ProfilePatch(languages=["de"]))
