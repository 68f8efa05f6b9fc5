"""Erasure of a match's outcomes: the erased person's end survey, skill assessments and
words go from the match; the erased mentee takes their goals, the assessments of their
skills and their milestones with them; the other person's survey and assessments stay.
Pure rules."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from mentornet_contracts.events.common import Role
from mentornet_feedback.domain import adjustments, end_survey, milestones, outcome_words, outcomes
from mentornet_feedback.domain.adjustments import AdjustmentBody
from mentornet_feedback.domain.end_survey import EndSurveyBody
from mentornet_feedback.domain.milestones import CompletionBody
from mentornet_feedback.domain.state import Match

from .builders import NOW
from .outcome_builders import TODAY, assessed, completed, confirmed, ended, goals_of, past

pytestmark = pytest.mark.unit


def _surveyed(match: Match, role: Role) -> Match:
    body = EndSurveyBody(satisfaction=2, would_recommend=False, confidence_gained=3, comments="x")
    done, _ = end_survey.submit(match, role, body, f"t-{role}", NOW)
    return done


def whole_match() -> Match:
    """Both people took part in everything: a mentor's noted proposal, a milestone
    recorded by each, both end assessments and both end surveys."""
    later = (TODAY + timedelta(days=100)).isoformat()
    body = AdjustmentBody.model_validate({"target_date": later, "note": "more time"})
    match, _ = adjustments.propose(confirmed(), goals_of(confirmed()), "g1", body, "t-note", NOW)
    match = completed(match, "m1")
    by_mentor = CompletionBody(completed_on=past(1), evidence="Saw it")
    match, _ = milestones.complete(
        match, goals_of(match), ("g1", "m2"), by_mentor, "mentor-1", "t-mentor", NOW
    )
    match = assessed(ended(match), Role.MENTEE, "end", python=4)
    match = assessed(match, Role.MENTOR, "end", python=3)
    return _surveyed(_surveyed(match, Role.MENTEE), Role.MENTOR)


def test_erasing_the_mentee_drops_their_survey_assessments_goals_and_milestones() -> None:
    match = whole_match()
    forgotten = outcomes.outcomes_of(outcome_words.forget(match, "mentee-1"))
    assert "mentee-1" not in json.dumps(forgotten)
    assert set(forgotten["surveys"]) == {"mentor"}
    assert forgotten["assessments"] == []
    assert forgotten["completions"] == {}
    assert forgotten["plan"] == {}
    [proposal] = forgotten["adjustments"].values()
    assert proposal["change"] == {}
    assert "text_id" not in proposal
    assert forgotten["status"] == "ended"


def test_erasing_the_mentor_drops_their_survey_assessment_and_authorship() -> None:
    match = whole_match()
    forgotten = outcomes.outcomes_of(outcome_words.forget(match, "mentor-1"))
    assert "mentor-1" not in json.dumps(forgotten)
    assert set(forgotten["surveys"]) == {"mentee"}
    assert {(a["assessor"], a["stage"]) for a in forgotten["assessments"]} == {
        ("mentee", "baseline"),
        ("mentee", "end"),
    }
    by_mentor = forgotten["completions"]["g1/m2"]
    assert by_mentor["recorded_by"] == "erased"
    assert "text_id" not in by_mentor
    assert forgotten["completions"]["g1/m1"]["text_id"] == "t1"
    [proposal] = forgotten["adjustments"].values()
    assert "text_id" not in proposal
    assert proposal["change"] != {}
    assert outcome_words.named(outcome_words.forget(match, "mentor-1")) == ["t1", "t-mentee"]


def test_erasing_someone_else_changes_nothing() -> None:
    match = whole_match()
    assert outcome_words.forget(match, "someone-else") == match
