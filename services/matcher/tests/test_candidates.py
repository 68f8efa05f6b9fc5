"""The candidate read model, without a broker or database."""

from __future__ import annotations

import copy

import pytest
from mentornet_contracts.events.participants import (
    AvailabilityUpdated,
    GoalsUpdated,
    MenteeRegistered,
    MentorRegistered,
    ParticipantErased,
    ParticipantWithdrawn,
    ProfileUpdated,
)
from mentornet_matcher.domain import candidates

pytestmark = pytest.mark.unit


def mentee() -> MenteeRegistered:
    return MenteeRegistered(participant_id="p1", program_id="prog", languages=("en",))


def mentor() -> MentorRegistered:
    return MentorRegistered(
        participant_id="p1", program_id="prog", skills=(), languages=("en", "es")
    )


def test_a_mentee_who_later_mentors_holds_both_roles() -> None:
    state = candidates.on_mentee_registered(None, mentee())
    state = candidates.on_mentor_registered(state, mentor())
    assert set(state["roles"]) == {"mentee", "mentor"}
    assert state["roles"]["mentor"]["languages"] == ["en", "es"]
    assert candidates.is_matchable(state, "mentor")
    assert candidates.is_matchable(state, "mentee")


def test_withdrawn_is_not_matchable() -> None:
    state = candidates.on_mentee_registered(None, mentee())
    state = candidates.on_withdrawn(state, ParticipantWithdrawn(participant_id="p1"))
    assert state["status"] == "withdrawn"
    assert not candidates.is_matchable(state, "mentee")


def test_erasure_keeps_nothing_but_the_fact() -> None:
    state = candidates.on_mentor_registered(None, mentor())
    state = candidates.on_erased(state, ParticipantErased(participant_id="p1"))
    assert state == {
        "participant_id": "p1",
        "roles": {},
        "status": "erased",
        "programs": {"mentor": "prog"},
    }


def test_handlers_do_not_mutate_the_current_state() -> None:
    """Nor anything inside it: every handler that reads the current state leaves it,
    roles and profiles included, as it was (a deep copy, compared deeply)."""
    before = candidates.on_mentor_registered(
        candidates.on_mentee_registered(None, mentee()), mentor()
    )
    snapshot = copy.deepcopy(before)
    profile = ProfileUpdated.model_validate(
        {"participant_id": "p1", "languages": ["de"], "skills": [{"skill_id": "go", "level": 3}]}
    )
    goals = GoalsUpdated.model_validate(
        {
            "participant_id": "p1",
            "goals": [{"goal_id": "g1", "statement": "Lead", "target_skills": []}],
        }
    )
    availability = AvailabilityUpdated.model_validate(
        {"participant_id": "p1", "availability": {"timezone": "Asia/Tokyo"}}
    )
    elsewhere = {"participant_id": "p1", "program_id": "prog-2", "languages": ["fr"]}
    after = [
        candidates.on_mentee_registered(before, MenteeRegistered.model_validate(elsewhere)),
        candidates.on_mentor_registered(
            before, MentorRegistered.model_validate({**elsewhere, "skills": []})
        ),
        candidates.on_withdrawn(before, ParticipantWithdrawn(participant_id="p1")),
        candidates.on_erased(before, ParticipantErased(participant_id="p1")),
        candidates.on_profile_updated(before, profile),
        candidates.on_goals_updated(before, goals),
        candidates.on_availability_updated(before, availability),
    ]
    assert before == snapshot
    assert all(state != snapshot for state in after), "each handler did change something"
