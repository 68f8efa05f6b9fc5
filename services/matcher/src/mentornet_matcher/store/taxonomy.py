"""The taxonomy read model, and the skill map built from it once per version."""

from __future__ import annotations

from mentornet_chassis.store.aggregates import AggregateStore
from mentornet_chassis.store.typed import typed
from mentornet_contracts.taxonomy import default_taxonomy

from ..domain.documents import TaxonomyView
from ..domain.skillmap import SkillMap
from ..domain.taxonomy_view import skill_map

TAXONOMY_ID = default_taxonomy().taxonomy_id


class Taxonomy:
    def __init__(self, store: AggregateStore) -> None:
        self.store = store
        self._cached: tuple[int, SkillMap] | None = None

    async def skills(self) -> SkillMap:
        view: TaxonomyView | None = typed(await self.store.get_state(TAXONOMY_ID))
        version = view["version"] if view else 0
        if self._cached is None or self._cached[0] != version:
            self._cached = (version, skill_map(view))
        return self._cached[1]
