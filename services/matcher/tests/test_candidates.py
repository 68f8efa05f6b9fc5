"""The candidate read model, without a broker or database."""

from __future__ import annotations

import pytest
from mentornet_contracts.events.participants import (
    MenteeRegistered,
    MentorRegistered,
    ParticipantErased,
    ParticipantWithdrawn,
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
    before = candidates.on_mentee_registered(None, mentee())
    snapshot = dict(before)
    candidates.on_withdrawn(before, ParticipantWithdrawn(participant_id="p1"))
    assert before == snapshot
