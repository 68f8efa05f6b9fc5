"""Weight calibration: how each raw matching signal of a pair relates to an outcome, over
ended matches. outcome ~ intercept + signals . coefficients, coefficients non-negative
(a signal is never weighed against the pair), normalised to weights that sum to 1;
bootstrap uncertainty per weight; the expected effect; a backtest on past pools; the
proposal as a MatchingRule body. It proposes only: it sees only the pairs that were
chosen (docs/outcomes.md), so an experiment has to prove it.

Pure: the pairs and the seeded Generator come from the caller."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from mentornet_contracts.events.programs import MatchingSignal, OutcomeMeasure
from scipy.optimize import nnls

from .backtest import Backtest, Scorer, backtest, top_half_mean
from .stats import Floats

SIGNALS = tuple(s.value for s in MatchingSignal)
MIN_MATCHES = 20
RESAMPLES = 500
BINARY = frozenset({OutcomeMeasure.WOULD_RECOMMEND, OutcomeMeasure.RETENTION})


@dataclass(frozen=True)
class Pair:
    """An ended match: its pool (the pairs proposed in the same run), the raw signals
    of the pair, and the mentee's outcome."""

    match_id: str
    pool: str
    signals: Mapping[str, float]
    outcome: float


@dataclass(frozen=True)
class Fit:
    intercept: float
    coefficients: Floats
    """Per signal (SIGNALS order), in outcome units per unit of signal."""

    @property
    def weights(self) -> Floats | None:
        """The coefficients as weights summing to 1 (None: no signal relates positively)."""
        total = float(self.coefficients.sum())
        return self.coefficients / total if total > 0 else None

    def predict(self, x: Floats) -> Floats:
        return self.intercept + x @ self.coefficients


def design(pairs: Sequence[Pair]) -> tuple[Floats, Floats]:
    """The signals matrix (a signal a pair lacks counts 0) and the outcomes."""
    x = np.array([[float(p.signals.get(s, 0.0)) for s in SIGNALS] for p in pairs], dtype=float)
    y = np.array([p.outcome for p in pairs], dtype=float)
    return x.reshape(len(pairs), len(SIGNALS)), y


def fit(x: Floats, y: Floats) -> Fit:
    """Least squares with a free intercept and non-negative coefficients (centring takes
    the intercept out, NNLS fits the rest)."""
    x_mean, y_mean = x.mean(axis=0), float(y.mean())
    coefficients, _ = nnls(x - x_mean, y - y_mean)
    return Fit(y_mean - float(x_mean @ coefficients), coefficients)


def vector(weights: Mapping[str, float]) -> Floats:
    """Weights by signal name as a vector in SIGNALS order, summing to 1 (zero if empty)."""
    found = np.array([float(weights.get(s, 0.0)) for s in SIGNALS])
    total = float(found.sum())
    return found / total if total > 0 else found


def went_well(outcome: OutcomeMeasure, y: Floats) -> Floats:
    """1 for the pairs that went well: a yes on a yes/no outcome, else above the median."""
    if outcome in BINARY:
        return (y >= 0.5).astype(float)
    return (y > float(np.median(y))).astype(float)


@dataclass(frozen=True)
class Uncertainty:
    sd: Floats
    low: Floats
    high: Floats
    effects: Floats
    """The expected effect under each resample's weights."""


def bootstrap(
    x: Floats,
    y: Floats,
    pools: Sequence[str],
    current: Floats,
    rng: np.random.Generator,
    resamples: int = RESAMPLES,
) -> Uncertainty:
    """Refit on `resamples` resamples of the matches; the spread of each weight and of
    the expected effect (resamples where no signal relates positively are left out)."""
    weights, effects = [], []
    for _ in range(resamples):
        take = rng.integers(0, len(y), size=len(y))
        again = fit(x[take], y[take])
        if again.weights is None:
            continue
        weights.append(again.weights)
        effects.append(expected_effect(again, x, pools, again.weights, current)[2])
    if not weights:
        empty = np.zeros(len(SIGNALS))
        return Uncertainty(empty, empty, empty, np.zeros(0))
    drawn = np.array(weights)
    low, high = np.quantile(drawn, [0.025, 0.975], axis=0)
    return Uncertainty(drawn.std(axis=0, ddof=1), low, high, np.array(effects))


def expected_effect(
    model: Fit, x: Floats, pools: Sequence[str], new: Floats, current: Floats
) -> tuple[float, float, float]:
    """Predicted mean outcome of the pairs each rule ranks in the top half of its pool,
    under the current and the new weights, and the difference."""
    predicted = model.predict(x)
    chosen_current = top_half_mean(predicted, x @ current, pools)
    chosen_new = top_half_mean(predicted, x @ new, pools)
    return chosen_current, chosen_new, chosen_new - chosen_current


def out_of_fold(x: Floats, y: Floats, pools: Sequence[str]) -> Scorer:
    """Scores of the new weights, each pool's from a fit without that pool (each fifth's,
    by position, when there is one pool): the backtest never grades the data it learnt."""
    names = sorted(set(pools))
    folds = list(pools) if len(names) > 1 else [str(i % 5) for i in range(len(y))]
    scores = np.zeros(len(y))
    for fold in sorted(set(folds)):
        inside = np.array([f == fold for f in folds])
        model = fit(x[~inside], y[~inside]) if (~inside).sum() >= 2 else fit(x, y)
        weights = model.weights if model.weights is not None else np.zeros(len(SIGNALS))
        scores[inside] = x[inside] @ weights
    return scores


def run_backtest(
    x: Floats, y: Floats, pools: Sequence[str], current: Floats, outcome: OutcomeMeasure
) -> Backtest:
    return backtest(went_well(outcome, y), out_of_fold(x, y, pools), x @ current, pools)
