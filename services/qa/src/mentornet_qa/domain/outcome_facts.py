"""Outcome facts of a match, kept on QA's view of it: the proposal's raw signals and
experiment arm (matches), skill assessments, milestones reached, goal adjustments and
end-of-match surveys (feedback). Each fact is kept under its own key, so a fact
delivered again changes nothing."""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from mentornet_contracts.events.matches import MatchProposed
from mentornet_contracts.events.outcomes import (
    EndSurveySubmitted,
    GoalAdjustmentAnswered,
    MilestoneCompleted,
    SkillAssessed,
)

from . import matches, triggers
from .documents import Match
from .outcome_docs import Assessment, EndSurvey, MilestoneDone
from .outcome_values import assessment_key
from .program import Program

MENTEE_FACTS = (
    "assessments",
    "milestones_done",
    "milestones_in_goal",
    "goal_milestones",
    "end_surveys",
)
"""The outcome facts of a match that are all about its mentee."""


def proposed(
    state: Match | None, event: MatchProposed, program: Program | None, now: datetime
) -> triggers.Step:
    """The proposal as triggers keep it, with its raw signals and experiment arm."""
    match, events = triggers.proposed(state, event, program, now)
    if match is None:
        return match, events
    armed: Match = {
        **match,
        "signals": {str(k): float(v) for k, v in event.signals.items()},
        "experiment_id": event.experiment_id,
        "arm_id": event.arm_id,
        "rule_id": event.rule_id,
        "rule_version": event.rule_version,
    }
    return armed, events


def _known(match: Match, event: Any) -> Match:
    """The match, with its program and mentee when QA had not heard them yet."""
    match["program_id"] = match["program_id"] or getattr(event, "program_id", None)
    match["mentee_id"] = match["mentee_id"] or event.mentee_id
    return match


def on_assessed(current: Match | None, event: SkillAssessed, now: datetime) -> Match:
    match = _known(matches.base(current, event.match_id), event)
    stage, assessor = str(event.stage), str(event.assessor)
    key = assessment_key(stage, assessor, event.goal_id, event.milestone_id)
    assessment = Assessment(
        assessor=assessor,
        stage=stage,
        levels={s.skill_id: s.level for s in event.levels},
        goal_id=event.goal_id,
        milestone_id=event.milestone_id,
        at=now.isoformat(),
    )
    return {**match, "assessments": {**(match.get("assessments") or {}), key: assessment}}


def on_milestone(current: Match | None, event: MilestoneCompleted) -> Match:
    match = _known(matches.base(current, event.match_id), event)
    done = MilestoneDone(
        goal_id=event.goal_id,
        milestone_id=event.milestone_id,
        due_date=event.due_date.isoformat(),
        completed_on=event.completed_on.isoformat(),
        on_time=event.completed_on <= event.due_date,
    )
    key = f"{event.goal_id}/{event.milestone_id}"
    counts = {**(match.get("milestones_in_goal") or {}), event.goal_id: event.milestones_in_goal}
    return {
        **match,
        "milestones_done": {**(match.get("milestones_done") or {}), key: done},
        "milestones_in_goal": counts,
    }


def on_adjusted(current: Match | None, event: GoalAdjustmentAnswered) -> Match | None:
    """An accepted adjustment's goal is the goal from then on: its milestones (by id)
    are the ones that count."""
    if not event.accepted or event.goal is None or not event.goal.milestones:
        return None
    match = _known(matches.base(current, event.match_id), event)
    ids = [m.milestone_id for m in event.goal.milestones]
    return {
        **match,
        "goal_milestones": {**(match.get("goal_milestones") or {}), event.goal_id: ids},
    }


def on_end_survey(current: Match | None, event: EndSurveySubmitted, now: datetime) -> Match:
    match = _known(matches.base(current, event.match_id), event)
    survey = EndSurvey(
        role=str(event.role),
        template_id=event.template_id,
        template_version=event.template_version,
        satisfaction=event.satisfaction,
        would_recommend=event.would_recommend,
        confidence_gained=event.confidence_gained,
        at=now.isoformat(),
    )
    return {**match, "end_surveys": {**(match.get("end_surveys") or {}), survey["role"]: survey}}


def assessed(
    state: Match | None, event: SkillAssessed, program: Program | None, now: datetime
) -> triggers.Step:
    return on_assessed(state, event, now), []


def milestone(
    state: Match | None, event: MilestoneCompleted, program: Program | None, now: datetime
) -> triggers.Step:
    return on_milestone(state, event), []


def adjusted(
    state: Match | None, event: GoalAdjustmentAnswered, program: Program | None, now: datetime
) -> triggers.Step:
    return on_adjusted(state, event), []


def surveyed(
    state: Match | None, event: EndSurveySubmitted, program: Program | None, now: datetime
) -> triggers.Step:
    return on_end_survey(state, event, now), []


def forget(match: Match, person: str) -> Match:
    """An erased person's outcome facts leave the match: an erased mentee's assessments,
    milestones and surveys (every outcome fact is about them); an erased mentor's own
    survey and assessments."""
    if match.get("mentee_id") == person:
        kept = {k: v for k, v in match.items() if k not in MENTEE_FACTS}
        return cast(Match, kept)
    if match.get("mentor_id") != person:
        return match
    assessments = {
        k: a for k, a in (match.get("assessments") or {}).items() if a["assessor"] != "mentor"
    }
    surveys = {r: s for r, s in (match.get("end_surveys") or {}).items() if r != "mentor"}
    return {**match, "assessments": assessments, "end_surveys": surveys}
