"""A match's outcome facts from the matcher's news: match.confirmed records the match
with its goals and publishes the mentee's baseline for the skills the goals target,
once; match.ended marks it ended with its reason. Pure rules."""

from __future__ import annotations

import pytest
from mentornet_contracts.events.common import Role
from mentornet_contracts.events.matches import EndCause
from mentornet_contracts.events.outcomes import AssessmentStage
from mentornet_feedback.domain import matches, outcome_words, outcomes
from mentornet_feedback.domain.outcome_state import MatchStatus

from .builders import NOW, scheduled
from .outcome_builders import (
    PERSON,
    completed,
    confirmed,
    confirmed_event,
    ended,
    ended_event,
    goal,
    mentee,
)

pytestmark = pytest.mark.unit


def test_confirmation_publishes_the_baseline_of_the_target_skills_only() -> None:
    match, events = outcomes.on_confirmed(None, confirmed_event(), PERSON, NOW)
    assert match is not None
    [event] = events
    assert event.stage == AssessmentStage.BASELINE
    assert event.assessor == Role.MENTEE
    assert {(lvl.skill_id, lvl.level) for lvl in event.levels} == {
        ("python", 2),
        ("testing", 1),
        ("leadership", 3),
    }
    assert (event.match_id, event.mentee_id, event.program_id) == ("m-1", "mentee-1", "prog-1")
    found = outcomes.outcomes_of(match)
    assert found["confirmed"]
    assert set(found["plan"]) == {"g1", "g2"}
    assert found["assessments"][0]["levels"] == {"python": 2, "testing": 1, "leadership": 3}


def test_a_second_confirmation_changes_nothing_and_publishes_no_second_baseline() -> None:
    match = confirmed()
    again, events = outcomes.on_confirmed(match, confirmed_event(), PERSON, NOW)
    assert again is None
    assert events == []


def test_no_baseline_is_published_without_one_for_the_target_skills() -> None:
    person = mentee(goal("g1", "python"), baseline={"cooking": 4})
    match, events = outcomes.on_confirmed(None, confirmed_event(), person, NOW)
    assert match is not None
    assert events == []
    assert outcomes.outcomes_of(match)["confirmed"]
    assert outcomes.outcomes_of(match)["assessments"] == []


def test_a_match_first_known_from_its_sessions_keeps_them_when_confirmed() -> None:
    first = matches.on_scheduled(None, scheduled("s1", NOW))
    match, events = outcomes.on_confirmed(first, confirmed_event(), PERSON, NOW)
    assert match is not None
    assert len(events) == 1
    assert set(match["sessions"]) == {"s1"}


def test_the_end_marks_the_match_ended_with_its_reason_once() -> None:
    match = ended(confirmed())
    found = outcomes.outcomes_of(match)
    assert found["status"] == MatchStatus.ENDED
    assert found.get("ended", {}).get("reason") == "completed"
    assert outcomes.on_ended(match, ended_event("withdrawn"), NOW) is None


def test_the_end_of_a_match_never_confirmed_writes_nothing() -> None:
    not_picked = ended_event("other").model_copy(update={"cause": EndCause.OPTION_NOT_PICKED})
    assert outcomes.on_ended(None, not_picked, NOW) is None
    assert outcomes.on_ended(None, ended_event("withdrawn"), NOW) is None


def test_the_end_of_a_match_known_only_without_confirmation_or_sessions_writes_nothing() -> None:
    bare = matches.new_match("m-1", "prog-1", "mentor-1", "mentee-1")
    assert outcomes.on_ended(bare, ended_event("withdrawn"), NOW) is None


def test_the_end_of_a_match_known_by_its_sessions_is_recorded() -> None:
    first = matches.on_scheduled(None, scheduled("s1", NOW))
    match = outcomes.on_ended(first, ended_event("stalled"), NOW)
    assert match is not None
    assert outcomes.outcomes_of(match)["status"] == MatchStatus.ENDED
    assert set(match["sessions"]) == {"s1"}


def test_the_match_goals_are_its_plan_over_the_mentees_current_goals() -> None:
    match = confirmed()
    later = mentee(goal("g1", "go"), goal("g3", "sql"))
    goals = outcomes.goals_of(match, later)
    assert set(goals) == {"g1", "g2", "g3"}
    assert outcomes.skills_of(goals["g1"]) == ["python", "testing"]


def test_erasing_the_mentee_forgets_the_match_goals() -> None:
    match = confirmed()
    forgotten = outcome_words.forget(match, "mentee-1")
    assert outcomes.outcomes_of(forgotten)["plan"] == {}
    assert outcome_words.forget(match, "mentor-1") == match


def test_erasure_unnames_the_person_words_and_gives_the_evidence_about_the_mentee() -> None:
    reached = completed(confirmed())
    assert outcome_words.named(reached) == ["t1"]
    assert outcome_words.evidence_about(reached, "mentee-1") == ["t1"]
    assert outcome_words.evidence_about(reached, "mentor-1") == []
    assert outcome_words.named(outcome_words.forget(reached, "mentee-1")) == []
