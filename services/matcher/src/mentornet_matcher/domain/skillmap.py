"""Skills as the matcher sees them: an index per skill, its category and cluster,
and goal coverage — how well each mentor covers each mentee's goal skills.

A mentor covers a target skill fully at or above the level the goal needs; below it,
in proportion (at most EXACT_BELOW_LEVEL); with only related skills, partially: more
for the same category than for the same cluster. Renamed skill ids resolve through
aliases, so profiles written before a rename still count.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp
from mentornet_contracts.events.common import Goal, SkillLevel
from mentornet_contracts.taxonomy import Skill, default_taxonomy

EXACT_BELOW_LEVEL = 0.75
SAME_CATEGORY = 0.5
SAME_CLUSTER = 0.25
MAX_LEVEL = 5


@dataclass(frozen=True)
class SkillMap:
    position: dict[str, int]
    """Skill id or alias to the skill's index."""
    ids: tuple[str, ...]
    category: npt.NDArray[np.int32]
    cluster: npt.NDArray[np.int32]

    @classmethod
    def of(cls, skills: Iterable[Skill]) -> SkillMap:
        listed = list(skills)
        position: dict[str, int] = {}
        for index, skill in enumerate(listed):
            for name in (skill.id, *skill.aliases):
                position.setdefault(name.lower(), index)
        categories = {c: i for i, c in enumerate(sorted({s.category for s in listed}))}
        clusters = {c: i for i, c in enumerate(sorted({s.cluster for s in listed}))}
        return cls(
            position=position,
            ids=tuple(s.id for s in listed),
            category=np.asarray([categories[s.category] for s in listed], dtype=np.int32),
            cluster=np.asarray([clusters[s.cluster] for s in listed], dtype=np.int32),
        )

    @classmethod
    def default(cls) -> SkillMap:
        return cls.of(default_taxonomy().skills)

    def __len__(self) -> int:
        return len(self.ids)

    def find(self, skill_id: str) -> int | None:
        return self.position.get(skill_id.lower())

    def proficiency(self, mentors: Sequence[Sequence[SkillLevel]]) -> npt.NDArray[np.int8]:
        """Mentors x skills: each mentor's level in each skill (0 when absent)."""
        levels = np.zeros((len(mentors), len(self)), dtype=np.int8)
        for row, skills in enumerate(mentors):
            for skill in skills:
                index = self.find(skill.skill_id)
                if index is not None:
                    levels[row, index] = max(levels[row, index], skill.level)
        return levels

    def best_by(
        self, levels: npt.NDArray[np.int8], groups: npt.NDArray[np.int32]
    ) -> npt.NDArray[np.int8]:
        """Mentors x groups: the mentor's best level in any skill of each group."""
        best = np.zeros((levels.shape[0], int(groups.max()) + 1), dtype=np.int8)
        for group in np.unique(groups):
            best[:, group] = levels[:, groups == group].max(axis=1)
        return best


def credit(
    own: npt.ArrayLike, category_best: npt.ArrayLike, cluster_best: npt.ArrayLike, need: int
) -> npt.NDArray[np.float64]:
    """Coverage of one target skill needed at `need`, from the mentor's levels."""
    own_level = np.asarray(own, dtype=np.float64)
    exact = np.where(own_level >= need, 1.0, EXACT_BELOW_LEVEL * own_level / need)
    category = SAME_CATEGORY * np.minimum(1.0, np.asarray(category_best, np.float64) / need)
    cluster = SAME_CLUSTER * np.minimum(1.0, np.asarray(cluster_best, np.float64) / need)
    return np.maximum(exact, np.maximum(category, cluster))


@dataclass(frozen=True)
class Coverage:
    """needs (mentees x (skill, level) pairs, weights summing to 1 per mentee with goals)
    times credits ((skill, level) pairs x mentors) gives goal coverage per pair."""

    needs: sp.csr_matrix
    credits: npt.NDArray[np.float32]
    has_goals: npt.NDArray[np.bool_]

    def block(self, start: int, stop: int) -> npt.NDArray[np.float32]:
        if stop - start == 1:
            first, last = self.needs.indptr[start], self.needs.indptr[start + 1]
            weights = self.needs.data[first:last]
            row = weights @ self.credits[self.needs.indices[first:last]]
            return np.asarray(row, dtype=np.float32)[None, :]
        return np.asarray(self.needs[start:stop] @ self.credits, dtype=np.float32)


def goal_weights(goals: Sequence[Goal], skills: SkillMap) -> dict[tuple[int, int], float]:
    """Each goal counts equally, and each target skill equally within its goal."""
    weights: dict[tuple[int, int], float] = {}
    counted = [g for g in goals if g.target_skills]
    for goal in counted:
        for target in goal.target_skills:
            index = skills.find(target.skill_id)
            share = 1 / (len(counted) * len(goal.target_skills))
            if index is not None:
                key = (index, target.level)
                weights[key] = weights.get(key, 0.0) + share
    return weights


def coverage(
    mentee_goals: Sequence[Sequence[Goal]], levels: npt.NDArray[np.int8], skills: SkillMap
) -> Coverage:
    per_mentee = [goal_weights(goals, skills) for goals in mentee_goals]
    needed = sorted({key for weights in per_mentee for key in weights})
    column = {key: i for i, key in enumerate(needed)}
    rows, cols, values = [], [], []
    for row, weights in enumerate(per_mentee):
        for key, weight in weights.items():
            rows.append(row)
            cols.append(column[key])
            values.append(weight)
    needs = sp.csr_matrix(
        (np.asarray(values, np.float32), (rows, cols)), shape=(len(per_mentee), len(needed))
    )
    credits = np.zeros((len(needed), levels.shape[0]), dtype=np.float32)
    if levels.shape[0] and needed:
        by_category = skills.best_by(levels, skills.category)
        by_cluster = skills.best_by(levels, skills.cluster)
        for i, (skill, need) in enumerate(needed):
            credits[i] = credit(
                levels[:, skill],
                by_category[:, skills.category[skill]],
                by_cluster[:, skills.cluster[skill]],
                need,
            )
    has_goals = np.asarray([bool(w) for w in per_mentee], dtype=np.bool_)
    return Coverage(needs, credits, has_goals)
