"""What the demo's experiment pairs achieve: simulated, seeded, and better for arm b
by construction.

A pair's outcomes depend on its skill fit (the matcher's raw `skills` signal for the
pair: how well the mentor covers the mentee's target skills) plus seeded noise. Arm b
weighs that signal far more than the program's own weights (arm a), so its mentees
get mentors who cover their target skills more often, and grow more:

    growth = BASE_GROWTH + SKILL_EFFECT * fit + Normal(0, NOISE_SD)
    end self-assessment = baseline + round(growth), within 1-5

The mentor's end assessment, the milestones done on time and the end-of-match survey
follow the same fit. Nothing here knows the arms: the difference between them is only
what the matcher's choice of mentors makes it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

BASE_GROWTH = 0.3
"""Levels a mentee grows with a mentor who does not know their skill."""
SKILL_EFFECT = 2.0
"""Extra levels with a mentor who covers the target skill fully (fit 1)."""
NOISE_SD = 0.5
MENTOR_NOISE_SD = 0.5
"""How far the mentor's end level strays from the mentee's growth."""
ON_TIME_BASE = 0.45
ON_TIME_EFFECT = 0.45
"""Chance that a milestone is done by its due date: base + effect * fit."""
LEVELS = (1, 5)
WEEK = timedelta(days=7)


@dataclass(frozen=True)
class Survey:
    satisfaction: int
    would_recommend: bool
    confidence_gained: int

    def body(self) -> dict[str, int | bool]:
        return {
            "satisfaction": self.satisfaction,
            "would_recommend": self.would_recommend,
            "confidence_gained": self.confidence_gained,
        }


@dataclass(frozen=True)
class Outcome:
    """One pair's simulated results."""

    fit: float
    baseline: int
    end_self: int
    end_mentor: int
    on_time: tuple[bool, ...]
    """Per milestone: done by its due date (otherwise done late, or not at all)."""
    mentee: Survey
    mentor: Survey

    def level_after(self, done: int) -> int:
        """The mentee's self-assessment at the review of their `done`-th milestone: on
        the way from the baseline to the end level."""
        steps = max(1, len(self.on_time))
        return self.baseline + round((self.end_self - self.baseline) * min(done, steps) / steps)


@dataclass(frozen=True)
class Pair:
    match_id: str
    mentee: int
    """The mentee's registration number in the program: with the seed, it seeds their
    draws, so a mentee's luck does not depend on which match ids the run gave out."""
    fit: float
    baseline: int
    milestones: int


def skill_fit(
    signals: Mapping[str, float] | None, offered: Mapping[str, int], skill: str, need: int
) -> float:
    """The matcher's raw skills signal for the pair when the match shows it; otherwise
    1 when the mentor offers the skill at the level needed, else 0."""
    if signals and "skills" in signals:
        return float(min(1.0, max(0.0, signals["skills"])))
    return 1.0 if offered.get(skill, 0) >= need else 0.0


def completed_on(due: date, on_time: bool, today: date) -> date | None:
    """The day a milestone is recorded as done, seen in the week ending `today`: one
    done on time in the week before its due date (on `today`, or on the due date when
    the week passed it), one done late a week after its due date; None: not yet."""
    if on_time:
        return min(today, due) if today >= due - WEEK else None
    return due + WEEK if today >= due + WEEK else None


def _level(value: float) -> int:
    return int(min(LEVELS[1], max(LEVELS[0], round(value))))


def _survey(rng: np.random.Generator, fit: float, growth: float, centre: float) -> Survey:
    satisfaction = _level(centre + 1.2 * fit + rng.normal(0, 0.7))
    confidence = _level(2.5 + 0.6 * growth + rng.normal(0, 0.7))
    return Survey(satisfaction, satisfaction >= 4, confidence)


def draw(rng: np.random.Generator, fit: float, baseline: int, milestones: int) -> Outcome:
    growth = BASE_GROWTH + SKILL_EFFECT * fit + rng.normal(0, NOISE_SD)
    end_self = _level(baseline + round(growth))
    end_mentor = _level(baseline + round(growth + rng.normal(0, MENTOR_NOISE_SD)))
    on_time = tuple(
        bool(rng.random() < ON_TIME_BASE + ON_TIME_EFFECT * fit) for _ in range(milestones)
    )
    return Outcome(
        fit=fit,
        baseline=baseline,
        end_self=end_self,
        end_mentor=end_mentor,
        on_time=on_time,
        mentee=_survey(rng, fit, growth, 2.8),
        mentor=_survey(rng, fit, growth, 3.2),
    )


def simulate(seed: int, pairs: Sequence[Pair]) -> dict[str, Outcome]:
    """Every pair's outcome, each from its own Generator seeded with (seed, mentee
    number): the same seed, mentee and fit give the same outcome in any run."""
    return {
        pair.match_id: draw(
            np.random.default_rng([seed, pair.mentee]), pair.fit, pair.baseline, pair.milestones
        )
        for pair in pairs
    }
