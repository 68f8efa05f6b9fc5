"""The skill taxonomy over HTTP: anyone signed in reads it; taxonomy curators curate it."""

from __future__ import annotations

from typing import Annotated

from fastapi import Body, Query
from mentornet_chassis.http.guard import guarded_router
from mentornet_chassis.http.policy import Grant, allow

from ..domain.curation import Curated, Rename
from ..domain.skills import Cluster, Skill
from .parts import Taxonomy
from .views import CurationAnswer, SkillListing

router = guarded_router(prefix="/taxonomy", tags=["skill taxonomy"])
READ = allow("taxonomy.read", Grant.SIGNED_IN)
IncludeDeprecated = Annotated[bool, Query(description="Also deprecated skills.")]
NewSkill = Annotated[
    Skill,
    Body(
        openapi_examples={
            "platform-engineering": {
                "summary": "A skill the default taxonomy lacks",
                "value": {
                    "id": "platform-engineering",
                    "name": "Platform engineering",
                    "cluster": "technical",
                    "category": "devops",
                    "tier": "professional",
                    "aliases": ["internal developer platforms", "platform eng"],
                },
            }
        }
    ),
]
"""Skill is also the shape taxonomy.updated carries, so its example is the route's."""


def _answer(curated: Curated) -> CurationAnswer:
    return CurationAnswer(
        taxonomy_id=curated.taxonomy.taxonomy_id,
        version=curated.taxonomy.version,
        changed=curated.event is not None,
        skill=curated.skill,
    )


@router.get("", **READ)
async def listing(
    curation: Taxonomy,
    cluster: Cluster | None = None,
    include_deprecated: IncludeDeprecated = False,
) -> SkillListing:
    taxonomy, skills = await curation.listing(cluster, include_deprecated)
    return SkillListing(taxonomy_id=taxonomy.taxonomy_id, version=taxonomy.version, skills=skills)


@router.get("/skills/{skill_id}", **READ)
async def lookup(skill_id: str, curation: Taxonomy) -> Skill:
    """A skill by id or alias, in any case; an unknown one gets suggestions."""
    return await curation.lookup(skill_id)


@router.post("/skills", status_code=201, **allow("taxonomy.add", Grant.TAXONOMY_CURATOR))
async def add(skill: NewSkill, curation: Taxonomy) -> CurationAnswer:
    return _answer(await curation.add(skill))


@router.post("/skills/{skill_id}/rename", **allow("taxonomy.rename", Grant.TAXONOMY_CURATOR))
async def rename(skill_id: str, body: Rename, curation: Taxonomy) -> CurationAnswer:
    """Every program's people keep the skill under its new id (the taxonomy is the
    network's, so only a taxonomy curator changes it)."""
    return _answer(await curation.rename(skill_id, body))


@router.post("/skills/{skill_id}/deprecate", **allow("taxonomy.deprecate", Grant.TAXONOMY_CURATOR))
async def deprecate(skill_id: str, curation: Taxonomy) -> CurationAnswer:
    return _answer(await curation.deprecate(skill_id))
