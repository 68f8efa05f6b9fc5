"""One skill in the taxonomy, and the lookup keys that find it.

A skill is found by its id or any of its aliases, compared as keys: lower case, with runs
of spaces or underscores turned into hyphens, so "Machine Learning" finds machine-learning.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from mentornet_chassis.errors import NotFound
from mentornet_contracts.taxonomy import KEBAB_CASE, Cluster, Skill, Tier

_SEPARATORS = re.compile(r"[\s_]+")


def key(text: str) -> str:
    """The form ids, aliases and user input are compared in."""
    return _SEPARATORS.sub("-", text.strip().lower())


class UnknownSkillError(NotFound, ValueError):
    """No skill by this id or alias (404, naming `skill_id`). Still a ValueError, so
    a body validator that looks a skill up reports it as a bad value."""

    def __init__(self, skill: str, suggestions: Sequence[str] = ()) -> None:
        hint = f"; did you mean: {', '.join(suggestions)}" if suggestions else ""
        super().__init__("skill_id", f"unknown skill {skill!r}{hint}")
        self.skill = skill
        self.suggestions = list(suggestions)


def index(skills: Iterable[Skill]) -> dict[str, Skill]:
    """Every id and alias key to its skill; a key used twice is a clash (ValueError)."""
    found: dict[str, Skill] = {}
    for skill in skills:
        for lookup in keys_of(skill):
            if lookup in found:
                owner = found[lookup].id
                raise ValueError(
                    f"{lookup!r} (for {skill.id}) is already an id or alias of {owner}"
                )
            found[lookup] = skill
    return found


def keys_of(skill: Skill) -> tuple[str, ...]:
    return (skill.id, *(key(alias) for alias in skill.aliases))


__all__ = ["KEBAB_CASE", "Cluster", "Skill", "Tier", "UnknownSkillError", "index", "key", "keys_of"]
