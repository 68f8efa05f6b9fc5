"""A matching experiment from definition to verdict, through the five services' own APIs
on the real broker and store:

- intake: a program that matches on time zones, two mentors (a python expert six hours
  away, a public speaker next door) and twelve mentees with SMART goals and baselines;
- matcher: the coordinator's experiment (arm a: the program's weights; arm b: skills
  first), each mentee assigned an arm as they register (experiment.arm.assigned,
  stratified by segment) and proposed the mentor their arm's weights prefer
  (match.proposed with the arm and the raw signals); the coordinator ends the matches;
- feedback: both people record outcomes: a goal adjustment the mentor proposes and the
  mentee accepts, milestones with evidence and reviews, end assessments, end-of-match
  surveys;
- QA: the experiment's results per arm and the verdict, and the program's outcome report.

Arm b's mentees are given more growth by the test, so B must come out better.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import partial
from statistics import mean
from typing import Any

import pytest
from mentornet_contracts.catalogue import MATCHES
from mentornet_tooling.testing.backends import Endpoints
from mentornet_tooling.testing.poll import eventually
from mentornet_tooling.testing.services import RunningService

from tests.conftest import ServiceOn
from tests.support.events import events_of
from tests.support.helpers import PROGRAM, matcher_knows, mentee_body, token

pytestmark = pytest.mark.e2e

ALL_WEEK = [
    {"weekday": d, "start": "00:00", "end": "24:00"}
    for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
]
BERLIN = {"timezone": "Europe/Berlin", "weekly": ALL_WEEK}
NEW_YORK = {"timezone": "America/New_York", "weekly": ALL_WEEK}
TIME_FIRST = {"availability": 0.3, "timezone": 0.7}
SKILLS_FIRST = {"skills": 0.9, "timezone": 0.1}
SEGMENTS = ("early-career", "experienced")
MENTEES = 12
PER_ARM = 6
GROWTH = {"a": [0, 1, 1, 0, 1, 2], "b": [2, 3, 2, 2, 1, 3]}
"""Levels each arm's mentees grow, in the order they were assigned."""
BASELINE = 2


def smart_goal(today: str) -> dict[str, Any]:
    start = datetime.fromisoformat(today)
    due = [(start + timedelta(weeks=w)).date().isoformat() for w in (0, 4, 12)]
    return {
        "goal_id": "g1",
        "statement": "Write production Python services",
        "target_skills": [{"skill_id": "python", "level": 4}],
        "measurable_outcome": "Two services in production, reviewed by the team",
        "target_date": due[2],
        "milestones": [
            {"milestone_id": "m1", "statement": "First service reviewed", "due_date": due[0]},
            {"milestone_id": "m2", "statement": "Second service live", "due_date": due[1]},
        ],
    }


def experiment(experiment_id: str) -> dict[str, Any]:
    return {
        "experiment_id": experiment_id,
        "name": "Skills first vs the program's weights",
        "arms": [
            {"arm_id": "a", "rule": {"rule_id": "program", "version": 1, "weights": TIME_FIRST}},
            {
                "arm_id": "b",
                "rule": {"rule_id": "skills-first", "version": 1, "weights": SKILLS_FIRST},
            },
        ],
        "control_arm_id": "a",
        "primary_outcome": "skill_growth",
        "stop_rule": {"min_sample_per_arm": PER_ARM, "max_weeks": 12},
        "seed": 20270104,
    }


def _ok(response: Any, status: int = 200) -> dict[str, Any]:
    assert response.status_code == status, f"{response.request.url}: {response.text}"
    body: dict[str, Any] = response.json()
    return body


@dataclass
class Trial:
    """What the test set up: the program, its mentors, the experiment and, per mentee,
    their segment, arm, proposal and the growth the test gives them."""

    unique: str
    program_id: str
    team: dict[str, str]
    far: str
    near: str
    experiment_id: str = ""
    segment_of: dict[str, str] = field(default_factory=dict)
    arm_of: dict[str, str] = field(default_factory=dict)
    match_of: dict[str, dict[str, Any]] = field(default_factory=dict)
    growth_of: dict[str, int] = field(default_factory=dict)

    def ours(self, event: dict[str, Any]) -> bool:
        return event["mentee_id"] in self.segment_of


async def _register(intake: RunningService, team: dict[str, str], role: str, body: Any) -> str:
    answer = await intake.http.post(f"/participants/{role}", json=body, headers=team)
    return str(_ok(answer, 201)["participant_id"])


async def _mentor(
    intake: RunningService, team: dict[str, str], program_id: str, who: str, skill: str
) -> str:
    """`who`: far, a python expert in New York, or near, a public speaker in Berlin."""
    where = NEW_YORK if who.startswith("far") else BERLIN
    body = mentee_body(who, program_id, display_name=f"Mentor {who}", availability=where)
    body |= {"skills": [{"skill_id": skill, "level": 5}], "capacity": 20}
    return await _register(intake, team, "mentors", body)


async def _program(intake: RunningService, matcher: RunningService, unique: str) -> Trial:
    """A published program that matches on time zones, and its two mentors, known to
    the matcher."""
    creator = token(f"c-{unique}", "coordinator")
    spec = {
        **PROGRAM,
        "approval_mode": "auto",
        "matching_weights": TIME_FIRST,
        "max_active_mentees_per_mentor": 20,
        "max_monthly_hours_per_mentor": 160,
        "outcome_measures": ["skill_growth", "goal_completion", "satisfaction", "retention"],
    }
    program_id = _ok(await intake.http.post("/programs", json=spec, headers=creator), 201)[
        "program_id"
    ]
    _ok(await intake.http.post(f"/programs/{program_id}/publish", headers=creator))
    team = token(f"c-{unique}", "coordinator", programs=[program_id])
    far = await _mentor(intake, team, program_id, f"far-{unique}", "python")
    near = await _mentor(intake, team, program_id, f"near-{unique}", "public-speaking")
    for mentor_id in (far, near):
        await eventually(partial(matcher_knows, matcher, mentor_id), what=f"{mentor_id}")
    runs = f"/programs/{program_id}/matching-runs/latest"

    async def known() -> bool:
        return (await matcher.http.get(runs, headers=team)).status_code == 200

    await eventually(known, what="the matcher to know the program")
    return Trial(unique, program_id, team, far, near)


async def _assign(
    stack: Endpoints, intake: RunningService, matcher: RunningService, trial: Trial, today: str
) -> None:
    """The experiment, then twelve mentees with SMART goals: each is assigned an arm
    as they register, six per arm, three per arm in each segment."""
    base = f"/programs/{trial.program_id}/experiments"
    defined = await matcher.http.post(
        base, json=experiment(f"exp-{trial.unique}"), headers=trial.team
    )
    trial.experiment_id = _ok(defined, 201)["experiment_id"]
    for n in range(MENTEES):
        body = mentee_body(f"{n}-{trial.unique}", trial.program_id, availability=BERLIN)
        body |= {
            "goals": [smart_goal(today)],
            "skill_baseline": [{"skill_id": "python", "level": BASELINE}],
            "segment": SEGMENTS[n % 2],
        }
        trial.segment_of[await _register(intake, trial.team, "mentees", body)] = SEGMENTS[n % 2]
    assigned = await events_of(
        stack, MATCHES.name, "experiment.arm.assigned", trial.ours, count=MENTEES
    )
    trial.arm_of = {a["mentee_id"]: a["arm_id"] for a in assigned}
    assert len(trial.arm_of) == MENTEES
    assert Counter(trial.arm_of.values()) == {"a": PER_ARM, "b": PER_ARM}
    per_stratum = Counter((a["stratum"], a["arm_id"]) for a in assigned)
    assert per_stratum == {(s, arm): PER_ARM // 2 for s in SEGMENTS for arm in "ab"}
    assert {(a["arm_id"], a["rule_id"]) for a in assigned} == {
        ("a", "program"),
        ("b", "skills-first"),
    }
    [stopped] = await events_of(
        stack,
        MATCHES.name,
        "experiment.stopped",
        lambda e: e["experiment_id"] == trial.experiment_id,
    )
    assert stopped["reason"] == "sample_reached"
    frozen = await matcher.http.put(
        f"{base}/{trial.experiment_id}/arms",
        json={"arms": experiment(trial.experiment_id)["arms"], "control_arm_id": "b"},
        headers=trial.team,
    )
    assert frozen.status_code == 409, frozen.text


async def _matched(
    stack: Endpoints, matcher: RunningService, feedback: RunningService, trial: Trial
) -> None:
    """Each mentee is proposed the mentor their arm's weights prefer (the python expert
    far away in arm b, the mentor next door in arm a); the mentors accept."""
    proposals = await events_of(stack, MATCHES.name, "match.proposed", trial.ours, count=MENTEES)
    preferred = {"a": trial.near, "b": trial.far}
    for proposed in proposals:
        arm = trial.arm_of[proposed["mentee_id"]]
        assert (proposed["experiment_id"], proposed["arm_id"]) == (trial.experiment_id, arm)
        assert proposed["mentor_id"] == preferred[arm], proposed
        skills = proposed["signals"]["skills"]
        assert (skills == 1.0) if arm == "b" else (skills < 0.5), proposed
        trial.match_of[proposed["mentee_id"]] = proposed
    assert len(trial.match_of) == MENTEES
    for proposed in trial.match_of.values():
        accepted = await matcher.http.post(
            f"/matches/{proposed['match_id']}/accept",
            headers=token(proposed["mentor_id"], "mentor"),
        )
        assert _ok(accepted)["status"] == "confirmed"
    for proposed in trial.match_of.values():
        await eventually(
            partial(_feedback_sees, feedback, proposed["match_id"], trial.team, "active"),
            what="feedback to know the match",
        )


async def _feedback_sees(
    feedback: RunningService, match_id: str, team: dict[str, str], status: str
) -> bool:
    seen = await feedback.http.get(f"/matches/{match_id}/outcomes", headers=team)
    return seen.status_code == 200 and seen.json()["status"] == status


async def _milestones(
    feedback: RunningService, proposed: dict[str, Any], today: str, done: int
) -> None:
    """The mentee completes `done` milestones today, each with its review."""
    mentee = token(proposed["mentee_id"], "mentee")
    match = f"/matches/{proposed['match_id']}"
    for n in range(1, done + 1):
        completed = await feedback.http.post(
            f"{match}/goals/g1/milestones/m{n}/completion",
            json={"completed_on": today, "evidence": f"Service {n} reviewed by the team."},
            headers=mentee,
        )
        _ok(completed, 201)
        review = {
            "stage": "milestone",
            "levels": [{"skill_id": "python", "level": BASELINE + (n - 1)}],
            "goal_id": "g1",
            "milestone_id": f"m{n}",
        }
        assessed = await feedback.http.post(
            f"{match}/skill-assessments", json=review, headers=mentee
        )
        _ok(assessed, 201)


async def _adjust(feedback: RunningService, proposed: dict[str, Any], today: str) -> None:
    """The mentor proposes a later target date; the mentee accepts: the goal of the match
    has it from then on."""
    later = (datetime.fromisoformat(today) + timedelta(weeks=14)).date().isoformat()
    goal = f"/matches/{proposed['match_id']}/goals/g1"
    proposal = await feedback.http.post(
        f"{goal}/adjustments",
        json={"target_date": later, "note": "Two more weeks for the second service."},
        headers=token(proposed["mentor_id"], "mentor"),
    )
    proposal_id = _ok(proposal, 201)["proposal_id"]
    answered = await feedback.http.post(
        f"{goal}/adjustments/{proposal_id}/answer",
        json={"accept": True},
        headers=token(proposed["mentee_id"], "mentee"),
    )
    assert _ok(answered)["goal"]["target_date"] == later


async def _close(matcher: RunningService, feedback: RunningService, trial: Trial) -> None:
    """No end survey before the end (409); the coordinator ends every match (one arm-a
    mentee withdrew), then both people assess and answer the end-of-match survey."""
    first = next(iter(trial.match_of.values()))
    early = await feedback.http.post(
        f"/matches/{first['match_id']}/end-survey",
        json={"satisfaction": 4, "would_recommend": True, "confidence_gained": 4},
        headers=token(first["mentee_id"], "mentee"),
    )
    assert early.status_code == 409, early.text
    withdrawn = min(m for m in trial.match_of if trial.arm_of[m] == "a")
    for mentee_id, proposed in trial.match_of.items():
        reason = "withdrawn" if mentee_id == withdrawn else "completed"
        ended = await matcher.http.post(
            f"/matches/{proposed['match_id']}/end",
            json={"reason": reason, "detail": "the test's twelve weeks are over"},
            headers=trial.team,
        )
        _ok(ended)
    for proposed in trial.match_of.values():
        await eventually(
            partial(_feedback_sees, feedback, proposed["match_id"], trial.team, "ended"),
            what="feedback to see the match end",
        )
        await _end(feedback, proposed, trial.growth_of[proposed["mentee_id"]])


async def _end(feedback: RunningService, proposed: dict[str, Any], growth: int) -> None:
    """Both people's end assessments and end-of-match surveys."""
    match = f"/matches/{proposed['match_id']}"
    for side, level in (("mentee", BASELINE + growth), ("mentor", BASELINE + max(growth - 1, 0))):
        who = token(proposed[f"{side}_id"], side)
        body = {"stage": "end", "levels": [{"skill_id": "python", "level": level}]}
        _ok(await feedback.http.post(f"{match}/skill-assessments", json=body, headers=who), 201)
        survey = {
            "satisfaction": 3 + min(growth, 2),
            "would_recommend": growth > 0,
            "confidence_gained": 2 + min(growth, 3),
        }
        _ok(await feedback.http.post(f"{match}/end-survey", json=survey, headers=who), 201)


async def _one_match(feedback: RunningService, trial: Trial) -> None:
    """A match's outcomes as feedback shows them to its mentee: baseline, end and growth
    of the skill, the mentor's end level, milestone reviews and both surveys."""
    mentee_id, first = min(trial.match_of.items())
    seen = await feedback.http.get(
        f"/matches/{first['match_id']}/outcomes", headers=token(mentee_id, "mentee")
    )
    outcomes = _ok(seen)
    [skill] = outcomes["growth"]
    grew = trial.growth_of[mentee_id]
    assert (skill["baseline"], skill["end_self"], skill["growth"]) == (
        BASELINE,
        BASELINE + grew,
        grew,
    )
    assert skill["mentor_end"] == BASELINE + max(grew - 1, 0)
    assert {s["role"] for s in outcomes["surveys"]} == {"mentee", "mentor"}
    reviews = 2 if trial.arm_of[mentee_id] == "b" else 1
    assert len(outcomes["assessments"]["milestone"]) == reviews
    [adjusted] = outcomes["adjustments"]
    [goal] = outcomes["goals"]
    assert (adjusted["status"], goal["target_date"]) == (
        "accepted",
        adjusted["change"]["target_date"],
    )


async def test_an_experiment_from_assignment_to_verdict(
    stack: Endpoints,
    intake: RunningService,
    matcher: RunningService,
    scheduler_on: ServiceOn,
    feedback_on: ServiceOn,
    qa_on: ServiceOn,
    unique: str,
) -> None:
    today = datetime.now(UTC).date().isoformat()
    async with scheduler_on(), feedback_on() as feedback, qa_on() as qa:
        trial = await _program(intake, matcher, unique)
        await _assign(stack, intake, matcher, trial, today)
        await _matched(stack, matcher, feedback, trial)
        await _adjust(feedback, min(trial.match_of.items())[1], today)
        order = {"a": 0, "b": 0}
        for mentee_id, proposed in sorted(trial.match_of.items()):
            arm = trial.arm_of[mentee_id]
            trial.growth_of[mentee_id] = GROWTH[arm][order[arm]]
            order[arm] += 1
            await _milestones(feedback, proposed, today, done=2 if arm == "b" else 1)
        await _close(matcher, feedback, trial)
        await _one_match(feedback, trial)
        await _verdict(qa, trial)
        await _report(qa, trial)


async def _verdict(qa: RunningService, trial: Trial) -> None:
    """Per arm n, mean and interval; B better than A by the difference the test made,
    with a bootstrap interval above 0; no fairness guardrail crossed."""
    path = f"/programs/{trial.program_id}/experiments/{trial.experiment_id}/results"
    arm_of, growth_of = trial.arm_of, trial.growth_of

    async def counted() -> dict[str, Any] | None:
        results: dict[str, Any] = (await qa.http.get(path, headers=trial.team)).json()
        return results if sum(arm["n"] for arm in results.get("arms", [])) == MENTEES else None

    results = await eventually(counted, what="QA to count every mentee's skill growth")
    means = {arm: mean(g for m, g in growth_of.items() if arm_of[m] == arm) for arm in "ab"}
    arms = {arm["arm_id"]: arm for arm in results["arms"]}
    for arm_id, arm in arms.items():
        assert arm["n"] == PER_ARM
        assert arm["mean"] == pytest.approx(means[arm_id], abs=1e-3)
        assert arm["ci"][0] < arm["mean"] < arm["ci"][1]
    assert results["status"] == "complete"
    [versus] = results["comparisons"]
    assert versus["difference"] == pytest.approx(means["b"] - means["a"], abs=1e-3)
    assert versus["finding"] == "better"
    assert 0 < versus["ci"][0] < versus["difference"] < versus["ci"][1]
    assert "better on skill growth" in results["verdict"], results["verdict"]
    assert not any(guard["crossed"] for guard in results["guardrails"])


async def _report(qa: RunningService, trial: Trial) -> None:
    """The program's outcome report: skill growth over all twelve mentees with its
    interval, retention 11 of 12, six mentees in each segment; the same as CSV."""
    path, team, growth_of = f"/programs/{trial.program_id}/outcomes", trial.team, trial.growth_of
    report = _ok(await qa.http.get(path, params={"by": "program"}, headers=team))
    [group] = report["groups"]
    figures = {f["indicator"]: f for f in group["indicators"]}
    growth = figures["skill_growth"]
    assert growth["n"] == MENTEES
    assert growth["value"] == pytest.approx(mean(growth_of.values()), abs=1e-3)
    assert growth["ci_low"] < growth["value"] < growth["ci_high"]
    assert figures["retention"]["value"] == pytest.approx((MENTEES - 1) / MENTEES, abs=1e-3)
    by_segment = _ok(await qa.http.get(path, params={"by": "segment"}, headers=team))
    assert {g["group"]: g["mentees"] for g in by_segment["groups"]} == dict.fromkeys(
        SEGMENTS, MENTEES // 2
    )
    csv = await qa.http.get(f"{path}.csv", params={"by": "segment"}, headers=team)
    assert csv.status_code == 200, csv.text
    assert csv.headers["content-type"].startswith("text/csv")
