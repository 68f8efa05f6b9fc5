"""Intake's registration rules, without a broker or database."""

from __future__ import annotations

import re
from typing import Any

import pytest
from mentornet_intake.domain.forms import MenteeRegistration, MentorRegistration
from mentornet_intake.domain.participant import ParticipantStatus
from mentornet_intake.domain.registration import (
    RegistrationConflict,
    SkillError,
    audit_groups,
    email_key,
    register,
    with_canonical_skills,
)
from mentornet_intake.domain.taxonomy import load_default
from mentornet_intake.usecases.registrar import new_participant_id
from pydantic import ValidationError

pytestmark = pytest.mark.unit

CONSENT = {"version": "2026-10", "accepted_at": "2026-11-01T09:00:00Z"}


def mentee(**overrides: object) -> MenteeRegistration:
    body: dict[str, object] = {
        "program_id": "prog-1",
        "display_name": "Ada Lovelace",
        "email": "Ada@Example.org",
        "languages": ["en"],
        "consent": CONSENT,
    }
    body.update(overrides)
    return MenteeRegistration.model_validate(body)


def mentor(**overrides: object) -> MentorRegistration:
    body: dict[str, Any] = {
        "program_id": "prog-1",
        "display_name": "Ada Lovelace",
        "email": "ada@example.org",
        "languages": ["en"],
        "consent": CONSENT,
        "skills": [{"skill_id": "python", "level": 4}],
    }
    body.update(overrides)
    return MentorRegistration.model_validate(body)


def test_event_carries_no_name_email_consent_or_level() -> None:
    state, event = register(None, mentee(urgency=4, level="L3"), "p-1")
    payload = event.model_dump_json()
    assert event.participant_id == "p-1"
    for private in ("Ada", "example.org", "2026-10", "L3"):
        assert private not in payload
    assert state["display_name"] == "Ada Lovelace"
    assert state["consent"]["version"] == "2026-10"
    assert state["email_key"] == "prog-1:ada@example.org"
    assert state["roles"] == ["mentee"]


def test_a_mentee_who_later_mentors_keeps_one_identity() -> None:
    state, _ = register(None, mentee(), "p-1")
    state, event = register(state, mentor(), "p-1")
    assert state["roles"] == ["mentee", "mentor"]
    assert set(state["profiles"]) == {"mentee", "mentor"}
    assert event.event_type == "mentornet.mentor.registered.v2"


def test_a_second_role_keeps_the_name_and_records_its_own_consent() -> None:
    state, _ = register(None, mentee(), "p-1")
    later = {"version": "2027-01", "accepted_at": "2026-11-20T09:00:00Z"}
    state, _ = register(state, mentor(display_name="Typo Name", consent=later), "p-1")
    assert state["display_name"] == "Ada Lovelace"
    assert state["consent"]["version"] == "2026-10"
    assert state["consents"]["mentor"]["version"] == "2027-01"


def test_a_withdrawn_person_cannot_take_a_new_role() -> None:
    state, _ = register(None, mentee(), "p-1")
    with pytest.raises(RegistrationConflict, match="withdrawn"):
        register({**state, "status": ParticipantStatus.WITHDRAWN}, mentor(), "p-1")


def test_the_same_role_twice_is_a_conflict() -> None:
    state, _ = register(None, mentee(), "p-1")
    with pytest.raises(RegistrationConflict, match="already registered as mentee"):
        register(state, mentee(), "p-1")


def test_email_key_ignores_case_and_spaces() -> None:
    assert email_key("prog-1", " Ada@Example.ORG ") == email_key("prog-1", "ada@example.org")
    assert email_key("prog-1", "a@b.co") != email_key("prog-2", "a@b.co")


def test_channels_reach_the_event() -> None:
    _, event = register(None, mentee(channels=["slack", "email"]), "p-1")
    assert [str(c) for c in event.channels] == ["slack", "email"]


@pytest.mark.parametrize(
    ("field", "value", "reason"),
    [
        ("languages", ["english"], "ISO 639-1"),
        ("languages", ["zz"], "ISO 639-1"),
        ("channels", ["carrier pigeon"], "Input should be"),
        ("languages", [], "at least 1"),
        ("email", "not-an-address", "email"),
        ("urgency", 9, "less than or equal to 5"),
        ("program_id", "has spaces", "pattern"),
        ("consent", None, "valid dictionary"),
        ("consent", {"version": "1", "accepted_at": "2026-11-01T09:00:00"}, "timezone"),
        ("availability", {"timezone": "Nowhere/Land"}, "not an IANA time zone"),
    ],
)
def test_bad_fields_are_named(field: str, value: object, reason: str) -> None:
    with pytest.raises(ValidationError) as caught:
        mentee(**{field: value})
    error = caught.value.errors()[0]
    assert error["loc"][0] == field
    assert reason.lower() in str(error["msg"]).lower()


def test_consent_is_required() -> None:
    body = mentee().model_dump(mode="json")
    del body["consent"]
    with pytest.raises(ValidationError, match="consent"):
        MenteeRegistration.model_validate(body)


def test_a_mentor_needs_skills() -> None:
    with pytest.raises(ValidationError, match="skills"):
        mentor(skills=[])


def test_unknown_fields_are_refused() -> None:
    with pytest.raises(ValidationError, match="extra"):
        mentee(favourite_colour="blue")


def test_participant_ids_are_unique_and_valid_ids() -> None:
    ids = {new_participant_id() for _ in range(1000)}
    assert len(ids) == 1000
    assert all(i.startswith("p-") and len(i) == 18 for i in ids)


DIVERSITY = {"consent": CONSENT, "attributes": {"gender": "woman", "age_band": "35-44"}}


def test_diversity_stays_out_of_the_participant_event() -> None:
    state, event = register(None, mentee(diversity=DIVERSITY), "p-1")
    assert "woman" not in event.model_dump_json()
    groups = audit_groups(state)
    assert groups is not None
    assert groups.groups == {"gender": "woman", "age_band": "35-44"}
    assert groups.program_id == "prog-1"


def test_no_diversity_means_no_audit_event() -> None:
    state, _ = register(None, mentee(), "p-1")
    assert audit_groups(state) is None


@pytest.mark.parametrize(
    ("diversity", "says"),
    [
        ({"attributes": {"gender": "woman"}}, "consent"),
        ({"consent": CONSENT, "attributes": {"religion": "x"}}, "unknown attribute(s) religion"),
        ({"consent": CONSENT, "attributes": {"gender": " "}}, "1 to 64 characters"),
    ],
)
def test_diversity_needs_consent_and_known_attributes(diversity: dict[str, Any], says: str) -> None:
    with pytest.raises(ValidationError, match=re.escape(says)):
        mentee(diversity=diversity)


def test_skill_aliases_become_taxonomy_ids() -> None:
    taxonomy = load_default()
    request = with_canonical_skills(mentor(skills=[{"skill_id": "k8s", "level": 4}]), taxonomy)
    assert isinstance(request, MentorRegistration)
    assert request.skills[0].skill_id == "kubernetes"
    goal = {
        "goal_id": "g1",
        "statement": "Ship ML",
        "target_skills": [{"skill_id": "Machine_Learning", "level": 3}],
    }
    mentee_request = with_canonical_skills(mentee(goals=[goal]), taxonomy)
    assert isinstance(mentee_request, MenteeRegistration)
    assert mentee_request.goals[0].target_skills[0].skill_id == "machine-learning"


def test_unknown_skill_names_its_field_and_suggests() -> None:
    goal = {
        "goal_id": "g1",
        "statement": "x",
        "target_skills": [
            {"skill_id": "python", "level": 2},
            {"skill_id": "kubernets", "level": 3},
        ],
    }
    with pytest.raises(SkillError) as caught:
        with_canonical_skills(mentee(goals=[goal]), load_default())
    assert caught.value.field == "goals.0.target_skills.1.skill_id"
    assert "did you mean: kubernetes" in caught.value.reason
