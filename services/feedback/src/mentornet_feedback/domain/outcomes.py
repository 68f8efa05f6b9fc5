"""A match's outcome facts (outcome_state.py): what the matcher's news makes of them
and the goals they refer to.

match.confirmed records the match (if a session did not already) with its goals,
seeded from the mentee's goals as intake last published them, and the mentee's
baseline: intake's skill_baseline for the skills those goals target, announced as
skill.assessed (stage baseline, by the mentee), once. match.ended marks the match
ended with its reason, which opens the end assessments and the end surveys; the end
of a match feedback never held as confirmed writes nothing (on_ended says why).

The match's goals are its plan (an accepted adjustment replaces its goal there) over
the mentee's current goals (a goal the mentee added later is the match's too).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from mentornet_chassis.errors import Conflict, NotFound
from mentornet_contracts.events.common import Role, SkillLevel
from mentornet_contracts.events.matches import MatchConfirmed, MatchEnded
from mentornet_contracts.events.outcomes import AssessmentStage, SkillAssessed

from .matches import new_match
from .outcome_state import Assessment, Ending, MatchStatus, Outcomes
from .state import Match, Person, PersonStatus

GoalDoc = Mapping[str, object]
"""A goal in JSON (mentornet_contracts.events.common.Goal)."""
Goals = Mapping[str, GoalDoc]
"""The match's goals by goal id."""


def blank() -> Outcomes:
    return {
        "status": MatchStatus.ACTIVE,
        "confirmed": False,
        "plan": {},
        "adjustments": {},
        "completions": {},
        "assessments": [],
        "surveys": {},
    }


def outcomes_of(match: Match) -> Outcomes:
    return match.get("outcomes") or blank()


def with_outcomes(match: Match, outcomes: Outcomes) -> Match:
    return {**match, "outcomes": outcomes}


def _active_goals(person: Person | None) -> list[dict[str, object]]:
    if person is None or person.get("status") != PersonStatus.ACTIVE:
        return []
    return person["goals"]


def goals_of(match: Match, person: Person | None) -> dict[str, GoalDoc]:
    """The match's goals: its plan over the mentee's current goals."""
    current = {str(g["goal_id"]): g for g in _active_goals(person)}
    return {**current, **outcomes_of(match)["plan"]}


def skills_of(goal: GoalDoc) -> list[str]:
    """The skill ids a goal targets, in its order."""
    targets = goal.get("target_skills") or []
    assert isinstance(targets, list)
    return [str(t["skill_id"]) for t in targets]


def target_skills(goals: Goals) -> set[str]:
    return {skill for goal in goals.values() for skill in skills_of(goal)}


def goal_in(goals: Goals, goal_id: str) -> GoalDoc:
    found = goals.get(goal_id)
    if found is None:
        raise NotFound("goal_id", f"the match has no goal {goal_id}")
    return found


def milestones_of(goal: GoalDoc) -> list[dict[str, object]]:
    """A goal's milestones (Milestone in JSON), in its order."""
    found = goal.get("milestones") or []
    assert isinstance(found, list)
    return [dict(milestone) for milestone in found]


def milestone_in(goal: GoalDoc, milestone_id: str) -> Mapping[str, object]:
    for milestone in milestones_of(goal):
        if milestone["milestone_id"] == milestone_id:
            return milestone
    raise NotFound("milestone_id", f"goal {goal['goal_id']} has no milestone {milestone_id}")


def ended_required(match: Match, what: str) -> None:
    """Refuses (409, with the match's status) what only an ended match takes."""
    status = outcomes_of(match)["status"]
    if status != MatchStatus.ENDED:
        raise Conflict("state", f"{what} opens once the match has ended", status=status)


def active_required(match: Match, what: str) -> None:
    found = outcomes_of(match)
    if found["status"] != MatchStatus.ACTIVE:
        raise Conflict("state", f"{what}: the match has ended", status=found["status"])


def baseline_of(person: Person | None, goals: Goals) -> list[SkillLevel]:
    """Intake's baseline for the skills the goals target (first level given per skill)."""
    wanted, levels = target_skills(goals), {}
    given = person.get("skill_baseline", []) if person is not None else []
    for level in given:
        skill = str(level["skill_id"])
        if skill in wanted and skill not in levels:
            levels[skill] = SkillLevel.model_validate(level)
    return list(levels.values())


def on_confirmed(
    current: Match | None, event: MatchConfirmed, person: Person | None, at: datetime
) -> tuple[Match | None, list[SkillAssessed]]:
    """The match recorded with its goals and the mentee's baseline; nothing again once
    confirmed (a redelivery, a repeated confirmation)."""
    match = current or new_match(event.match_id, event.program_id, event.mentor_id, event.mentee_id)
    outcomes = outcomes_of(match)
    if outcomes["confirmed"]:
        return None, []
    seeded = {str(g["goal_id"]): g for g in _active_goals(person)}
    plan = {**seeded, **outcomes["plan"]}
    levels = baseline_of(person, plan)
    confirmed: Outcomes = {**outcomes, "confirmed": True, "plan": plan}
    if not levels:
        return with_outcomes(match, confirmed), []
    baseline: Assessment = {
        "assessor": Role.MENTEE,
        "stage": AssessmentStage.BASELINE,
        "levels": {level.skill_id: level.level for level in levels},
        "at": at.isoformat(),
    }
    confirmed["assessments"] = [baseline, *outcomes["assessments"]]
    event_out = SkillAssessed(
        match_id=match["match_id"],
        mentee_id=match["mentee_id"],
        program_id=match["program_id"],
        assessor=Role.MENTEE,
        stage=AssessmentStage.BASELINE,
        levels=tuple(levels),
    )
    return with_outcomes(match, confirmed), [event_out]


def on_ended(current: Match | None, event: MatchEnded, at: datetime) -> Match | None:
    """A match feedback holds as confirmed (or has sessions for) ended with its reason;
    an end already recorded stays as it was.

    The end of a match feedback does not hold (None, or a document written by neither
    a confirmation nor a session) is acknowledged and nothing is written: the matcher
    also ends proposals that never ran (a shortlist's options not picked end with cause
    option_not_picked, an open proposal can end withdrawn), and those have no outcomes.
    That is a fact about a match feedback does not hold, not an end lost: match.confirmed
    and match.ended travel on mentornet.matches keyed by the mentee id, so a match's
    confirmation is always consumed before its end. A confirmation waiting for the
    mentee's registration (parked, usecases/match_facts.py) holds its line: the chassis
    parks the end behind it (mentornet_chassis.messaging.ordering), so the end applies
    after the confirmation has recorded the match. Sessions (mentornet.sessions, keyed
    by the match id) can be consumed before the confirmation; a match known by its
    sessions ran, so its end is recorded too.
    """
    if current is None or not (outcomes_of(current)["confirmed"] or current["sessions"]):
        return None
    found = outcomes_of(current)
    if found["status"] == MatchStatus.ENDED:
        return None
    ending: Ending = {"at": at.isoformat(), "reason": str(event.reason), "detail": event.detail}
    ended: Outcomes = {**found, "status": MatchStatus.ENDED, "ended": ending}
    return with_outcomes(current, ended)
