"""The skill taxonomy's published shape, and the default taxonomy every service starts from.

Intake curates the taxonomy; other services learn of changes from taxonomy.updated
(which carries the definitions of added and renamed skills). Both start from the same
shipped default, read from here.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

Cluster = Literal["technical", "soft_skill", "leadership"]
Tier = Literal["foundational", "professional", "expert"]
KEBAB_CASE = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
Alias = Annotated[str, Field(min_length=1, max_length=64)]
MAX_ALIASES = 20


class Skill(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(
        max_length=64, pattern=KEBAB_CASE, description="Skill id.", examples=["kubernetes"]
    )
    name: str = Field(
        min_length=1, max_length=100, description="Display name.", examples=["Kubernetes"]
    )
    cluster: Cluster = Field(description="Top-level cluster.", examples=["technical"])
    category: str = Field(
        max_length=64, pattern=KEBAB_CASE, description="Finer grouping.", examples=["platform"]
    )
    tier: Tier = Field(description="How advanced the skill is.", examples=["professional"])
    aliases: tuple[Alias, ...] = Field(
        default=(),
        max_length=MAX_ALIASES,
        description="Other names it is found by.",
        examples=[["k8s"]],
    )
    deprecated: bool = Field(
        default=False, description="No longer offered for new profiles.", examples=[False]
    )

    @field_validator("aliases")
    @classmethod
    def _lower_case(cls, aliases: tuple[str, ...]) -> tuple[str, ...]:
        cleaned = tuple(alias.strip().lower() for alias in aliases)
        if not all(cleaned):
            raise ValueError("aliases cannot be blank")
        return cleaned


class TaxonomyDocument(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    taxonomy_id: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.:-]+$")
    version: int = Field(ge=1)
    skills: tuple[Skill, ...]


def default_taxonomy_text() -> str:
    return (files("mentornet_contracts") / "data" / "taxonomy.json").read_text(encoding="utf-8")


@cache
def default_taxonomy() -> TaxonomyDocument:
    return TaxonomyDocument.model_validate_json(default_taxonomy_text())
