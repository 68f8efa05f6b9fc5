"""Curating the skill taxonomy: add, rename and deprecate, each announced once.

Each step takes the current taxonomy and returns the next one with the event that tells
other services what changed, or no event when nothing did (deprecating a deprecated
skill), so a repeated request is harmless.
"""

from __future__ import annotations

from dataclasses import dataclass

from mentornet_chassis.errors import Conflict
from mentornet_contracts.events.programs import SkillRename, TaxonomyUpdated
from pydantic import BaseModel, ConfigDict, Field

from .skills import KEBAB_CASE, Skill
from .taxonomy import Taxonomy


class TaxonomyConflict(Conflict, ValueError):
    """The change clashes with the taxonomy as it is (an id or alias already taken):
    409, naming `skill_id`."""

    def __init__(self, reason: str) -> None:
        super().__init__("skill_id", reason)


class Rename(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"new_id": "microsoft-power-bi", "new_name": "Microsoft Power BI"}]
        },
    )

    new_id: str = Field(
        max_length=64, pattern=KEBAB_CASE, description="The skill's new id.", examples=["k8s-ops"]
    )
    new_name: str | None = Field(
        default=None, min_length=1, max_length=100, description="New display name, if any."
    )


@dataclass(frozen=True)
class Curated:
    taxonomy: Taxonomy
    skill: Skill
    event: TaxonomyUpdated | None


def _announced(taxonomy: Taxonomy, skill_id: str, **change: object) -> Curated:
    skill = taxonomy.resolve(skill_id)
    event = TaxonomyUpdated.model_validate(
        {"taxonomy_id": taxonomy.taxonomy_id, "taxonomy_version": taxonomy.version, **change}
    )
    return Curated(taxonomy, skill, event)


def add_skill(taxonomy: Taxonomy, skill: Skill) -> Curated:
    """A new skill; its id and aliases must not name an existing skill."""
    if skill.deprecated:
        raise TaxonomyConflict(f"{skill.id}: a new skill cannot start deprecated")
    try:
        changed = taxonomy.add(skill)
    except ValueError as exc:
        raise TaxonomyConflict(str(exc)) from None
    return _announced(changed, skill.id, added=[skill.id], skills=[skill])


def rename_skill(taxonomy: Taxonomy, skill_id: str, rename: Rename) -> Curated:
    """The old id becomes an alias, so data recorded under it still resolves.

    Raises UnknownSkillError for a skill that does not exist."""
    old_id = taxonomy.resolve(skill_id).id
    try:
        changed = taxonomy.rename(old_id, rename.new_id, rename.new_name)
    except ValueError as exc:
        raise TaxonomyConflict(str(exc)) from None
    renamed = [SkillRename(old_id=old_id, new_id=rename.new_id)]
    return _announced(
        changed, rename.new_id, renamed=renamed, skills=[changed.resolve(rename.new_id)]
    )


def deprecate_skill(taxonomy: Taxonomy, skill_id: str) -> Curated:
    """No longer offered for new profiles; deprecating twice announces nothing."""
    skill = taxonomy.resolve(skill_id)
    changed = taxonomy.deprecate(skill.id)
    if changed.version == taxonomy.version:
        return Curated(taxonomy, skill, None)
    return _announced(changed, skill.id, deprecated=[skill.id])
