"""The skill taxonomy in MongoDB: one aggregate, seeded from the shipped default.

Every replica reads the taxonomy it validates against from here, so a skill added or
renamed through one replica is known to all. Reads are cheap: the whole document is
read again only when its version has moved since the cached copy.
"""

from __future__ import annotations

from collections.abc import Callable

from mentornet_chassis.store.aggregates import AggregateStore, Decision, State
from mentornet_contracts import new_envelope

from ..domain.curation import Curated
from ..domain.taxonomy import Taxonomy, load_default

SERVICE = "intake"
TAXONOMIES = "taxonomies"


class TaxonomyStore:
    def __init__(self, aggregates: AggregateStore, wake_relay: Callable[[], None]) -> None:
        self.aggregates = aggregates
        self.wake_relay = wake_relay
        self.taxonomy_id = load_default().taxonomy_id
        self._cached: tuple[int, Taxonomy] = (0, load_default())

    async def current(self) -> Taxonomy:
        stamp = await self.aggregates.collection.find_one({"_id": self.taxonomy_id}, {"version": 1})
        if stamp is None:
            return load_default()
        if stamp["version"] != self._cached[0]:
            loaded = await self.aggregates.load(self.taxonomy_id)
            self._cached = (loaded.version, _from_state(loaded.state))
        return self._cached[1]

    async def curate(
        self, step: Callable[[Taxonomy], Curated], correlation_id: str | None = None
    ) -> Curated:
        """Apply one curation step to the stored taxonomy; announce it if it changed."""
        outcome: list[Curated] = []

        def decide(state: State | None) -> Decision:
            curated = step(_from_state(state))
            outcome[:] = [curated]
            if curated.event is None:
                return Decision(state=None)
            envelope = new_envelope(curated.event, SERVICE, correlation_id=correlation_id)
            return Decision(state=curated.taxonomy.to_document(), events=[envelope])

        applied = await self.aggregates.apply(self.taxonomy_id, decide)
        if applied.emitted:
            self.wake_relay()
        return outcome[0]


def _from_state(state: State | None) -> Taxonomy:
    return load_default() if state is None else Taxonomy.from_document(state)
