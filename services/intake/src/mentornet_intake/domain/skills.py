"""One skill in the taxonomy, and the lookup keys that find it.

A skill is found by its id or any of its aliases, compared as keys: lower case, with runs
of spaces or underscores turned into hyphens, so "Machine Learning" finds machine-learning.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

Cluster = Literal["technical", "soft_skill", "leadership"]
Tier = Literal["foundational", "professional", "expert"]

KEBAB_CASE = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
_SEPARATORS = re.compile(r"[\s_]+")


def key(text: str) -> str:
    """The form ids, aliases and user input are compared in."""
    return _SEPARATORS.sub("-", text.strip().lower())


class UnknownSkillError(ValueError):
    def __init__(self, skill: str, suggestions: Sequence[str] = ()) -> None:
        hint = f"; did you mean: {', '.join(suggestions)}" if suggestions else ""
        super().__init__(f"unknown skill {skill!r}{hint}")
        self.skill = skill
        self.suggestions = list(suggestions)


class Skill(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(max_length=64, pattern=KEBAB_CASE)
    name: str = Field(min_length=1, max_length=100)
    cluster: Cluster
    category: str = Field(max_length=64, pattern=KEBAB_CASE)
    tier: Tier = Field(description="How advanced the skill is.")
    aliases: tuple[str, ...] = Field(default=(), max_length=20)
    deprecated: bool = False

    @field_validator("aliases")
    @classmethod
    def _lower_case(cls, aliases: tuple[str, ...]) -> tuple[str, ...]:
        cleaned = tuple(alias.strip().lower() for alias in aliases)
        if not all(cleaned):
            raise ValueError("aliases cannot be blank")
        return cleaned

    @property
    def is_offered(self) -> bool:
        """Deprecated skills still resolve, so old data reads, but are not offered anew."""
        return not self.deprecated

    @property
    def keys(self) -> tuple[str, ...]:
        return (self.id, *(key(alias) for alias in self.aliases))


def index(skills: Iterable[Skill]) -> dict[str, Skill]:
    """Every id and alias key to its skill; a key used twice is a clash (ValueError)."""
    found: dict[str, Skill] = {}
    for skill in skills:
        for lookup in skill.keys:
            if lookup in found:
                owner = found[lookup].id
                raise ValueError(
                    f"{lookup!r} (for {skill.id}) is already an id or alias of {owner}"
                )
            found[lookup] = skill
    return found
