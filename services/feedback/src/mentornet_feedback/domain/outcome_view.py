"""What GET /matches/{match_id}/outcomes shows: the match's goals with their
milestones (reached or not, on time or not, with evidence), the adjustments, the
assessments by stage, growth per skill (the mentee's end level minus their baseline,
the mentor's end level alongside) and per goal (the mean over the goal's target skills
whose growth is known), and both end surveys: a survey's comments only for its author
and the program's team.
"""

from __future__ import annotations

from collections.abc import Mapping
from statistics import fmean
from typing import NotRequired, TypedDict

from mentornet_contracts.events.common import Role
from mentornet_contracts.events.outcomes import AssessmentStage

from . import milestones, outcomes
from .outcome_state import Assessment, Ending, Outcomes
from .outcomes import GoalDoc, Goals
from .state import Match
from .visibility import Reader
from .written import Texts


class SkillGrowth(TypedDict):
    skill_id: str
    baseline: int | None
    end_self: int | None
    growth: int | None
    mentor_end: int | None


class OutcomesView(TypedDict):
    match_id: str
    program_id: str
    mentor_id: str
    mentee_id: str
    status: str
    ended: NotRequired[Ending]
    goals: list[dict[str, object]]
    adjustments: list[dict[str, object]]
    assessments: dict[str, list[Assessment]]
    growth: list[SkillGrowth]
    surveys: list[dict[str, object]]


def _level(found: Outcomes, stage: AssessmentStage, by: Role) -> dict[str, int]:
    for assessment in found["assessments"]:
        if assessment["stage"] == stage and assessment["assessor"] == by:
            return assessment["levels"]
    return {}


def growth(found: Outcomes, skills: list[str]) -> list[SkillGrowth]:
    base = _level(found, AssessmentStage.BASELINE, Role.MENTEE)
    end = _level(found, AssessmentStage.END, Role.MENTEE)
    mentor = _level(found, AssessmentStage.END, Role.MENTOR)
    return [
        {
            "skill_id": skill,
            "baseline": base.get(skill),
            "end_self": end.get(skill),
            "growth": end[skill] - base[skill] if skill in end and skill in base else None,
            "mentor_end": mentor.get(skill),
        }
        for skill in skills
    ]


def goal_growth(goal: GoalDoc, per_skill: Mapping[str, SkillGrowth]) -> float | None:
    known = [g for s in outcomes.skills_of(goal) if (g := per_skill[s]["growth"]) is not None]
    return round(fmean(known), 3) if known else None


def _milestones(match: Match, goal: GoalDoc, texts: Texts) -> list[dict[str, object]]:
    shown = []
    for milestone in outcomes.milestones_of(goal):
        done = milestones.completion_of(match, str(goal["goal_id"]), str(milestone["milestone_id"]))
        view: dict[str, object] = {**milestone, "completed": done is not None}
        if done is not None:
            view["completed_on"] = done["completed_on"]
            view["on_time"] = done["completed_on"] <= done["due_date"]
            view["recorded_by"] = done["recorded_by"]
            if "text_id" in done and done["text_id"] in texts:
                view["evidence"] = texts[done["text_id"]].get("text")
        shown.append(view)
    return shown


def _worded(part: Mapping[str, object], texts: Texts, name: str, show: bool) -> dict[str, object]:
    view = {k: v for k, v in part.items() if k != "text_id"}
    text_id = str(part.get("text_id", ""))
    if show and text_id in texts:
        view[name] = texts[text_id].get("text")
    return view


def view(match: Match, goals: Goals, texts: Texts, reader: Reader) -> OutcomesView:
    """`goals`: the match's goals (outcomes.goals_of); `texts`: the words it names."""
    found = outcomes.outcomes_of(match)
    skills = sorted(outcomes.target_skills(goals))
    per_skill = {g["skill_id"]: g for g in growth(found, skills)}
    goal_views = [
        {
            **{k: v for k, v in goal.items() if k != "milestones"},
            "milestones": _milestones(match, goal, texts),
            "growth": goal_growth(goal, per_skill),
        }
        for goal in goals.values()
    ]
    done = found["assessments"]
    stages = {s.value: [a for a in done if a["stage"] == s] for s in AssessmentStage}
    surveys = [
        _worded(s, texts, "comments", reader in ("overseer", s["role"]))
        for s in found["surveys"].values()
    ]
    shown: OutcomesView = {
        "match_id": match["match_id"],
        "program_id": match["program_id"],
        "mentor_id": match["mentor_id"],
        "mentee_id": match["mentee_id"],
        "status": found["status"],
        "goals": goal_views,
        "adjustments": [_worded(a, texts, "note", True) for a in found["adjustments"].values()],
        "assessments": stages,
        "growth": list(per_skill.values()),
        "surveys": surveys,
    }
    if "ended" in found:
        shown["ended"] = found["ended"]
    return shown
