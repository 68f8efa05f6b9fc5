"""Coverage gaps: skills that waiting mentees need and too few free mentor places
offer, so coordinators know whom to recruit.

For each goal skill of the mentees left waiting after a run: how many wait for it,
and how many free places mentors have who hold it at the level those mentees need.
A skill is a gap when fewer places than waiting mentees remain.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from .documents import CoverageReport
from .pool import Pool


@dataclass(frozen=True)
class SkillGap:
    skill_id: str
    waiting: int
    """Waiting mentees with a goal in this skill."""
    places: int
    """Free places with mentors at the level those mentees need."""

    @property
    def shortfall(self) -> int:
        return self.waiting - self.places


def skill_gaps(pool: Pool, free: npt.NDArray[np.int64], waiting: Sequence[int]) -> list[SkillGap]:
    """Gaps among the skills of `waiting` (mentee rows of the pool), largest first."""
    wanted: dict[int, list[int]] = {}
    for i in waiting:
        for index, level in _targets(pool, i):
            wanted.setdefault(index, []).append(level)
    gaps = []
    for index, levels in wanted.items():
        able = pool.mentor_levels[:, index] >= min(levels) if pool.mentors else np.zeros(0, bool)
        places = int(np.maximum(free, 0)[able].sum())
        if places < len(levels):
            gaps.append(SkillGap(pool.skills.ids[index], len(levels), places))
    return sorted(gaps, key=lambda g: (-g.shortfall, g.skill_id))


def _targets(pool: Pool, i: int) -> set[tuple[int, int]]:
    found = set()
    for goal in pool.mentees[i].goals:
        for target in goal.target_skills:
            index = pool.skills.find(target.skill_id)
            if index is not None:
                found.add((index, target.level))
    return found


def report(
    gaps: Sequence[SkillGap], waiting_mentees: int, mentors_with_room: int
) -> CoverageReport:
    return {
        "skills": [
            {
                "skill_id": g.skill_id,
                "waiting": g.waiting,
                "places": g.places,
                "shortfall": g.shortfall,
            }
            for g in gaps
        ],
        "waiting_mentees": waiting_mentees,
        "mentors_with_capacity": mentors_with_room,
    }
