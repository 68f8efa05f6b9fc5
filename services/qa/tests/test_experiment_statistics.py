"""The statistical acceptance suite of experiment analysis and weight calibration, on
simulated outcomes (seeded; a few seconds on one core). Each test prints what it
measured (`pytest -s`); docs/outcomes.md quotes the numbers.

- power: arm B truly better by d = 0.5 with 64 mentees per arm (stated power 0.80 at
  alpha 0.05): the verdict says "B better" in about that share of 200 runs;
- A/A: two arms with the same outcome distribution, 500 runs: the verdict claims a
  difference in about alpha of them;
- calibration recovers known weights from outcome = w . signals + noise (400 matches);
- the bootstrap interval of a difference covers the true difference about 95% of the
  time (between 92% and 97% of 500 runs), on a 1-5 scale and on a yes/no outcome.
"""

from __future__ import annotations

import numpy as np
import pytest
from mentornet_contracts.events.programs import OutcomeMeasure
from mentornet_qa.domain import stats
from mentornet_qa.domain.calibration import SIGNALS, Pair, design, fit
from mentornet_qa.domain.calibration_report import calibrate
from mentornet_qa.domain.experiment_analysis import Observation, analyse
from mentornet_qa.domain.experiment_docs import Experiment, ExperimentStatus

pytestmark = pytest.mark.unit

ALPHA = 0.05
EFFECT = 0.5
PER_ARM = 64
TRUE_WEIGHTS = {"skills": 0.45, "availability": 0.25, "timezone": 0.1, "language": 0.2}
WEIGHT_TOLERANCE = 0.05


def experiment(seed: int, per_arm: int = PER_ARM) -> Experiment:
    return Experiment(
        experiment_id=f"exp-{seed}",
        program_id="prog-sim",
        name="simulated",
        arms=[
            {"arm_id": "A", "rule": {"rule_id": "program", "version": 1}},
            {"arm_id": "B", "rule": {"rule_id": "skills-first", "version": 1}},
        ],
        control_arm_id="A",
        primary_outcome=OutcomeMeasure.SKILL_GROWTH.value,
        min_sample_per_arm=per_arm,
        max_weeks=26,
        seed=seed,
        max_group_gap=None,
        defined_by="coord-sim",
        starts_at="2027-01-04T09:00:00+00:00",
        status=ExperimentStatus.STOPPED,
        definitions=1,
    )


def simulate(seed: int, effect: float) -> tuple[Experiment, list[Observation]]:
    """Skill growth ~ N(0.6, 0.8) in A; B shifted by `effect` standard deviations."""
    data = np.random.default_rng([seed, 1])
    sd = 0.8
    seen = [
        Observation(f"{arm}-{k:03d}", arm, float(value))
        for arm, shift in (("A", 0.0), ("B", effect * sd))
        for k, value in enumerate(data.normal(0.6 + shift, sd, PER_ARM))
    ]
    return experiment(seed), seen


def verdicts(effect: float, runs: int) -> list[str]:
    said = []
    for seed in range(runs):
        definition, seen = simulate(seed, effect)
        results = analyse(definition, seen, np.random.default_rng(definition["seed"]))
        assert results["status"] == "complete"
        said.append(results["verdict"])
    return said


def test_a_true_effect_is_detected_at_the_stated_power() -> None:
    stated = stats.power(EFFECT, PER_ARM, ALPHA)
    said = verdicts(EFFECT, runs=200)
    measured = sum(v.startswith("B better on skill growth") for v in said) / len(said)
    print(f"\npower: d={EFFECT}, n={PER_ARM}/arm, stated {stated:.3f}, measured {measured:.3f}")
    assert stated == pytest.approx(0.80, abs=0.01)
    assert measured >= 0.70
    assert abs(measured - stated) <= 0.10


def test_a_and_a_claim_a_difference_about_alpha_of_the_time() -> None:
    said = verdicts(0.0, runs=500)
    claimed = sum(not v.startswith("No difference shown") for v in said) / len(said)
    print(f"\nA/A: 500 runs, n={PER_ARM}/arm, false-positive rate {claimed:.3f} (alpha {ALPHA})")
    assert 0.02 <= claimed <= 0.08


def synthetic_pairs(seed: int, matches: int = 400, noise: float = 0.3) -> list[Pair]:
    """outcome = 1 + 4 (w . signals) + N(0, noise), signals uniform in [0, 1]."""
    data = np.random.default_rng([seed, 2])
    w = np.array([TRUE_WEIGHTS.get(s, 0.0) for s in SIGNALS])
    x = data.uniform(0, 1, size=(matches, len(SIGNALS)))
    y = 1 + 4 * x @ w + data.normal(0, noise, matches)
    return [
        Pair(f"m{k:04d}", f"run-{k % 8}", dict(zip(SIGNALS, map(float, x[k]), strict=True)), y[k])
        for k in range(matches)
    ]


def test_calibration_recovers_known_weights_within_tolerance() -> None:
    truth = np.array([TRUE_WEIGHTS.get(s, 0.0) for s in SIGNALS])
    errors = []
    for seed in range(20):
        x, y = design(synthetic_pairs(seed))
        weights = fit(x, y).weights
        assert weights is not None
        errors.append(float(np.abs(weights - truth).max()))
    proposed = calibrate(
        "prog-sim",
        OutcomeMeasure.SKILL_GROWTH,
        synthetic_pairs(99),
        {"skills": 1.0},
        1,
        np.random.default_rng(99),
    )
    found = {w["signal"]: w for w in proposed["weights"]}
    covered = sum(
        found[s]["ci"][0] - 0.01 <= TRUE_WEIGHTS[s] <= found[s]["ci"][1] + 0.01
        for s in TRUE_WEIGHTS
    )
    worst = max(errors)
    print(
        f"\ncalibration: 400 matches, noise sd 0.3, 20 seeds: max abs error on normalised "
        f"weights {worst:.3f} (mean of the per-seed max {np.mean(errors):.3f}); "
        f"true weight inside the bootstrap interval for {covered} of {len(TRUE_WEIGHTS)}"
    )
    assert worst <= WEIGHT_TOLERANCE
    assert covered >= len(TRUE_WEIGHTS) - 1, "the weights' bootstrap intervals cover the truth"
    assert proposed["proposal"]["rule_id"] == "calibrated-skill_growth"
    assert proposed["expected_effect"]["difference"] > 0
    backtest = proposed["backtest"]
    assert backtest["auc_new"] is not None
    assert backtest["auc_current"] is not None
    assert backtest["auc_new"] > backtest["auc_current"]


def coverage(draw: str, runs: int = 500) -> float:
    inside = 0
    for seed in range(runs):
        data = np.random.default_rng([seed, 3])
        if draw == "scale":
            levels, a_p, b_p = (
                [1, 2, 3, 4, 5],
                [0.1, 0.2, 0.3, 0.25, 0.15],
                [0.05, 0.15, 0.3, 0.3, 0.2],
            )
            a, b = data.choice(levels, PER_ARM, p=a_p), data.choice(levels, PER_ARM, p=b_p)
            truth = float(np.dot(levels, b_p) - np.dot(levels, a_p))
        else:
            a, b = data.binomial(1, 0.6, PER_ARM), data.binomial(1, 0.75, PER_ARM)
            truth = 0.15
        low, high = stats.bootstrap_difference(a, b, np.random.default_rng(seed))
        inside += low <= truth <= high
    return inside / runs


def test_the_bootstrap_interval_covers_the_true_difference_about_95_percent() -> None:
    on_scale, on_share = coverage("scale"), coverage("share")
    print(
        f"\nbootstrap 95% CI coverage, 500 runs, n={PER_ARM}/arm: "
        f"1-5 scale {on_scale:.3f}, yes/no share {on_share:.3f}"
    )
    assert 0.92 <= on_scale <= 0.97
    assert 0.92 <= on_share <= 0.97
