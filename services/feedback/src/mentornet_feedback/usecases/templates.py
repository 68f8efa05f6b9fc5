"""A program's survey template, versioned: read any version, save a new one."""

from __future__ import annotations

from dataclasses import dataclass

from mentornet_chassis.errors import Conflict, NotFound
from mentornet_chassis.store.aggregates import VersionConflict

from ..domain.templates import TemplateSpec
from .common import Parts


@dataclass(frozen=True)
class Templates:
    parts: Parts

    async def version(self, program_id: str, version: int | None) -> tuple[int, TemplateSpec]:
        """The template at `version` (default: the current one), with its number."""
        return await self.parts.template(program_id, version)

    async def replace(self, program_id: str, spec: TemplateSpec) -> int:
        """A new version of the program's survey (its number); requests already sent
        keep theirs."""
        stores = self.parts.stores
        if await stores.program(program_id) is None:
            raise NotFound("program_id", f"no published program {program_id}")
        try:
            return await stores.versions.add(program_id, spec)
        except VersionConflict:
            raise Conflict("version", "the template is being changed: try again") from None
