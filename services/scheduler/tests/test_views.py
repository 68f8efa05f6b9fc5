"""What a caller is shown: the sessions of the matches they see, soonest first; who
recorded attendance; a cohort in full or, for a member, their own place only."""

from __future__ import annotations

from datetime import timedelta

import pytest
from mentornet_scheduler.domain import cohorts, views
from mentornet_scheduler.domain.state import Cohort, CohortStatus, Match
from mentornet_scheduler.domain.views import Viewer

from .builders import NOW, booked_match

pytestmark = pytest.mark.unit

MENTOR = Viewer(frozenset({"mentor-1"}))
STRANGER = Viewer(frozenset({"someone"}))
COORDINATOR = Viewer(frozenset({"coord"}), coordinates=frozenset({"prog-1"}))


def _match() -> Match:
    later, sooner = NOW + timedelta(days=9), NOW + timedelta(days=2)
    return booked_match(later, sooner)


def test_a_participants_sessions_are_those_of_the_matches_the_caller_sees() -> None:
    match = _match()
    seen = views.sessions_seen([match], MENTOR, None)
    assert [s["starts_at"] for s in seen] == sorted(s["starts_at"] for s in match["sessions"])
    assert {s["match_id"] for s in seen} == {"m-1"}
    assert views.sessions_seen([match], COORDINATOR, None) == seen
    assert views.sessions_seen([match], Viewer(frozenset(), service=True), None) == seen
    assert views.sessions_seen([match], STRANGER, None) == []
    assert views.sessions_seen([match], MENTOR, "cancelled") == []
    assert len(views.sessions_seen([match], MENTOR, "scheduled")) == 2


def test_attendance_is_recorded_by_the_party_the_caller_is_else_the_team() -> None:
    match = _match()
    assert views.recorded_by(match, MENTOR) == "mentor-1"
    assert views.recorded_by(match, Viewer(frozenset({"mentee-1"}))) == "mentee-1"
    assert views.recorded_by(match, COORDINATOR) == "coordinator"


def test_a_member_sees_only_their_own_place_in_a_cohort() -> None:
    cohort: Cohort = {
        "cohort_id": "c-1",
        "program_id": "prog-1",
        "mentor_id": "mentor-1",
        "members": {"m-1": "mentee-1", "m-2": "mentee-2"},
        "status": CohortStatus.SCHEDULED,
        "due_epoch": None,
        "attending": ["mentee-1"],
        "unable": {"mentee-2": "on leave"},
        "detail": "one cannot attend",
    }
    mine = cohorts.as_seen_by(cohort, Viewer(frozenset({"mentee-2"})))
    assert mine["attending"] is False
    assert mine["reason"] == "on leave"
    assert "members" not in mine
    assert "unable" not in mine
    full = cohorts.as_seen_by(cohort, MENTOR)
    assert full["members"] == cohort["members"]
    assert full["unable"] == {"mentee-2": "on leave"}
    assert cohorts.as_seen_by(cohort, COORDINATOR) == full
