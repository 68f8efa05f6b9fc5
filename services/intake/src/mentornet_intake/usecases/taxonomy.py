"""The skill taxonomy: anyone reads it; taxonomy curators add, rename and deprecate
skills, each change announced once (domain/curation.py)."""

from __future__ import annotations

from collections.abc import Callable

from ..domain.curation import Curated, Rename, add_skill, deprecate_skill, rename_skill
from ..domain.skills import Cluster, Skill
from ..domain.taxonomy import Taxonomy
from ..store.taxonomies import TaxonomyStore


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
        return (await self.taxonomies.current()).resolve(skill_id)

    async def add(self, skill: Skill) -> Curated:
        return await self._curate(lambda taxonomy: add_skill(taxonomy, skill))

    async def rename(self, skill_id: str, rename: Rename) -> Curated:
        return await self._curate(lambda taxonomy: rename_skill(taxonomy, skill_id, rename))

    async def deprecate(self, skill_id: str) -> Curated:
        return await self._curate(lambda taxonomy: deprecate_skill(taxonomy, skill_id))

    async def _curate(self, step: Callable[[Taxonomy], Curated]) -> Curated:
        """An unknown skill is not found (UnknownSkillError); a clash with the taxonomy
        is a conflict (TaxonomyConflict)."""
        return await self.taxonomies.curate(step)
