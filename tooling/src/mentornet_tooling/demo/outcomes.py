"""The experiment's pairs record what they achieve, through feedback: milestones done
(on time or late) with a milestone review each week, and once the coordinator ends the
matches, both people's end assessments and end-of-match surveys. What they record is
simulated (outcomes_sim.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from mentornet_tooling.demo.client import Api, Json, until
from mentornet_tooling.demo.experiment import Experiment
from mentornet_tooling.demo.matching import confirmed
from mentornet_tooling.demo.outcomes_sim import Outcome, Pair, completed_on, simulate, skill_fit

EVIDENCE = "Shared the work with the mentor; notes in the team wiki."


@dataclass
class Lab:
    experiment: Experiment
    matches: dict[str, Json]
    """The experiment's confirmed matches, by id."""
    outcomes: dict[str, Outcome]
    done: dict[str, set[str]] = field(default_factory=dict)
    """Milestones recorded, per match."""

    def goal(self, match: Json) -> Json:
        goal: Json = self.experiment.program.profiles[match["mentee_id"]]["goals"][0]
        return goal


def start(api: Api, experiment: Experiment) -> Lab:
    """The experiment's pairs once matched, and what each will achieve."""
    program = experiment.program
    matches = {m["match_id"]: m for m in confirmed(api, program) if m.get("arm_id")}
    pairs = []
    for match in matches.values():
        mentee = program.profiles[match["mentee_id"]]
        [target] = mentee["goals"][0]["target_skills"]
        offered = {
            s["skill_id"]: s["level"] for s in program.profiles[match["mentor_id"]]["skills"]
        }
        fit = skill_fit(match.get("signals"), offered, target["skill_id"], target["level"])
        baseline = mentee["skill_baseline"][0]["level"]
        number = program.mentees.index(match["mentee_id"])
        milestones = len(mentee["goals"][0]["milestones"])
        pairs.append(Pair(match["match_id"], number, fit, baseline, milestones))
    return Lab(experiment, matches, simulate(experiment.seed, pairs))


def week(api: Api, lab: Lab, today: date) -> int:
    """Milestones done by `today`, each with the mentee's review; how many."""
    return sum(api.each(lambda item: _milestones(api, lab, *item, today), lab.matches.items()))


def _milestones(api: Api, lab: Lab, match_id: str, match: Json, today: date) -> int:
    goal, outcome = lab.goal(match), lab.outcomes[match_id]
    done = lab.done.setdefault(match_id, set())
    recorded = 0
    for index, milestone in enumerate(goal["milestones"]):
        due = date.fromisoformat(milestone["due_date"])
        when = completed_on(due, outcome.on_time[index], today)
        if milestone["milestone_id"] in done or when is None:
            continue
        if _complete(api, match, goal, milestone["milestone_id"], when):
            done.add(milestone["milestone_id"])
            _review(api, match, goal, milestone["milestone_id"], outcome.level_after(len(done)))
            recorded += 1
    return recorded


def _complete(api: Api, match: Json, goal: Json, milestone_id: str, when: date) -> bool:
    path = f"/matches/{match['match_id']}/goals/{goal['goal_id']}/milestones/{milestone_id}"
    body = {"completed_on": when.isoformat(), "evidence": EVIDENCE}
    answer = api.post(
        "feedback", f"{path}/completion", body, as_=_as(match, "mentee"), allow=(404, 409)
    )
    # a 409: recorded already; a 404: feedback has not seen the match yet (next week)
    return answer.get("error") != "not_found"


def _review(api: Api, match: Json, goal: Json, milestone_id: str, level: int) -> None:
    body = {
        "stage": "milestone",
        "levels": [{"skill_id": goal["target_skills"][0]["skill_id"], "level": level}],
        "goal_id": goal["goal_id"],
        "milestone_id": milestone_id,
    }
    path = f"/matches/{match['match_id']}/skill-assessments"
    api.post("feedback", path, body, as_=_as(match, "mentee"), allow=(409,))


def close(api: Api, lab: Lab, stalling: set[str]) -> int:
    """The coordinator ends the experiment's matches (stalled ones as stalled, the rest
    as completed), then both people record their end assessment and end-of-match
    survey; returns how many mentees assessed themselves."""
    _follow_rematches(api, lab)

    def end(match: Json) -> None:
        reason = "stalled" if match["mentee_id"] in stalling else "completed"
        body: Json = {"reason": reason, "detail": "the demo's simulated weeks are over"}
        api.post("matcher", f"/matches/{match['match_id']}/end", body, allow=(409,))

    api.each(end, lab.matches.values())
    until("feedback to see the experiment's matches end", lambda: _ended(api, lab), timeout_s=60)
    return len(api.each(lambda item: _end_of(api, lab, *item), lab.matches.items()))


def _end_of(api: Api, lab: Lab, match_id: str, match: Json) -> None:
    """Both people's end assessment and end-of-match survey."""
    outcome, skill = lab.outcomes[match_id], lab.goal(match)["target_skills"][0]["skill_id"]
    for side, level in (("mentee", outcome.end_self), ("mentor", outcome.end_mentor)):
        body = {"stage": "end", "levels": [{"skill_id": skill, "level": level}]}
        path = f"/matches/{match_id}/skill-assessments"
        api.post("feedback", path, body, as_=_as(match, side), allow=(409,))
    for side, survey in (("mentee", outcome.mentee), ("mentor", outcome.mentor)):
        path = f"/matches/{match_id}/end-survey"
        api.post("feedback", path, survey.body(), as_=_as(match, side), allow=(409,))


def fit_by_arm(lab: Lab) -> dict[str, float]:
    """Mean skill fit of each arm's pairs: what the simulated growth follows."""
    fits: dict[str, list[float]] = {}
    for match_id, match in lab.matches.items():
        fits.setdefault(str(match["arm_id"]), []).append(lab.outcomes[match_id].fit)
    return {arm: sum(values) / len(values) for arm, values in sorted(fits.items())}


def _follow_rematches(api: Api, lab: Lab) -> None:
    """A mentee rematched during the weeks (their match stalled) is assessed in the
    match they are in now: QA takes a mentee's outcome from their latest match."""
    now = {m["mentee_id"]: m for m in confirmed(api, lab.experiment.program)}
    for match_id, match in list(lab.matches.items()):
        current = now.get(match["mentee_id"])
        if current is not None and current["match_id"] != match_id:
            del lab.matches[match_id]
            lab.matches[current["match_id"]] = current
            lab.outcomes[current["match_id"]] = lab.outcomes.pop(match_id)


def _ended(api: Api, lab: Lab) -> bool:
    def status(match_id: str) -> Any:
        path = f"/matches/{match_id}/outcomes"
        return api.call("GET", "feedback", path, allow=(404,)).get("status")

    return all(found == "ended" for found in api.each(status, lab.matches))


def _as(match: Json, side: str) -> tuple[str, str]:
    return match[f"{side}_id"], side
