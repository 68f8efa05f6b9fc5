"""QA's experiment analysis and weight calibration on the real broker and store: an
experiment defined and its mentees assigned (the matcher's events), their matches
proposed under their arms with raw signals, confirmed and ended, skill assessments and
end surveys from both people (feedback's events); arm B is better by construction.
The results show B better with a bootstrap interval above 0 and the verdict; the
calibration fits the 20 ended matches and is refused for an outcome fewer carry."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from mentornet_contracts.events.audit import AuditGroupsRecorded
from mentornet_contracts.events.common import Role, SkillLevel
from mentornet_contracts.events.experiments import (
    ExperimentArm,
    ExperimentArmAssigned,
    ExperimentDefined,
    MatchingRule,
    StopRule,
)
from mentornet_contracts.events.matches import (
    MatchConfirmed,
    MatchEnded,
    MatchEndReason,
    MatchProposed,
)
from mentornet_contracts.events.outcomes import AssessmentStage, EndSurveySubmitted, SkillAssessed
from mentornet_contracts.events.participants import MenteeRegistered, MentorRegistered
from mentornet_contracts.events.programs import MatchingSignal, OutcomeMeasure
from mentornet_tooling.testing.backends import Endpoints
from mentornet_tooling.testing.clock import MovableClock
from mentornet_tooling.testing.poll import eventually

from tests.conftest import ServiceOn
from tests.support.events import person, program, publish
from tests.support.helpers import token

pytestmark = pytest.mark.integration

NOW = datetime(2027, 3, 10, 9, 0, tzinfo=UTC)
PER_ARM = 10
REGIONS = ("emea", "amer")
SKILLS = [{"skill_id": "python", "level": 5}]
GOAL = {
    "goal_id": "g1",
    "statement": "Lead a review",
    "target_skills": [{"skill_id": "python", "level": 4}],
}
RULES = {
    "A": MatchingRule(rule_id="program", version=1, weights={MatchingSignal.SKILLS: 0.6}),
    "B": MatchingRule(rule_id="skills-first", version=1, weights={MatchingSignal.SKILLS: 1.0}),
}


def experiment(program_id: str, experiment_id: str) -> ExperimentDefined:
    return ExperimentDefined(
        experiment_id=experiment_id,
        program_id=program_id,
        name="Skills first",
        arms=tuple(ExperimentArm(arm_id=a, rule=r) for a, r in RULES.items()),
        control_arm_id="A",
        primary_outcome=OutcomeMeasure.SKILL_GROWTH,
        stop_rule=StopRule(min_sample_per_arm=PER_ARM, max_weeks=8),
        seed=20270101,
        defined_by="coord-1",
        starts_at=NOW - timedelta(days=60),
    )


def one_mentee(program_id: str, experiment_id: str, arm: str, k: int, unique: str) -> list[Any]:
    """A mentee of the arm, assigned, matched, ended as completed, with a baseline and
    an end self-assessment (B grows 2 levels or 3, A none or 1) and both end surveys."""
    mentee, mentor = f"e{arm}{k}-{unique}", f"r{k % 4}-{unique}"
    match_id = f"m{arm}{k}-{unique}"
    ids = {"match_id": match_id, "mentee_id": mentee, "mentor_id": mentor, "program_id": program_id}
    growth = (2 + k % 2) if arm == "B" else k % 2
    skill = 0.9 if arm == "B" else 0.3 + 0.05 * (k % 3)
    facts = {"match_id": match_id, "mentee_id": mentee, "program_id": program_id}

    def assessed(stage: AssessmentStage, level: int) -> SkillAssessed:
        levels = (SkillLevel(skill_id="python", level=level),)
        return SkillAssessed(**facts, assessor=Role.MENTEE, stage=stage, levels=levels)

    def survey(role: Role) -> EndSurveySubmitted:
        return EndSurveySubmitted(
            **facts,
            role=role,
            template_version=1,
            satisfaction=4,
            would_recommend=True,
            confidence_gained=4,
        )

    events: list[Any] = [
        person(MenteeRegistered, mentee, program_id, goals=[GOAL]),
        AuditGroupsRecorded(
            participant_id=mentee, program_id=program_id, groups={"region": REGIONS[k // 5]}
        ),
        ExperimentArmAssigned(
            experiment_id=experiment_id,
            program_id=program_id,
            mentee_id=mentee,
            arm_id=arm,
            stratum="unspecified",
            rule_id=RULES[arm].rule_id,
            rule_version=1,
        ),
        MatchProposed(
            **ids,
            score=0.8,
            explanation=(),
            signals={MatchingSignal.SKILLS: skill, MatchingSignal.AVAILABILITY: 0.5},
            experiment_id=experiment_id,
            arm_id=arm,
            rule_id=RULES[arm].rule_id,
            rule_version=1,
        ),
        MatchConfirmed(**ids),
        assessed(AssessmentStage.BASELINE, 1),
        MatchEnded(**ids, reason=MatchEndReason.COMPLETED),
        assessed(AssessmentStage.END, 1 + growth),
    ]
    if k < 3:
        events += [survey(Role.MENTEE), survey(Role.MENTOR)]
    return events


async def test_arm_b_better_by_construction_is_shown_better_and_calibration_needs_20_matches(
    stack: Endpoints, qa_on: ServiceOn, unique: str
) -> None:
    program_id, experiment_id = f"prog-{unique}", f"exp-{unique}"
    team = token(f"coord-{unique}", "coordinator", programs=[program_id])
    events: list[Any] = [program(program_id), experiment(program_id, experiment_id)]
    events += [
        person(MentorRegistered, f"r{k}-{unique}", program_id, skills=SKILLS) for k in range(4)
    ]
    for arm in RULES:
        for k in range(PER_ARM):
            events += one_mentee(program_id, experiment_id, arm, k, unique)
    results_path = f"/programs/{program_id}/experiments/{experiment_id}/results"
    async with qa_on(MovableClock(NOW)) as qa:
        await publish(stack, *events, at=NOW - timedelta(days=30))

        async def complete() -> dict[str, Any] | None:
            answer = await qa.http.get(results_path, headers=team)
            if answer.status_code == 404:
                return None
            assert answer.status_code == 200, answer.text
            found = answer.json()
            assigned = all(a["assigned"] == PER_ARM for a in found["arms"])
            return found if found["status"] == "complete" and assigned else None

        results = await eventually(
            complete, timeout=60, what="both arms' assignments and outcomes in QA"
        )
        arms = {a["arm_id"]: a for a in results["arms"]}
        assert (arms["A"]["n"], arms["B"]["n"]) == (PER_ARM, PER_ARM)
        assert (arms["A"]["assigned"], arms["B"]["assigned"]) == (PER_ARM, PER_ARM)
        assert (results["assignment"], results["stop_reason"]) == ("running", None)
        assert results["detectable_effect_size"] == 1.33
        assert (arms["A"]["mean"], arms["B"]["mean"]) == (0.5, 2.5)
        [versus] = results["comparisons"]
        assert (versus["arm_id"], versus["finding"], versus["difference"]) == ("B", "better", 2.0)
        assert versus["ci"][0] > 0
        assert results["verdict"].startswith("B better on skill growth by 2.0 points, 95% CI ")
        assert results["verdict"].endswith(
            "(n = 10 of 10 assigned in A, 10 of 10 in B); no fairness guardrail crossed"
        )
        [guard] = results["guardrails"]
        assert (guard["checked"], guard["crossed"]) == (True, False)
        assert guard["attributes"][0]["gap"] == pytest.approx(0.2)
        again = await qa.http.get(results_path, headers=team)
        assert again.json() == results, "the same facts and seed give the same results"

        calibrated = await qa.http.post(
            f"/programs/{program_id}/calibration", json={"outcome": "skill_growth"}, headers=team
        )
        assert calibrated.status_code == 200, calibrated.text
        proposal = calibrated.json()
        assert proposal["matches"] == 2 * PER_ARM
        assert proposal["proposal"]["rule_id"] == "calibrated-skill_growth"
        assert proposal["proposal"]["weights"] == {"skills": 1.0}

        refused = await qa.http.post(
            f"/programs/{program_id}/calibration", json={"outcome": "satisfaction"}, headers=team
        )
        assert refused.status_code == 422, refused.text
        assert refused.json()["field"] == "outcome"
        assert "at least 20 ended matches" in refused.json()["reason"]

        unknown = await qa.http.get(
            f"/programs/{program_id}/experiments/exp-none-{unique}/results", headers=team
        )
        assert (unknown.status_code, unknown.json()["field"]) == (404, "experiment_id")
        nowhere = await qa.http.post(
            f"/programs/none-{unique}/calibration",
            json={"outcome": "retention"},
            headers=token(f"coord-{unique}", "coordinator", programs=[f"none-{unique}"]),
        )
        assert nowhere.status_code == 404
        mentee = await qa.http.get(results_path, headers=token(f"eA0-{unique}", "mentee"))
        assert mentee.status_code == 403
