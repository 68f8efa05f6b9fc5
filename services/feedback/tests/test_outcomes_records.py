"""Milestones reached, skill assessments and the end-of-match survey: when each is
taken, what is refused (naming the field, or with the current state), and what each
event carries. Pure rules."""

from __future__ import annotations

import pytest
from mentornet_chassis.errors import Conflict, Invalid, NotFound
from mentornet_contracts.events.common import Role
from mentornet_feedback.domain import assessments, end_survey, milestones, outcomes
from mentornet_feedback.domain.assessments import AssessmentBody
from mentornet_feedback.domain.end_survey import EndSurveyBody
from mentornet_feedback.domain.milestones import CompletionBody

from .builders import NOW
from .outcome_builders import TODAY, assessed, completed, confirmed, ended, goals_of, past

pytestmark = pytest.mark.unit

SURVEY = EndSurveyBody(satisfaction=4, would_recommend=True, confidence_gained=5)


def test_a_milestone_reached_carries_its_dates_and_is_taken_once() -> None:
    body = CompletionBody(completed_on=TODAY, evidence="Led the review")
    match, event = milestones.complete(
        confirmed(), goals_of(confirmed()), ("g1", "m1"), body, "mentor-1", "t1", NOW
    )
    assert (event.completed_on, event.milestones_in_goal) == (TODAY, 2)
    assert event.due_date > event.completed_on
    assert "evidence" not in event.model_dump()
    with pytest.raises(Conflict) as refused:
        milestones.complete(match, goals_of(match), ("g1", "m1"), body, "mentee-1", "t2", NOW)
    assert refused.value.state["current"]["recorded_by"] == "mentor-1"


def test_a_milestone_reached_in_the_future_or_unknown_is_refused() -> None:
    later = CompletionBody(completed_on=past(-1), evidence="soon")
    with pytest.raises(Invalid) as refused:
        milestones.complete(confirmed(), goals_of(confirmed()), ("g1", "m1"), later, "x", "t", NOW)
    assert refused.value.field == "completed_on"
    body = CompletionBody(completed_on=TODAY, evidence="x")
    with pytest.raises(NotFound) as unknown:
        milestones.complete(confirmed(), goals_of(confirmed()), ("g1", "m7"), body, "x", "t", NOW)
    assert unknown.value.field == "milestone_id"


def test_the_mentor_assesses_at_the_end_only() -> None:
    with pytest.raises(Invalid) as refused:
        assessed(completed(confirmed()), Role.MENTOR, "milestone", python=3)
    assert refused.value.field == "stage"


def test_only_skills_the_goals_target_are_assessed() -> None:
    with pytest.raises(Invalid) as refused:
        assessed(ended(confirmed()), Role.MENTEE, "end", python=3, cooking=2)
    assert refused.value.field == "levels[1].skill_id"


def test_the_end_assessment_waits_for_the_end_and_is_taken_once_per_person() -> None:
    with pytest.raises(Conflict) as early:
        assessed(confirmed(), Role.MENTEE, "end", python=4)
    assert early.value.state["status"] == "active"
    match = assessed(ended(confirmed()), Role.MENTEE, "end", python=4)
    match = assessed(match, Role.MENTOR, "end", python=3)
    with pytest.raises(Conflict) as twice:
        assessed(match, Role.MENTOR, "end", python=5)
    assert twice.value.state["current"]["levels"] == {"python": 3}


def test_a_milestone_review_names_a_completed_milestone() -> None:
    with pytest.raises(Conflict):
        assessed(confirmed(), Role.MENTEE, "milestone", python=3)
    match = assessed(completed(confirmed()), Role.MENTEE, "milestone", python=3)
    [review] = [a for a in outcomes.outcomes_of(match)["assessments"] if a["stage"] == "milestone"]
    assert (review["goal_id"], review["milestone_id"]) == ("g1", "m1")
    body = AssessmentBody.model_validate(
        {"stage": "milestone", "levels": [{"skill_id": "python", "level": 3}]}
    )
    with pytest.raises(Invalid) as unnamed:
        assessments.assess(match, goals_of(match), Role.MENTEE, body, NOW)
    assert unnamed.value.field == "goal_id"


def test_the_end_survey_opens_at_the_end_and_is_taken_once_per_person() -> None:
    with pytest.raises(Conflict) as early:
        end_survey.submit(confirmed(), Role.MENTEE, SURVEY, None, NOW)
    assert early.value.state["status"] == "active"
    match, event = end_survey.submit(ended(confirmed()), Role.MENTEE, SURVEY, "t1", NOW)
    assert (event.template_id, event.template_version) == ("end-of-match", end_survey.VERSION)
    assert (event.satisfaction, event.would_recommend, event.confidence_gained) == (4, True, 5)
    match, _ = end_survey.submit(match, Role.MENTOR, SURVEY, None, NOW)
    with pytest.raises(Conflict) as twice:
        end_survey.submit(match, Role.MENTOR, SURVEY, None, NOW)
    assert twice.value.state["current"]["role"] == "mentor"


def test_the_template_asks_what_the_event_carries() -> None:
    asked = {q.id for q in end_survey.QUESTIONS}
    assert asked == set(EndSurveyBody.model_fields)
    assert [q.id for q in end_survey.QUESTIONS if not q.required] == ["comments"]
