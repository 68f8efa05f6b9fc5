"""Survey template versions, one document per (program, version) in
`template_versions`, so a program's history grows by documents, not inside one.

A new version claims its number by inserting `<program>:<number>`: the insert is the
one write, so two coordinators saving at once get two numbers (the second insert
fails on the `_id` and tries the next), and a crash leaves either the version or
nothing. The current version is the highest one. Programs whose versions were saved
before this collection existed keep them in the old `templates` aggregate
(`{"current": n, "versions": {...}}`), read here as they are and never written again.
"""

from __future__ import annotations

from mentornet_chassis.store.aggregates import AggregateStore, VersionConflict
from mentornet_chassis.store.mongo import Document
from pymongo import DESCENDING
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import DuplicateKeyError

from ..domain.templates import TemplateSpec

VERSIONS = "template_versions"
MAX_CLAIMS = 10
"""Numbers a save tries before giving up: only as many coordinators saving the same
program's template at the same moment could take them all."""


class TemplateVersions:
    def __init__(self, collection: AsyncCollection[Document], legacy: AggregateStore) -> None:
        self.collection = collection
        self.legacy = legacy

    async def ensure_indexes(self) -> None:
        await self.collection.create_index([("program_id", 1), ("version", DESCENDING)])

    async def current(self, program_id: str) -> int:
        """The highest version saved; 1 (the default template) if none is."""
        newest = await (
            self.collection.find({"program_id": program_id}, {"version": 1})
            .sort("version", DESCENDING)
            .limit(1)
            .to_list()
        )
        old = await self.legacy.get_state(program_id) or {}
        return max([1, int(old.get("current", 1)), *(int(d["version"]) for d in newest)])

    async def get(self, program_id: str, version: int) -> TemplateSpec | None:
        doc = await self.collection.find_one({"_id": _key(program_id, version)})
        if doc is not None:
            return TemplateSpec.model_validate(doc["spec"])
        old = await self.legacy.get_state(program_id) or {}
        spec = old.get("versions", {}).get(str(version))
        return None if spec is None else TemplateSpec.model_validate(spec)

    async def add(self, program_id: str, spec: TemplateSpec) -> int:
        """The number the new version got."""
        number = await self.current(program_id) + 1
        for _ in range(MAX_CLAIMS):
            doc = {
                "_id": _key(program_id, number),
                "program_id": program_id,
                "version": number,
                "spec": spec.model_dump(mode="json"),
            }
            try:
                await self.collection.insert_one(doc)
                return number
            except DuplicateKeyError:
                number = max(number + 1, await self.current(program_id) + 1)
        raise VersionConflict(f"{program_id}: no free template version after {MAX_CLAIMS} tries")


def _key(program_id: str, version: int) -> str:
    return f"{program_id}:{version}"
