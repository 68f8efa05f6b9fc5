"""Intake's registration rules, without a broker or database."""

from __future__ import annotations

import pytest
from mentornet_intake.domain.registration import (
    MenteeRegistration,
    email_key,
    new_participant_id,
    register_mentee,
)
from pydantic import ValidationError

pytestmark = pytest.mark.unit


def registration(**overrides: object) -> MenteeRegistration:
    body: dict[str, object] = {
        "program_id": "prog-1",
        "display_name": "Ada Lovelace",
        "email": "Ada@Example.org",
        "languages": ["en"],
    }
    body.update(overrides)
    return MenteeRegistration.model_validate(body)


def test_event_carries_no_name_or_email() -> None:
    state, event = register_mentee(registration(urgency=4), "p-1")
    payload = event.model_dump(mode="json")
    assert payload["participant_id"] == "p-1"
    assert payload["urgency"] == 4
    assert "Ada" not in str(payload)
    assert state["display_name"] == "Ada Lovelace"
    assert state["email_key"] == "prog-1:ada@example.org"


def test_email_key_ignores_case_and_spaces() -> None:
    assert email_key("prog-1", " Ada@Example.ORG ") == email_key("prog-1", "ada@example.org")
    assert email_key("prog-1", "a@b.co") != email_key("prog-2", "a@b.co")


@pytest.mark.parametrize(
    ("field", "value", "reason"),
    [
        ("languages", ["english"], "ISO 639-1"),
        ("languages", [], "at least 1"),
        ("email", "not-an-address", "email"),
        ("urgency", 9, "less than or equal to 5"),
        ("program_id", "has spaces", "pattern"),
    ],
)
def test_bad_fields_are_named(field: str, value: object, reason: str) -> None:
    with pytest.raises(ValidationError) as caught:
        registration(**{field: value})
    [error] = caught.value.errors()
    assert error["loc"][0] == field
    assert reason.lower() in str(error["msg"]).lower()


def test_unknown_fields_are_refused() -> None:
    with pytest.raises(ValidationError, match="extra"):
        registration(favourite_colour="blue")


def test_participant_ids_are_unique_and_valid_ids() -> None:
    ids = {new_participant_id() for _ in range(1000)}
    assert len(ids) == 1000
    assert all(i.startswith("p-") and len(i) == 18 for i in ids)
