"""The statistics experiment analysis and calibration rest on, pure: summaries with a t
interval, a percentile bootstrap interval of a difference in means (the caller passes
the numpy Generator, seeded from the experiment), Welch's p-value, Cohen's d, and the
power of a two-arm comparison. Arrays in, plain floats out."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import stats as scipy_stats

LEVEL = 0.95
RESAMPLES = 2000
CHUNK = 1_000_000
"""Most values a bootstrap draws at once."""

Floats = NDArray[np.float64]


@dataclass(frozen=True)
class Summary:
    n: int
    mean: float | None
    sd: float | None
    ci: tuple[float, float] | None
    """The t interval of the mean (None under 2 values)."""


@dataclass(frozen=True)
class Comparison:
    difference: float
    """mean(treated) - mean(control)."""
    ci: tuple[float, float]
    """Percentile bootstrap interval of the difference."""
    effect_size: float | None
    """Cohen's d (None when both arms have no spread)."""
    p_value: float
    """Welch's two-sided t test."""


def floats(values: ArrayLike) -> Floats:
    return np.asarray(values, dtype=np.float64).ravel()


def summary(values: ArrayLike, level: float = LEVEL) -> Summary:
    x = floats(values)
    n = int(x.size)
    if n == 0:
        return Summary(0, None, None, None)
    mean = float(x.mean())
    if n < 2:
        return Summary(n, mean, None, None)
    sd = float(x.std(ddof=1))
    half = float(scipy_stats.t.ppf(0.5 + level / 2, n - 1)) * sd / math.sqrt(n)
    return Summary(n, mean, sd, (mean - half, mean + half))


def bootstrap_difference(
    control: ArrayLike,
    treated: ArrayLike,
    rng: np.random.Generator,
    resamples: int = RESAMPLES,
    level: float = LEVEL,
) -> tuple[float, float]:
    """Percentile interval of mean(treated) - mean(control), each arm resampled with
    replacement on its own, `resamples` times."""
    a, b = floats(control), floats(treated)
    if a.size == 0 or b.size == 0:
        raise ValueError("both arms need values")
    tail = (1 - level) / 2
    low, high = np.quantile(_means(b, rng, resamples) - _means(a, rng, resamples), [tail, 1 - tail])
    return float(low), float(high)


def _means(x: Floats, rng: np.random.Generator, resamples: int) -> Floats:
    """Means of `resamples` resamples of `x`, drawn a bounded number of values at a time
    (a large arm never needs resamples x n values in memory at once)."""
    rows = max(1, min(resamples, CHUNK // x.size))
    found = [
        x[rng.integers(0, x.size, size=(min(rows, resamples - done), x.size))].mean(axis=1)
        for done in range(0, resamples, rows)
    ]
    return np.concatenate(found)


def welch_p(control: ArrayLike, treated: ArrayLike) -> float:
    """Two-sided p-value of Welch's t test; 1 when neither arm varies and the means
    agree, 0 when neither varies and they differ."""
    a, b = floats(control), floats(treated)
    if a.size < 2 or b.size < 2:
        return 1.0
    va, vb = a.var(ddof=1) / a.size, b.var(ddof=1) / b.size
    if va + vb == 0:
        return 1.0 if a.mean() == b.mean() else 0.0
    t = (b.mean() - a.mean()) / math.sqrt(va + vb)
    df = (va + vb) ** 2 / (va**2 / (a.size - 1) + vb**2 / (b.size - 1))
    return float(2 * scipy_stats.t.sf(abs(t), df))


def cohens_d(control: ArrayLike, treated: ArrayLike) -> float | None:
    """(mean(treated) - mean(control)) / pooled standard deviation."""
    a, b = floats(control), floats(treated)
    if a.size < 2 or b.size < 2:
        return None
    pooled = ((a.size - 1) * a.var(ddof=1) + (b.size - 1) * b.var(ddof=1)) / (a.size + b.size - 2)
    if pooled == 0:
        return None
    return float((b.mean() - a.mean()) / math.sqrt(pooled))


def compare(
    control: ArrayLike,
    treated: ArrayLike,
    rng: np.random.Generator,
    resamples: int = RESAMPLES,
    level: float = LEVEL,
) -> Comparison:
    a, b = floats(control), floats(treated)
    return Comparison(
        difference=float(b.mean() - a.mean()),
        ci=bootstrap_difference(a, b, rng, resamples, level),
        effect_size=cohens_d(a, b),
        p_value=welch_p(a, b),
    )


def power(effect_size: float, n_per_arm: int, alpha: float = 1 - LEVEL) -> float:
    """Power of a two-sided two-sample t test with `n_per_arm` in each arm to detect a
    standardised difference `effect_size` (noncentral t)."""
    if n_per_arm < 2:
        return 0.0
    df = 2 * n_per_arm - 2
    noncentrality = effect_size * math.sqrt(n_per_arm / 2)
    critical = float(scipy_stats.t.ppf(1 - alpha / 2, df))
    upper = float(scipy_stats.nct.sf(critical, df, noncentrality))
    lower = float(scipy_stats.nct.cdf(-critical, df, noncentrality))
    if math.isfinite(upper + lower):
        return upper + lower
    normal = scipy_stats.norm  # where the noncentral t fails numerically (large effects)
    return float(normal.sf(critical - noncentrality) + normal.cdf(-critical - noncentrality))


def sample_per_arm(effect_size: float, wanted: float = 0.8, alpha: float = 1 - LEVEL) -> int:
    """The fewest mentees per arm that detect `effect_size` with power `wanted`."""
    if effect_size <= 0:
        raise ValueError("the effect size must be positive")
    n = 2
    while power(effect_size, n, alpha) < wanted:
        n += 1
    return n


def detectable_effect(
    n_per_arm: int, wanted: float = 0.8, alpha: float = 1 - LEVEL
) -> float | None:
    """The smallest standardised difference `n_per_arm` mentees per arm detect with power
    `wanted` (None under 2 per arm), to two decimals."""
    if n_per_arm < 2:
        return None
    low, high = 0.0, 10.0
    while high - low > 0.005:
        middle = (low + high) / 2
        low, high = (low, middle) if power(middle, n_per_arm, alpha) >= wanted else (middle, high)
    return round(high, 2)
