"""What GET /matches/{id}/outcomes shows: growth per skill (end self - baseline, the
mentor's end alongside) and per goal, milestones on time or late, and each survey's
comments for its author and the team only. Pure rules."""

from __future__ import annotations

import pytest
from mentornet_contracts.events.common import Role
from mentornet_feedback.domain import end_survey, milestones, outcome_view
from mentornet_feedback.domain.end_survey import EndSurveyBody
from mentornet_feedback.domain.milestones import CompletionBody

from .builders import NOW
from .outcome_builders import assessed, confirmed, ended, goals_of, past

pytestmark = pytest.mark.unit


def outcome() -> tuple[outcome_view.OutcomesView, outcome_view.OutcomesView]:
    match = confirmed()
    done = CompletionBody(completed_on=past(0), evidence="Done it")
    match, _ = milestones.complete(
        match, goals_of(match), ("g1", "m1"), done, "mentee-1", "e1", NOW
    )
    match = ended(match)
    match = assessed(match, Role.MENTEE, "end", python=4, testing=2)
    match = assessed(match, Role.MENTOR, "end", python=3)
    body = EndSurveyBody(satisfaction=5, would_recommend=True, confidence_gained=4, comments="ok")
    match, _ = end_survey.submit(match, Role.MENTEE, body, "c1", NOW)
    texts = {"e1": {"text": "Done it"}, "c1": {"text": "ok"}}
    mentor = outcome_view.view(match, goals_of(match), texts, "mentor")
    mentee = outcome_view.view(match, goals_of(match), texts, "mentee")
    return mentor, mentee


def test_growth_per_skill_is_the_end_self_level_minus_the_baseline() -> None:
    shown, _ = outcome()
    growth = {g["skill_id"]: g for g in shown["growth"]}
    assert growth["python"] == {
        "skill_id": "python",
        "baseline": 2,
        "end_self": 4,
        "growth": 2,
        "mentor_end": 3,
    }
    assert growth["testing"]["growth"] == 1
    assert growth["leadership"]["growth"] is None


def test_growth_per_goal_is_the_mean_over_its_target_skills() -> None:
    shown, _ = outcome()
    goals = {g["goal_id"]: g for g in shown["goals"]}
    assert goals["g1"]["growth"] == 1.5
    assert goals["g2"]["growth"] is None


def test_milestones_show_completion_on_time_and_evidence() -> None:
    shown, _ = outcome()
    [g1] = [g for g in shown["goals"] if g["goal_id"] == "g1"]
    shown_milestones = g1["milestones"]
    assert isinstance(shown_milestones, list)
    first, second = shown_milestones
    assert first["completed"]
    assert first["on_time"]
    assert first["evidence"] == "Done it"
    assert not second["completed"]
    assert "on_time" not in second


def test_a_survey_comments_are_for_its_author_only() -> None:
    mentor, mentee = outcome()
    assert [s.get("comments") for s in mentee["surveys"]] == ["ok"]
    assert [s.get("comments") for s in mentor["surveys"]] == [None]
    assert mentor["surveys"][0]["satisfaction"] == 5
    assert mentor["status"] == "ended"
    assert mentor["ended"]["reason"] == "completed"
