"""Matching follows each mentee's experiment arm: the arm rule's weights, its minimum
score and its time-zone limit; mentees in no arm are scored exactly as before; every
proposal carries the pair's raw signals and, for an assigned mentee, the arm."""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np
import pytest
from mentornet_contracts.events.experiments import MatchingRule
from mentornet_contracts.events.programs import MatchingSignal
from mentornet_matcher.domain.experiment_rules import ArmRule
from mentornet_matcher.domain.explain import explain, why_not
from mentornet_matcher.domain.matches import propose
from mentornet_matcher.domain.pool import Pool
from mentornet_matcher.domain.scoring import PoolScores

from .builders import availability, mentee, mentor, pool

pytestmark = pytest.mark.unit

ALL_WEEK = [
    {"weekday": d, "start": "00:00", "end": "24:00"}
    for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
]


def arm(arm_id: str, weights: dict[str, float], **rule: Any) -> ArmRule:
    matching = MatchingRule(rule_id=f"rule-{arm_id}", version=2, weights=weights, **rule)
    return ArmRule("exp-1", arm_id, matching)


def people() -> Pool:
    """Mentor `far` covers the goal but sits 5 h away (mid-March); mentor `near` shares the zone."""
    anytime = {"availability": availability(weekly=ALL_WEEK)}
    new_york = {"availability": availability("America/New_York", weekly=ALL_WEEK)}
    return pool(
        [mentee(f"m{k}", ("python", 4), **anytime) for k in range(3)],
        [
            mentor("far", ("python", 5), **new_york),
            mentor("near", ("public-speaking", 5), **anytime),
        ],
    )


def with_arms(p: Pool, *rules: ArmRule | None) -> Pool:
    return dataclasses.replace(p, arms=tuple(rules))


def test_each_arm_rule_prefers_its_own_mentor_and_others_keep_the_program_weights() -> None:
    plain = PoolScores(people()).rows(0, 3)
    skills, zone = arm("a", {"skills": 1}), arm("b", {"timezone": 1})
    scored = PoolScores(with_arms(people(), skills, zone, None)).rows(0, 3)
    assert list(np.argmax(scored, axis=1)[:2]) == [0, 1]
    assert scored[0, 0] == pytest.approx(1.0)
    assert scored[1, 1] == pytest.approx(1.0)
    assert scored[1, 0] == pytest.approx(1 - 5 / 12)
    np.testing.assert_array_equal(scored[2], plain[2])


def test_pairs_under_the_arm_minimum_score_are_infeasible_and_explained() -> None:
    strict = arm("a", {"skills": 1}, min_score=0.9)
    scores = PoolScores(with_arms(people(), strict, None, None))
    row = scores.rows(0, 1)[0]
    assert np.isfinite(row[0])
    assert row[1] == -np.inf
    assert "under the minimum 0.9" in why_not(scores, 0, 1)


def test_pairs_beyond_the_arm_timezone_limit_are_infeasible_and_explained() -> None:
    close = arm("b", {"skills": 1}, max_timezone_distance_h=2)
    scores = PoolScores(with_arms(people(), close, None, None))
    row = scores.rows(0, 1)[0]
    assert row[0] == -np.inf
    assert np.isfinite(row[1])
    assert why_not(scores, 0, 0).startswith("5 h apart, beyond the 2 h")


def test_a_proposal_carries_raw_signals_and_the_mentee_arm() -> None:
    zone = arm("b", {"timezone": 1})
    scores = PoolScores(with_arms(people(), zone, None, None))
    explained = explain(scores, 0, 1)
    assert explained.score == pytest.approx(1.0)
    assert [c.signal for c in explained.contributions] == ["timezone"]
    assert set(explained.signals) >= {"skills", "timezone", "availability", "language"}
    assert all(0.0 <= v <= 1.0 for v in explained.signals.values())
    _, event = propose(
        "m-1",
        "prog-1",
        "m0",
        "near",
        explained.score,
        explained.contributions,
        2.0,
        signals=explained.signals,
        arm=scores.rule_of(0),
    )
    assert (event.experiment_id, event.arm_id, event.rule_id, event.rule_version) == (
        "exp-1",
        "b",
        "rule-b",
        2,
    )
    assert event.signals[MatchingSignal.TIMEZONE] == pytest.approx(1.0)
    plain = explain(PoolScores(people()), 0, 1)
    _, unassigned = propose(
        "m-2", "prog-1", "m0", "near", plain.score, plain.contributions, 2.0, signals=plain.signals
    )
    assert unassigned.arm_id is None
    assert unassigned.signals
