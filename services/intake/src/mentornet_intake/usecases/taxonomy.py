"""The skill taxonomy: anyone reads it; taxonomy curators add, rename and deprecate
skills, each change announced once (domain/curation.py)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from mentornet_chassis.errors import Conflict, NotFound

from ..domain.curation import (
    Curated,
    Rename,
    TaxonomyConflict,
    add_skill,
    deprecate_skill,
    rename_skill,
)
from ..domain.skills import Cluster, Skill, UnknownSkillError
from ..domain.taxonomy import Taxonomy
from ..store.taxonomies import TaxonomyStore


@contextmanager
def _curation_refusals() -> Iterator[None]:
    """An unknown skill is not found; a clash with the taxonomy is a conflict."""
    try:
        yield
    except UnknownSkillError as exc:
        raise NotFound("skill_id", str(exc)) from None
    except TaxonomyConflict as exc:
        raise Conflict("skill_id", str(exc)) from None


class Curation:
    def __init__(self, taxonomies: TaxonomyStore) -> None:
        self.taxonomies = taxonomies

    async def listing(
        self, cluster: Cluster | None, include_deprecated: bool
    ) -> tuple[Taxonomy, list[Skill]]:
        """The taxonomy and its skills in this cluster (any, for None)."""
        taxonomy = await self.taxonomies.current()
        skills = [
            skill
            for skill in taxonomy.skills
            if (include_deprecated or not skill.deprecated) and cluster in (None, skill.cluster)
        ]
        return taxonomy, skills

    async def lookup(self, skill_id: str) -> Skill:
        """A skill by id or alias, in any case; an unknown one gets suggestions."""
        with _curation_refusals():
            return (await self.taxonomies.current()).resolve(skill_id)

    async def add(self, skill: Skill) -> Curated:
        return await self._curate(lambda taxonomy: add_skill(taxonomy, skill))

    async def rename(self, skill_id: str, rename: Rename) -> Curated:
        return await self._curate(lambda taxonomy: rename_skill(taxonomy, skill_id, rename))

    async def deprecate(self, skill_id: str) -> Curated:
        return await self._curate(lambda taxonomy: deprecate_skill(taxonomy, skill_id))

    async def _curate(self, step: Callable[[Taxonomy], Curated]) -> Curated:
        with _curation_refusals():
            return await self.taxonomies.curate(step)
