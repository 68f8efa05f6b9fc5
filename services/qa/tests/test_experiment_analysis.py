"""Experiment analysis in words and rules: the verdict's phrasing (better, worse, no
difference, too early, shares in percentage points), the fairness guardrail (groups
under 5 left out, crossed only beyond the control's gap plus the limit), ingesting the
experiment's events idempotently, which match and arm each mentee counts with,
calibration's refusal under 20 ended matches, and the power helper."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, cast

import numpy as np
import pytest
from mentornet_chassis.errors import Invalid
from mentornet_contracts.events.experiments import (
    ArmCount,
    ExperimentArm,
    ExperimentArmAssigned,
    ExperimentDefined,
    ExperimentStopped,
    MatchingRule,
    StopReason,
    StopRule,
)
from mentornet_contracts.events.programs import MatchingSignal, OutcomeMeasure
from mentornet_qa.domain import experiments, guardrail, stats
from mentornet_qa.domain.arm_outcomes import observations, progress
from mentornet_qa.domain.calibration import Pair
from mentornet_qa.domain.calibration_report import calibrate
from mentornet_qa.domain.completion import Progress
from mentornet_qa.domain.documents import Match, Person
from mentornet_qa.domain.experiment_analysis import Observation, analyse
from mentornet_qa.domain.experiment_docs import Assignment, Experiment
from mentornet_qa.domain.verdict import ArmVerdict, verdict
from mentornet_qa.usecases.calibration import pairs

pytestmark = pytest.mark.unit

NOW = datetime(2027, 2, 1, 9, 0, tzinfo=UTC)
NO_GUARDS: list[guardrail.ArmGuardrail] = []


def defined(outcome: str = "skill_growth", min_sample: int = 5, **fields: Any) -> ExperimentDefined:
    rule = MatchingRule(rule_id="program", version=1, weights={MatchingSignal.SKILLS: 1.0})
    better = MatchingRule(rule_id="skills-first", version=2, weights={MatchingSignal.SKILLS: 0.5})
    return ExperimentDefined(
        experiment_id="exp-1",
        program_id="prog-1",
        name="Skills first",
        arms=(ExperimentArm(arm_id="A", rule=rule), ExperimentArm(arm_id="B", rule=better)),
        control_arm_id="A",
        primary_outcome=OutcomeMeasure(outcome),
        stop_rule=StopRule(min_sample_per_arm=min_sample, max_weeks=10),
        seed=7,
        defined_by="coord-1",
        starts_at=NOW,
        **fields,
    )


def experiment(outcome: str = "skill_growth", min_sample: int = 5, **fields: Any) -> Experiment:
    return experiments.on_defined(None, defined(outcome, min_sample, **fields))


def test_a_clear_win_reads_like_the_issue() -> None:
    said = verdict(
        OutcomeMeasure.SKILL_GROWTH, "A", [ArmVerdict("B", 0.4, [0.1, 0.7])], NO_GUARDS, None
    )
    assert (
        said
        == "B better on skill growth by 0.4 points, 95% CI 0.1-0.7; no fairness guardrail crossed"
    )


def test_a_loss_an_open_interval_and_a_share_each_have_their_words() -> None:
    worse = verdict(
        OutcomeMeasure.SATISFACTION, "A", [ArmVerdict("B", -0.5, [-0.8, -0.2])], NO_GUARDS, None
    )
    assert worse.startswith("B worse on satisfaction by 0.5 points, 95% CI 0.2-0.8")
    none = verdict(
        OutcomeMeasure.SKILL_GROWTH, "A", [ArmVerdict("B", 0.1, [-0.2, 0.4])], NO_GUARDS, None
    )
    assert none.startswith(
        "No difference shown between B and A on skill growth: +0.1 points, 95% CI -0.2 to 0.4"
    )
    share = verdict(
        OutcomeMeasure.RETENTION, "A", [ArmVerdict("B", 0.12, [0.03, 0.21])], NO_GUARDS, None
    )
    assert share.startswith("B better on retention by 12 percentage points, 95% CI 3-21")


def test_too_early_names_the_smallest_arm_and_the_sample_each_arm_needs() -> None:
    said = verdict(OutcomeMeasure.SKILL_GROWTH, "A", [], NO_GUARDS, "Too early: 12 of 64")
    assert said == "Too early: 12 of 64"
    seen = [Observation(f"a{k}", "A", 1.0) for k in range(3)]
    results = analyse(experiment(min_sample=5), seen, np.random.default_rng(1))
    assert (results["status"], results["verdict"]) == (
        "collecting",
        "Too early: 0 of 5 mentees per arm",
    )


def arm(arm_id: str, by_group: dict[str, list[float]]) -> list[Observation]:
    return [
        Observation(f"{arm_id}-{group}-{k}", arm_id, value, {"region": group})
        for group, values in by_group.items()
        for k, value in enumerate(values)
    ]


def test_the_guardrail_is_crossed_only_beyond_the_controls_gap_plus_the_limit() -> None:
    control = arm("A", {"emea": [3.0] * 5, "amer": [2.8] * 5})
    within = arm("B", {"emea": [3.6] * 5, "amer": [3.0] * 5})
    beyond = arm("B", {"emea": [4.0] * 5, "amer": [3.0] * 5})
    [ok] = guardrail.guardrails(experiment(), control + within, OutcomeMeasure.SKILL_GROWTH)
    [crossed] = guardrail.guardrails(experiment(), control + beyond, OutcomeMeasure.SKILL_GROWTH)
    assert (ok["checked"], ok["crossed"], ok["max_group_gap"]) == (True, False, 0.5)
    assert crossed["crossed"]
    [region] = crossed["attributes"]
    assert (region["gap"], region["control_gap"], region["best_group"]) == (1.0, 0.2, "emea")
    results = analyse(experiment(), control + beyond, np.random.default_rng(1))
    assert results["verdict"].endswith(
        "fairness guardrail crossed: B on region (gap 1.0 against 0.2 in A)"
    )


def test_groups_under_five_are_left_out_and_the_limit_follows_the_outcome() -> None:
    control = arm("A", {"emea": [1.0] * 5, "amer": [1.0] * 4})
    treated = arm("B", {"emea": [1.0] * 5, "amer": [0.0] * 4})
    [guard] = guardrail.guardrails(
        experiment("retention"), control + treated, OutcomeMeasure.RETENTION
    )
    assert (guard["checked"], guard["crossed"], guard["max_group_gap"]) == (False, False, 0.1)
    tight = experiment(max_group_gap=0.05)
    assert tight["max_group_gap"] == 0.05
    results = analyse(experiment(), control + treated, np.random.default_rng(1))
    assert "fairness guardrail not checked" in results["verdict"]


def test_the_latest_definition_wins_and_the_stop_is_kept() -> None:
    first = experiment()
    stopped = experiments.on_stopped(
        first,
        ExperimentStopped(
            experiment_id="exp-1",
            program_id="prog-1",
            reason=StopReason.SAMPLE_REACHED,
            assigned=(ArmCount(arm_id="A", mentees=5), ArmCount(arm_id="B", mentees=5)),
        ),
        NOW,
    )
    again = experiments.on_defined(stopped, defined(min_sample=8))
    assert again["min_sample_per_arm"] == 8
    assert again["status"] == "stopped"
    assert again["stopped"]["reason"] == "sample_reached"
    assert experiments.key("prog-1", "exp-1") == "prog-1/exp-1"


def test_an_assignment_replayed_leaves_the_same_document() -> None:
    event = ExperimentArmAssigned(
        experiment_id="exp-1",
        program_id="prog-1",
        mentee_id="e-1",
        arm_id="B",
        stratum="unspecified",
        rule_id="skills-first",
        rule_version=2,
    )
    first = experiments.on_assigned(None, event, NOW)
    assert experiments.on_assigned(first, event, NOW.replace(hour=10)) == first


def match(match_id: str, mentee: str, arm_id: str, growth: int, confirmed: str) -> Match:
    levels = {"python": 2 + growth}
    return cast(
        Match,
        {
            "match_id": match_id,
            "mentee_id": mentee,
            "status": "ended",
            "end_reason": "completed",
            "experiment_id": "exp-1",
            "arm_id": arm_id,
            "confirmed_at": confirmed,
            "assessments": {
                "baseline:mentee": {"assessor": "mentee", "levels": {"python": 2}},
                "end:mentee": {"assessor": "mentee", "levels": levels},
            },
        },
    )


def person(participant_id: str = "e-1") -> Person:
    return cast(
        Person,
        {
            "participant_id": participant_id,
            "roles": {"mentee": {"program_id": "prog-1", "since": "", "goal_skills": ["python"]}},
            "status": "active",
            "groups": {"region": "emea"},
        },
    )


def test_each_mentee_counts_once_from_their_latest_match_in_their_assigned_arm() -> None:
    assigned = cast(Assignment, {"mentee_id": "e-1", "arm_id": "B"})
    matches = [
        match("m-1", "e-1", "B", 1, "2027-01-05T00:00:00+00:00"),
        match("m-2", "e-1", "A", 3, "2027-01-20T00:00:00+00:00"),
        cast(Match, {**match("m-3", "e-2", "A", 1, "2027-01-05T00:00:00"), "experiment_id": "x"}),
    ]
    [seen] = observations(experiment(), [assigned], matches, {"e-1": person()})
    assert seen == Observation("e-1", "B", 3.0, {"region": "emea"})


def stopped(reason: StopReason, min_sample: int = 12, **fields: Any) -> Experiment:
    event = ExperimentStopped(
        experiment_id="exp-1",
        program_id="prog-1",
        reason=reason,
        assigned=(ArmCount(arm_id="A", mentees=12), ArmCount(arm_id="B", mentees=12)),
    )
    return experiments.on_stopped(experiment(min_sample=min_sample, **fields), event, NOW)


def spread(arm_id: str, n: int, base: float) -> list[Observation]:
    return [Observation(f"{arm_id}{k:02d}", arm_id, base + (k % 3) * 0.5) for k in range(n)]


def test_once_assignment_stopped_and_nobody_waits_the_results_are_complete() -> None:
    seen = spread("A", 9, 1.0) + spread("B", 10, 2.0)
    waiting = Progress({"A": 12, "B": 12}, waiting=2)
    early = analyse(stopped(StopReason.SAMPLE_REACHED), seen, np.random.default_rng(1), waiting)
    assert (early["status"], early["waiting"]) == ("collecting", 2)
    assert early["verdict"].startswith("Too early: assignment stopped, waiting for")
    done = Progress({"A": 12, "B": 12}, waiting=0)
    found = analyse(stopped(StopReason.SAMPLE_REACHED), seen, np.random.default_rng(1), done)
    assert found["status"] == "complete", "3 and 2 dropped out: waiting for 12 would never end"
    assert found["verdict"].startswith("B better on skill growth by 0.9 points")
    assert "(n = 9 of 12 assigned in A, 10 of 12 in B)" in found["verdict"]
    assert [a["assigned"] for a in found["arms"]] == [12, 12]
    running = analyse(experiment(min_sample=12), seen, np.random.default_rng(1), done)
    assert running["status"] == "collecting", "assignment still running"


def test_a_time_limit_completes_with_what_it_has_and_says_the_power() -> None:
    seen = spread("A", 6, 1.0) + spread("B", 7, 2.0)
    found = analyse(
        stopped(StopReason.TIME_LIMIT, min_sample=20),
        seen,
        np.random.default_rng(1),
        Progress({"A": 6, "B": 7}, waiting=0),
    )
    assert (found["status"], found["below_planned_size"], found["stop_reason"]) == (
        "complete",
        True,
        "time_limit",
    )
    planned = stats.detectable_effect(20)
    power = stats.power(planned or 0, 6)
    assert found["verdict"].endswith(
        f"sample below the planned size: 6 of 20 mentees in the smallest arm, "
        f"power {power:.2f} to detect the planned effect (d = {planned})"
    )


def ran(match_id: str, mentee: str, status: str, value: int | None, confirmed: bool) -> Match:
    found = match(
        match_id, mentee, "B", value or 0, "2027-01-05T00:00:00+00:00" if confirmed else ""
    )
    if value is None:
        found.pop("assessments")
        found["end_reason"] = "withdrawn"
    return cast(Match, {**found, "status": status})


def test_waiting_counts_assigned_mentees_not_matched_or_in_a_running_match() -> None:
    people = {f"e-{k}": person(f"e-{k}") for k in range(5)}
    arms = [cast(Assignment, {"mentee_id": f"e-{k}", "arm_id": "B"}) for k in range(5)]
    arms.append(cast(Assignment, {"mentee_id": "e-gone", "arm_id": "B", "erased": True}))
    matches = [
        ran("m-0", "e-0", "ended", 2, True),
        ran("m-1", "e-1", "ended", None, True),
        ran("m-2", "e-2", "confirmed", None, True),
        ran("m-3", "e-3", "ended", 2, False),
        ran("m-gone", "e-gone", "ended", 3, True),
    ]
    seen = observations(experiment(), arms, matches, people)
    assert [o.mentee_id for o in seen] == ["e-0"], "e-3's proposal never ran; e-gone erased"
    found = progress(experiment(), arms, matches, seen)
    assert found.waiting == 3, "e-2 running, e-3 and e-4 not matched; e-1 dropped out"
    assert dict(found.assigned) == {"B": 5}, "the erased mentee's arm no longer counts them"


def test_calibration_is_refused_under_twenty_ended_matches_naming_the_outcome() -> None:
    pairs = [Pair(f"m{k}", "run", {"skills": k / 19}, float(k)) for k in range(19)]
    with pytest.raises(Invalid) as refused:
        calibrate("prog-1", OutcomeMeasure.RETENTION, pairs, {}, 1, np.random.default_rng(1))
    assert refused.value.field == "outcome"
    assert "at least 20" in refused.value.reason
    enough = [*pairs, Pair("m19", "run", {"skills": 1.0}, 19.0)]
    found = calibrate(
        "prog-1", OutcomeMeasure.SKILL_GROWTH, enough, {}, 3, np.random.default_rng(1)
    )
    assert found["proposal"] == {
        "rule_id": "calibrated-skill_growth",
        "version": 3,
        "weights": {"skills": 1.0},
        "min_score": 0.0,
        "max_timezone_distance_h": None,
    }


def test_the_power_helper_gives_the_sample_and_the_detectable_effect() -> None:
    assert stats.power(0.5, 64) == pytest.approx(0.80, abs=0.01)
    assert stats.sample_per_arm(0.5) == 64
    assert stats.detectable_effect(64) == 0.5
    assert stats.detectable_effect(10) == 1.33
    assert stats.power(3.0, 64) == pytest.approx(1.0)
    assert stats.detectable_effect(1) is None


def test_calibration_fits_only_ended_matches_that_ran() -> None:
    signals = {"skills": 0.5}
    matches = [
        cast(Match, {**ran("m-0", "e-0", "ended", 2, True), "signals": signals}),
        cast(Match, {**ran("m-3", "e-3", "ended", 2, False), "signals": signals}),
    ]
    people = {"e-0": person("e-0"), "e-3": person("e-3")}
    found = pairs(matches, people, OutcomeMeasure.SKILL_GROWTH)
    assert [p.match_id for p in found] == ["m-0"], "m-3 was proposed, never confirmed"
