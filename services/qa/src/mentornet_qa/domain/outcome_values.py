"""One mentee's outcome values in one match, from QA's view of the match (the facts
feedback and the matcher announced) and of the mentee (their registration).

`measures` gives each OutcomeMeasure that is known, by its definition (docs/outcomes.md):

- skill_growth: mean over the mentee's target skills of (end self-level - baseline);
  skills without both levels are left out; unknown without any such skill.
- goal_completion: milestones completed by their due date / milestones of the mentee's
  goals as they now stand (a match's accepted adjustment, else the mentee's goals as
  registered or last updated; a completed milestone no longer in its goal does not
  count); known once the match has ended or every milestone is recorded.
- satisfaction, confidence_gained (1-5), would_recommend (1 or 0): the mentee's own
  end-of-match survey.
- retention: 1 when the match ended completed (ran its course), 0 when it ended early
  (withdrawn, stalled, rematched, other); unknown while it runs.

A proposal never confirmed (declined, or an option not picked) is not a match that ran:
it has no outcomes.
"""

from __future__ import annotations

from statistics import fmean

from mentornet_contracts.events.programs import OutcomeMeasure

from .documents import Match, MatchStatus, Person
from .outcome_docs import Assessment, MilestoneDone

RAN_ITS_COURSE = "completed"
EARLY_ENDS = ("withdrawn", "stalled", "rematched", "other")
"""How a match closes early; a rematch is one too (the pair did not run its course)."""


def assessment_key(stage: str, assessor: str, goal_id: str | None, milestone_id: str | None) -> str:
    """Where a match keeps an assessment: one per stage and assessor, one per milestone
    review."""
    if stage == "milestone":
        return f"milestone:{assessor}:{goal_id or ''}:{milestone_id or ''}"
    return f"{stage}:{assessor}"


def target_skills(mentee: Person | None) -> list[str]:
    role = mentee["roles"].get("mentee") if mentee else None
    return list(role.get("goal_skills", [])) if role else []


def _growth(
    end: Assessment | None, baseline: Assessment | None, targets: list[str]
) -> float | None:
    if end is None or baseline is None:
        return None
    before, after = baseline["levels"], end["levels"]
    skills = [s for s in (targets or sorted(after)) if s in before and s in after]
    if not skills:
        return None
    return fmean(after[s] - before[s] for s in skills)


def _assessment(match: Match, stage: str, assessor: str) -> Assessment | None:
    return (match.get("assessments") or {}).get(assessment_key(stage, assessor, None, None))


def skill_growth(match: Match, mentee: Person | None) -> float | None:
    """The mentee's own end levels against their baseline."""
    baseline = _assessment(match, "baseline", "mentee")
    return _growth(_assessment(match, "end", "mentee"), baseline, target_skills(mentee))


def mentor_assessed_growth(match: Match, mentee: Person | None) -> float | None:
    """The mentor's end levels against the mentee's baseline."""
    baseline = _assessment(match, "baseline", "mentee")
    return _growth(_assessment(match, "end", "mentor"), baseline, target_skills(mentee))


def goal_milestones(match: Match, mentee: Person | None) -> dict[str, list[str]] | None:
    """Each goal's milestone ids as the goal now stands: the match's accepted adjustment,
    else the mentee's goals; None when neither is known."""
    current = (mentee.get("goal_milestone_ids") if mentee else None) or {}
    adjusted = match.get("goal_milestones") or {}
    if not current and not adjusted:
        return None
    return {**current, **adjusted}


def _standing(match: Match, mentee: Person | None) -> tuple[int, list[MilestoneDone]]:
    """Milestones planned and those completed, counting only milestones of the goals as
    they now stand (by counts from milestone.completed when no goal is known)."""
    done = list((match.get("milestones_done") or {}).values())
    goals = goal_milestones(match, mentee)
    if goals is None:
        return sum((match.get("milestones_in_goal") or {}).values()), done
    kept = [m for m in done if m["milestone_id"] in goals.get(m["goal_id"], ())]
    return sum(len(ids) for ids in goals.values()), kept


def goal_completion(match: Match, mentee: Person | None) -> float | None:
    planned, done = _standing(match, mentee)
    planned = max(planned, len(done))
    if planned == 0:
        return None
    if match["status"] != MatchStatus.ENDED and len(done) < planned:
        return None
    return sum(1 for m in done if m["on_time"]) / planned


def retention(match: Match) -> float | None:
    if match["status"] != MatchStatus.ENDED:
        return None
    reason = match.get("end_reason")
    if reason == RAN_ITS_COURSE:
        return 1.0
    return 0.0 if reason in EARLY_ENDS else None


def measures(match: Match, mentee: Person | None) -> dict[OutcomeMeasure, float]:
    """Every outcome of the mentee in this match that is known (none for a proposal
    that was never confirmed)."""
    if not match.get("confirmed_at"):
        return {}
    found: dict[OutcomeMeasure, float | None] = {
        OutcomeMeasure.SKILL_GROWTH: skill_growth(match, mentee),
        OutcomeMeasure.GOAL_COMPLETION: goal_completion(match, mentee),
        OutcomeMeasure.RETENTION: retention(match),
    }
    survey = (match.get("end_surveys") or {}).get("mentee")
    if survey is not None:
        found[OutcomeMeasure.SATISFACTION] = float(survey["satisfaction"])
        found[OutcomeMeasure.CONFIDENCE_GAINED] = float(survey["confidence_gained"])
        found[OutcomeMeasure.WOULD_RECOMMEND] = 1.0 if survey["would_recommend"] else 0.0
    return {k: v for k, v in found.items() if v is not None}
