"""Withdrawal and erasure, without a broker or database."""

from __future__ import annotations

import json
from typing import cast

import pytest
from mentornet_intake.domain.forms import MenteeRegistration
from mentornet_intake.domain.lifecycle import erase, withdraw, withdraw_diversity_consent
from mentornet_intake.domain.participant import ParticipantState
from mentornet_intake.domain.registration import RegistrationConflict, register

pytestmark = pytest.mark.unit


def registered() -> ParticipantState:
    body = MenteeRegistration.model_validate(
        {
            "program_id": "prog-1",
            "display_name": "Ada Lovelace",
            "email": "ada@example.org",
            "languages": ["en"],
            "consent": {"version": "1", "accepted_at": "2026-11-01T09:00:00Z"},
            "goals": [{"goal_id": "g1", "statement": "Lead a design review", "target_skills": []}],
        }
    )
    state, _ = register(None, body, "p-1")
    return state


def test_erasure_leaves_nothing_personal() -> None:
    state, event = erase(registered())
    assert state == {"participant_id": "p-1", "program_id": "prog-1", "status": "erased"}
    assert event is not None
    assert event.participant_id == "p-1"
    text = json.dumps(state)
    for personal in ("Ada", "example.org", "design review", "consent"):
        assert personal not in text


def test_erasing_twice_emits_once() -> None:
    state, _ = erase(registered())
    again, event = erase(state)
    assert again == state
    assert event is None


def test_withdrawn_people_can_still_be_erased() -> None:
    state, event = withdraw(registered(), "changed role")
    assert state["status"] == "withdrawn"
    assert event.reason == "changed role"
    erased, erased_event = erase(state)
    assert erased["status"] == "erased"
    assert erased_event is not None


def test_withdrawing_twice_is_a_conflict() -> None:
    state, _ = withdraw(registered(), "")
    with pytest.raises(RegistrationConflict, match="already withdrawn"):
        withdraw(state, "")


def test_withdrawing_diversity_consent_forgets_and_tells_qa_once() -> None:
    diversity = {"consent": {}, "attributes": {"gender": "woman"}}
    state = cast(ParticipantState, {**registered(), "diversity": diversity})
    forgotten, event = withdraw_diversity_consent(state)
    assert "diversity" not in forgotten
    assert event is not None
    assert event.groups == {}
    again, repeat = withdraw_diversity_consent(forgotten)
    assert again == forgotten
    assert repeat is None
