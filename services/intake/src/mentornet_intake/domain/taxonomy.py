"""The skill taxonomy: which skills participants may name, and how free text maps to them.

A taxonomy never changes in place: add, rename and deprecate return a new one with the
version raised by one, so a stored copy can be replaced with an optimistic version check.
A rename keeps the old id as an alias, and a deprecated skill still resolves, so skills
recorded in earlier events keep resolving.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from functools import cache
from typing import Any

from mentornet_contracts.taxonomy import MAX_ALIASES, TaxonomyDocument, default_taxonomy_text
from pydantic import PrivateAttr, model_validator

from .skills import Cluster, Skill, Tier, UnknownSkillError, index, key, keys_of

__all__ = ["Cluster", "Skill", "Taxonomy", "Tier", "UnknownSkillError", "load_default"]

SUGGESTION_CUTOFF = 0.6


class Taxonomy(TaxonomyDocument):
    """The published taxonomy document, with lookups and curation steps."""

    _index: dict[str, Skill] = PrivateAttr(default_factory=dict)
    _spellings: dict[str, str] = PrivateAttr(default_factory=dict)

    @model_validator(mode="after")
    def _build_lookups(self) -> Taxonomy:
        self._index = index(self.skills)
        self._spellings = _spellings(self.skills)
        return self

    def resolve(self, skill: str) -> Skill:
        """The canonical skill for an id or alias, in any case; deprecated ones included."""
        found = self._index.get(key(skill))
        if found is None:
            raise UnknownSkillError(skill, self.suggest(skill))
        return found

    def suggest(self, text: str, n: int = 3) -> list[str]:
        """Up to n ids of offered skills whose id, name or alias is spelled like text."""
        close = difflib.get_close_matches(
            key(text), self._spellings, n=len(self._spellings), cutoff=SUGGESTION_CUTOFF
        )
        return list(dict.fromkeys(self._spellings[spelling] for spelling in close))[:n]

    def validate_skills(self, skills: Iterable[str]) -> list[str]:
        """Canonical ids in first-seen order without repeats; the first unknown one raises."""
        return list(dict.fromkeys(self.resolve(skill).id for skill in skills))

    def same_cluster(self, a: str, b: str) -> bool:
        return self.resolve(a).cluster == self.resolve(b).cluster

    def offered(self) -> tuple[Skill, ...]:
        return tuple(skill for skill in self.skills if not skill.deprecated)

    def add(self, skill: Skill) -> Taxonomy:
        return self._next((*self.skills, skill))

    def rename(self, old_id: str, new_id: str, new_name: str | None = None) -> Taxonomy:
        current = self.resolve(old_id)
        if key(new_id) == current.id:
            raise ValueError(f"{current.id} is already called {new_id!r}")
        aliases = (current.id, *(a for a in current.aliases if key(a) != key(new_id)))
        if len(aliases) > MAX_ALIASES:
            raise ValueError(
                f"{current.id} already has {len(current.aliases)} aliases, and a skill keeps "
                f"at most {MAX_ALIASES}: renaming would add its old id as one more"
            )
        fields = current.model_dump() | {"id": new_id, "aliases": aliases}
        renamed = Skill.model_validate(fields | {"name": new_name or current.name})
        return self._next(_replaced(self.skills, current, renamed))

    def deprecate(self, skill_id: str) -> Taxonomy:
        """Deprecating a deprecated skill changes nothing and keeps the version."""
        current = self.resolve(skill_id)
        if current.deprecated:
            return self
        retired = current.model_copy(update={"deprecated": True})
        return self._next(_replaced(self.skills, current, retired))

    def to_document(self) -> dict[str, Any]:
        return self.model_dump(mode="json")

    @classmethod
    def from_document(cls, document: Mapping[str, Any]) -> Taxonomy:
        """Accepts a document read back from MongoDB, whose _id is not ours."""
        return cls.model_validate({k: v for k, v in document.items() if k != "_id"})

    def _next(self, skills: tuple[Skill, ...]) -> Taxonomy:
        index(skills)  # a plain ValueError naming the clash, not a ValidationError
        return Taxonomy(taxonomy_id=self.taxonomy_id, version=self.version + 1, skills=skills)


def _spellings(skills: Iterable[Skill]) -> dict[str, str]:
    """Ids, names and aliases of offered skills, as keys, to the skill id."""
    spellings: dict[str, str] = {}
    for skill in skills:
        if not skill.deprecated:
            for spelling in (*keys_of(skill), key(skill.name)):
                spellings.setdefault(spelling, skill.id)
    return spellings


def _replaced(skills: tuple[Skill, ...], old: Skill, new: Skill) -> tuple[Skill, ...]:
    return tuple(new if skill.id == old.id else skill for skill in skills)


@cache
def load_default() -> Taxonomy:
    """The shipped default taxonomy; cached, which is safe as taxonomies are immutable."""
    return Taxonomy.model_validate_json(default_taxonomy_text())
