"""One mentee's outcome values in a match (domain/outcome_values.measures), from the
facts QA keeps: skill growth over the target skills, milestones reached by their due
date, the mentee's end survey, and how the match ended. Facts delivered again change
nothing."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from mentornet_contracts.events.common import Goal, Milestone, Role, SkillLevel
from mentornet_contracts.events.matches import (
    Decider,
    MatchConfirmed,
    MatchDeclined,
    MatchEnded,
    MatchEndReason,
    MatchProposed,
)
from mentornet_contracts.events.outcomes import (
    AssessmentStage,
    EndSurveySubmitted,
    GoalAdjustmentAnswered,
    MilestoneCompleted,
    SkillAssessed,
)
from mentornet_contracts.events.participants import (
    GoalsUpdated,
    MenteeRegistered,
    MentorRegistered,
)
from mentornet_contracts.events.programs import MatchingSignal, OutcomeMeasure
from mentornet_qa.domain import matches, outcome_facts, people
from mentornet_qa.domain.documents import Match, MatchStatus, Person
from mentornet_qa.domain.outcome_values import measures, mentor_assessed_growth

pytestmark = pytest.mark.unit

NOW = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
IDS = {"match_id": "m-1", "mentee_id": "e-1", "program_id": "prog-1"}


def milestone(mid: str, due: str) -> Milestone:
    return Milestone(milestone_id=mid, statement="step", due_date=date.fromisoformat(due))


def mentee(segment: str | None = "new-manager") -> Person:
    goals = (
        Goal(
            goal_id="g1",
            statement="Lead a review",
            target_skills=(SkillLevel(skill_id="python", level=4),),
            milestones=(milestone("m1", "2027-04-01"), milestone("m2", "2027-05-01")),
        ),
        Goal(
            goal_id="g2",
            statement="Design a service",
            target_skills=(SkillLevel(skill_id="design", level=4),),
            milestones=(milestone("m1", "2027-04-15"),),
        ),
    )
    event = MenteeRegistered(
        participant_id="e-1",
        program_id="prog-1",
        person_id="person-1",
        goals=goals,
        languages=("en",),
        segment=segment,
    )
    person = people.on_mentee(None, event, NOW)
    assert person is not None
    return person


def confirmed() -> Match:
    """A match that ran: confirmed (a proposal never confirmed has no outcomes)."""
    return matches.on_confirmed(None, MatchConfirmed(**IDS, mentor_id="r-1"), NOW)


def assessed(match: Match | None, assessor: Role, stage: AssessmentStage, **levels: int) -> Match:
    event = SkillAssessed(
        **IDS,
        assessor=assessor,
        stage=stage,
        levels=tuple(SkillLevel(skill_id=s, level=v) for s, v in levels.items()),
    )
    return outcome_facts.on_assessed(match, event, NOW)


def done(match: Match, goal: str, mid: str, due: str, on: str, of: int) -> Match:
    event = MilestoneCompleted(
        **IDS,
        goal_id=goal,
        milestone_id=mid,
        due_date=date.fromisoformat(due),
        completed_on=date.fromisoformat(on),
        milestones_in_goal=of,
    )
    return outcome_facts.on_milestone(match, event)


def survey(match: Match, role: Role, satisfaction: int, recommend: bool, confidence: int) -> Match:
    event = EndSurveySubmitted(
        **IDS,
        role=role,
        template_version=1,
        satisfaction=satisfaction,
        would_recommend=recommend,
        confidence_gained=confidence,
    )
    return outcome_facts.on_end_survey(match, event, NOW)


def ended(match: Match, reason: MatchEndReason) -> Match:
    event = MatchEnded(**IDS, mentor_id="r-1", reason=reason)
    return matches.on_ended(match, event, NOW)


def test_every_outcome_of_a_match_that_ran_its_course() -> None:
    match = assessed(confirmed(), Role.MENTEE, AssessmentStage.BASELINE, python=2, design=1)
    match = assessed(match, Role.MENTEE, AssessmentStage.END, python=4, design=2, other=5)
    match = assessed(match, Role.MENTOR, AssessmentStage.END, python=3, design=1)
    match = done(match, "g1", "m1", "2027-04-01", "2027-04-01", 2)
    match = done(match, "g1", "m2", "2027-05-01", "2027-05-03", 2)
    match = survey(match, Role.MENTEE, 4, True, 5)
    match = survey(match, Role.MENTOR, 2, False, 1)
    match = ended(match, MatchEndReason.COMPLETED)
    found = measures(match, mentee())
    assert found == {
        OutcomeMeasure.SKILL_GROWTH: 1.5,
        OutcomeMeasure.GOAL_COMPLETION: pytest.approx(1 / 3),
        OutcomeMeasure.SATISFACTION: 4.0,
        OutcomeMeasure.CONFIDENCE_GAINED: 5.0,
        OutcomeMeasure.WOULD_RECOMMEND: 1.0,
        OutcomeMeasure.RETENTION: 1.0,
    }, "growth over python and design only; 1 of the 3 milestones by its due date"
    assert mentor_assessed_growth(match, mentee()) == 0.5


def test_a_match_still_running_knows_only_what_has_been_recorded() -> None:
    match = assessed(confirmed(), Role.MENTEE, AssessmentStage.BASELINE, python=2)
    match = done(match, "g1", "m1", "2027-04-01", "2027-03-20", 2)
    assert measures(match, mentee()) == {}, "no end levels, milestones left, no end yet"
    match = done(match, "g1", "m2", "2027-05-01", "2027-04-20", 2)
    match = done(match, "g2", "m1", "2027-04-15", "2027-04-10", 1)
    assert measures(match, mentee()) == {OutcomeMeasure.GOAL_COMPLETION: 1.0}


@pytest.mark.parametrize(
    "reason", [MatchEndReason.WITHDRAWN, MatchEndReason.STALLED, MatchEndReason.REMATCHED]
)
def test_a_match_that_closed_early_is_not_retained_and_its_unreached_milestones_count(
    reason: MatchEndReason,
) -> None:
    match = ended(done(confirmed(), "g1", "m1", "2027-04-01", "2027-04-01", 2), reason)
    found = measures(match, mentee())
    assert found == {
        OutcomeMeasure.RETENTION: 0.0,
        OutcomeMeasure.GOAL_COMPLETION: pytest.approx(1 / 3),
    }


def test_an_accepted_adjustment_changes_how_many_milestones_a_goal_has() -> None:
    match = done(confirmed(), "g1", "m1", "2027-04-01", "2027-04-01", 2)
    goal = Goal(
        goal_id="g2",
        statement="Design a service",
        target_skills=(),
        milestones=(milestone("m1", "2027-04-15"), milestone("m2", "2027-05-15")),
    )
    answer = GoalAdjustmentAnswered(
        match_id="m-1", mentee_id="e-1", goal_id="g2", proposal_id="ga-1", accepted=True, goal=goal
    )
    adjusted = outcome_facts.on_adjusted(match, answer)
    assert adjusted is not None
    declined = answer.model_copy(update={"accepted": False, "goal": None})
    assert outcome_facts.on_adjusted(adjusted, declined) is None
    found = measures(ended(adjusted, MatchEndReason.COMPLETED), mentee())
    assert found[OutcomeMeasure.GOAL_COMPLETION] == 0.25


def test_a_mentee_without_a_baseline_has_no_skill_growth_and_redelivery_changes_nothing() -> None:
    match = assessed(confirmed(), Role.MENTEE, AssessmentStage.END, python=4)
    match = survey(match, Role.MENTEE, 3, False, 2)
    match = done(match, "g1", "m1", "2027-04-01", "2027-04-01", 2)
    again = survey(match, Role.MENTEE, 3, False, 2)
    again = assessed(again, Role.MENTEE, AssessmentStage.END, python=4)
    again = done(again, "g1", "m1", "2027-04-01", "2027-04-01", 2)
    assert again == match, "the whole document, assessments included"
    assert measures(again, mentee()) == {
        OutcomeMeasure.SATISFACTION: 3.0,
        OutcomeMeasure.CONFIDENCE_GAINED: 2.0,
        OutcomeMeasure.WOULD_RECOMMEND: 0.0,
    }


def test_a_proposal_never_confirmed_has_no_outcomes() -> None:
    proposal = matches.base(None, "m-1")
    match = assessed(proposal, Role.MENTEE, AssessmentStage.BASELINE, python=2)
    match = assessed(match, Role.MENTEE, AssessmentStage.END, python=4)
    match = survey(match, Role.MENTEE, 5, True, 5)
    declined = MatchDeclined(match_id="m-1", mentee_id="e-1", by=Decider.MENTOR)
    match = matches.on_declined(match, declined)
    assert measures(match, mentee()) == {}, "declined: it never ran"
    closed: Match = {**match, "status": MatchStatus.ENDED, "end_reason": "withdrawn"}
    assert measures(closed, mentee()) == {}, "not confirmed: not an early closure either"
    ran: Match = {**closed, "confirmed_at": NOW.isoformat()}
    assert measures(ran, mentee())[OutcomeMeasure.RETENTION] == 0.0


def test_goals_updated_change_the_target_skills_and_the_milestones_that_count() -> None:
    match = done(confirmed(), "g1", "m1", "2027-04-01", "2027-04-01", 2)
    match = done(match, "g1", "m2", "2027-05-01", "2027-05-01", 2)
    match = done(match, "g2", "m1", "2027-04-15", "2027-04-15", 1)
    match = ended(match, MatchEndReason.COMPLETED)
    assert measures(match, mentee())[OutcomeMeasure.GOAL_COMPLETION] == 1.0
    pivot = Goal(
        goal_id="g1",
        statement="Lead a platform review",
        target_skills=(SkillLevel(skill_id="kubernetes", level=3),),
        milestones=(milestone("m2", "2027-05-01"), milestone("m3", "2027-06-01")),
    )
    updated = people.on_goals(mentee(), GoalsUpdated(participant_id="e-1", goals=(pivot,)))
    assert updated is not None
    assert updated["roles"].get("mentee", {}).get("goal_skills") == ["kubernetes"]
    assert updated.get("goal_milestone_ids") == {"g1": ["m2", "m3"]}
    found = measures(match, updated)
    assert found[OutcomeMeasure.GOAL_COMPLETION] == 0.5, "m2 of m2, m3; m1 and g2 are gone"
    assert people.on_goals(None, GoalsUpdated(participant_id="e-1", goals=(pivot,))) is None


def test_an_adjusted_goal_counts_only_its_milestones_as_they_now_stand() -> None:
    match = done(confirmed(), "g1", "m1", "2027-04-01", "2027-04-01", 2)
    match = done(match, "g1", "m2", "2027-05-01", "2027-05-01", 2)
    goal = Goal(
        goal_id="g1",
        statement="Lead a review",
        target_skills=(),
        milestones=(milestone("m2", "2027-05-01"), milestone("m4", "2027-06-01")),
    )
    answer = GoalAdjustmentAnswered(
        match_id="m-1", mentee_id="e-1", goal_id="g1", proposal_id="ga-1", accepted=True, goal=goal
    )
    adjusted = outcome_facts.on_adjusted(match, answer)
    assert adjusted is not None
    found = measures(ended(adjusted, MatchEndReason.COMPLETED), mentee())
    assert found[OutcomeMeasure.GOAL_COMPLETION] == pytest.approx(1 / 3), "m2 of m2, m4 and g2"


def test_an_erased_persons_outcome_facts_leave_the_match() -> None:
    match = assessed(confirmed(), Role.MENTEE, AssessmentStage.BASELINE, python=2)
    match = assessed(match, Role.MENTOR, AssessmentStage.END, python=3)
    match = survey(survey(match, Role.MENTEE, 4, True, 4), Role.MENTOR, 2, False, 1)
    match = done(match, "g1", "m1", "2027-04-01", "2027-04-01", 2)
    mentor_gone = outcome_facts.forget(match, "r-1")
    assert set(mentor_gone.get("assessments", {})) == {"baseline:mentee"}
    assert set(mentor_gone.get("end_surveys", {})) == {"mentee"}
    mentee_gone = outcome_facts.forget(match, "e-1")
    assert not set(outcome_facts.MENTEE_FACTS) & set(mentee_gone), "nothing about the mentee"
    assert outcome_facts.forget(match, "someone-else") == match


def test_a_proposal_keeps_its_raw_signals_and_arm_and_registrations_their_person() -> None:
    proposal = MatchProposed(
        **IDS,
        mentor_id="r-1",
        score=0.7,
        explanation=(),
        signals={MatchingSignal.SKILLS: 0.8, MatchingSignal.TIMEZONE: 1.0},
        experiment_id="exp-1",
        arm_id="b",
        rule_id="skills-first",
        rule_version=2,
    )
    match, events = outcome_facts.proposed(None, proposal, None, NOW)
    assert events == []
    assert match is not None
    assert match.get("signals") == {"skills": 0.8, "timezone": 1.0}
    assert (match.get("experiment_id"), match.get("arm_id"), match.get("rule_version")) == (
        "exp-1",
        "b",
        2,
    )
    person = mentee()
    assert (person.get("person_id"), person.get("segment")) == ("person-1", "new-manager")
    assert person.get("goal_milestone_ids") == {"g1": ["m1", "m2"], "g2": ["m1"]}
    mentor = people.on_mentor(
        None,
        MentorRegistered(participant_id="r-9", program_id="prog-1", skills=(), languages=("en",)),
        NOW,
    )
    assert mentor is not None
    assert mentor.get("person_id") == "r-9", "no person id: the enrolment"
