"""The demo's pure parts for its experiment: SMART goals for every mentee, the experiment
definition, and the simulated outcomes that make the skills-first arm better by
construction."""

from __future__ import annotations

import random
from dataclasses import astuple
from datetime import UTC, date, datetime, timedelta

import numpy as np
import pytest
from mentornet_contracts.events.common import Goal
from mentornet_contracts.events.experiments import ExperimentDefined
from mentornet_tooling.demo.experiment import SKILLS_FIRST, body, sample_per_arm
from mentornet_tooling.demo.network import PROGRAMS, STANDARD_WEIGHTS, ProgramPlan, mentee
from mentornet_tooling.demo.outcomes_sim import (
    BASE_GROWTH,
    SKILL_EFFECT,
    Pair,
    completed_on,
    draw,
    simulate,
    skill_fit,
)

pytestmark = pytest.mark.unit

TODAY = date(2026, 12, 7)


@pytest.mark.parametrize("plan", PROGRAMS, ids=[p.key for p in PROGRAMS])
def test_every_demo_mentee_has_a_smart_goal_and_a_baseline_below_it(plan: ProgramPlan) -> None:
    rng = random.Random(7)
    for n in range(12):
        registered = mentee(rng, n, plan, "run", TODAY)
        [raw] = registered["goals"]
        goal = Goal.model_validate(raw)
        assert goal.measurable_outcome.strip()
        assert goal.target_date is not None
        assert goal.target_date > TODAY
        assert 1 <= len(goal.milestones) <= 10
        assert len({m.milestone_id for m in goal.milestones}) == len(goal.milestones)
        assert all(TODAY <= m.due_date <= goal.target_date for m in goal.milestones)
        [target] = goal.target_skills
        [baseline] = registered["skill_baseline"]
        assert baseline["skill_id"] == target.skill_id
        assert 1 <= baseline["level"] < target.level
        assert registered["segment"]


def test_the_experiment_pits_the_programs_weights_against_skills_first() -> None:
    defined = body("exp-1", STANDARD_WEIGHTS, 7, sample_per_arm(24))
    event = ExperimentDefined.model_validate(
        {
            **defined,
            "program_id": "prog-1",
            "defined_by": "coordinator-1",
            "starts_at": datetime(2026, 12, 7, tzinfo=UTC),
        }
    )
    arms = {arm.arm_id: {str(k): v for k, v in arm.rule.weights.items()} for arm in event.arms}
    assert arms["a"] == STANDARD_WEIGHTS
    assert event.control_arm_id == "a"
    skills_share = {arm: w.get("skills", 0) / sum(w.values()) for arm, w in arms.items()}
    assert skills_share["b"] >= 0.8
    assert skills_share["a"] == 0
    assert arms["b"] == SKILLS_FIRST
    assert event.primary_outcome == "skill_growth"
    assert event.stop_rule.min_sample_per_arm == 10


def test_the_sample_leaves_room_in_the_program_and_stays_small() -> None:
    """A quick run's 24 mentees: 10 per arm; `make run`'s 120: 30 per arm."""
    assert [sample_per_arm(n) for n in (2, 12, 24, 60, 120, 1000)] == [5, 5, 10, 25, 30, 30]


def test_the_same_seed_and_mentees_give_the_same_outcomes_whatever_the_match_ids() -> None:
    pairs = [Pair(f"m-{i}", i, i / 9, 1 + i % 2, 2) for i in range(10)]
    first = simulate(11, pairs)
    renamed = simulate(11, [Pair(f"x-{p.mentee}", *astuple(p)[1:]) for p in reversed(pairs)])
    assert {int(k[2:]): v for k, v in renamed.items()} == {int(k[2:]): v for k, v in first.items()}
    assert simulate(12, pairs) != first


def test_a_mentor_who_covers_the_skill_adds_the_set_growth() -> None:
    """Arm b is better only through this: the fit its rule buys."""
    rng = np.random.default_rng(3)
    growth = {
        fit: np.mean([draw(rng, fit, 2, 2).end_self - 2 for _ in range(4000)]) for fit in (0, 1)
    }
    assert growth[0] == pytest.approx(BASE_GROWTH, abs=0.1)
    assert growth[1] - growth[0] == pytest.approx(SKILL_EFFECT, abs=0.15)
    on_time = {
        fit: np.mean([sum(draw(rng, fit, 2, 2).on_time) / 2 for _ in range(2000)]) for fit in (0, 1)
    }
    assert on_time[1] > on_time[0] + 0.3


def test_levels_stay_on_the_scale_and_reviews_lead_to_the_end_level() -> None:
    rng = np.random.default_rng(5)
    for fit in np.linspace(0, 1, 50):
        outcome = draw(rng, float(fit), int(rng.integers(1, 5)), 2)
        levels = [outcome.level_after(done) for done in range(3)]
        assert levels[0] == outcome.baseline
        assert levels[-1] == outcome.end_self
        assert levels == sorted(levels) or levels == sorted(levels, reverse=True)
        for level in (*levels, outcome.end_mentor):
            assert 1 <= level <= 5
        for survey in (outcome.mentee, outcome.mentor):
            assert 1 <= survey.satisfaction <= 5
            assert 1 <= survey.confidence_gained <= 5
            assert survey.would_recommend == (survey.satisfaction >= 4)


def test_skill_fit_is_the_matchers_signal_else_whether_the_mentor_covers_the_skill() -> None:
    offered = {"python": 4, "go": 2}
    assert skill_fit({"skills": 0.35, "timezone": 1.0}, offered, "go", 3) == 0.35
    assert skill_fit(None, offered, "python", 3) == 1.0
    assert skill_fit({}, offered, "go", 3) == 0.0
    assert skill_fit(None, offered, "sql", 2) == 0.0


def test_milestones_are_done_in_the_week_before_they_are_due_or_a_week_late() -> None:
    due = date(2026, 12, 21)
    days = [due + timedelta(days=d) for d in (-8, -7, -1, 0, 3, 6, 7, 10)]
    on_time = [completed_on(due, True, today) for today in days]
    assert on_time == [
        None,
        due - timedelta(days=7),
        due - timedelta(days=1),
        due,
        due,
        due,
        due,
        due,
    ]
    late = [completed_on(due, False, today) for today in days]
    assert late == [None] * 6 + [due + timedelta(days=7)] * 2
