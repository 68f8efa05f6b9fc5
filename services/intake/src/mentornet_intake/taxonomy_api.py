"""The skill taxonomy over HTTP: anyone signed in reads it; coordinators curate it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from fastapi import APIRouter, Query
from mentornet_chassis.errors import Conflict, NotFound
from mentornet_chassis.http.guard import guarded_router
from mentornet_chassis.http.policy import Grant, allow

from .domain.curation import (
    Curated,
    Rename,
    TaxonomyConflict,
    add_skill,
    deprecate_skill,
    rename_skill,
)
from .domain.skills import Cluster, Skill, UnknownSkillError
from .domain.taxonomy import Taxonomy
from .taxonomies import TaxonomyStore


@contextmanager
def curation_errors() -> Iterator[None]:
    try:
        yield
    except UnknownSkillError as exc:
        raise NotFound("skill_id", str(exc)) from None
    except TaxonomyConflict as exc:
        raise Conflict("skill_id", str(exc)) from None


def _answer(curated: Curated) -> dict[str, Any]:
    return {
        "taxonomy_id": curated.taxonomy.taxonomy_id,
        "version": curated.taxonomy.version,
        "changed": curated.event is not None,
        "skill": curated.skill.model_dump(mode="json"),
    }


def _listing(
    taxonomy: Taxonomy, cluster: Cluster | None, include_deprecated: bool
) -> dict[str, Any]:
    skills = [
        skill.model_dump(mode="json")
        for skill in taxonomy.skills
        if (include_deprecated or not skill.deprecated) and cluster in (None, skill.cluster)
    ]
    return {"taxonomy_id": taxonomy.taxonomy_id, "version": taxonomy.version, "skills": skills}


def create_router(taxonomies: TaxonomyStore) -> APIRouter:
    router = guarded_router(prefix="/taxonomy", tags=["skill taxonomy"])
    read = allow("taxonomy.read", Grant.SIGNED_IN)

    async def curate(step: Callable[[Taxonomy], Curated]) -> dict[str, Any]:
        with curation_errors():
            return _answer(await taxonomies.curate(step))

    @router.get("", **read)
    async def listing(
        cluster: Cluster | None = None,
        include_deprecated: bool = Query(default=False, description="Also deprecated skills."),
    ) -> dict[str, Any]:
        return _listing(await taxonomies.current(), cluster, include_deprecated)

    @router.get("/skills/{skill_id}", **read)
    async def lookup(skill_id: str) -> dict[str, Any]:
        """A skill by id or alias, in any case; an unknown one gets suggestions."""
        with curation_errors():
            return (await taxonomies.current()).resolve(skill_id).model_dump(mode="json")

    @router.post("/skills", status_code=201, **allow("taxonomy.add", Grant.TAXONOMY_CURATOR))
    async def add(skill: Skill) -> dict[str, Any]:
        return await curate(lambda taxonomy: add_skill(taxonomy, skill))

    @router.post("/skills/{skill_id}/rename", **allow("taxonomy.rename", Grant.TAXONOMY_CURATOR))
    async def rename(skill_id: str, body: Rename) -> dict[str, Any]:
        """Every program's people keep the skill under its new id (the taxonomy is the
        network's, so only a taxonomy curator changes it)."""
        return await curate(lambda taxonomy: rename_skill(taxonomy, skill_id, body))

    @router.post(
        "/skills/{skill_id}/deprecate", **allow("taxonomy.deprecate", Grant.TAXONOMY_CURATOR)
    )
    async def deprecate(skill_id: str) -> dict[str, Any]:
        return await curate(lambda taxonomy: deprecate_skill(taxonomy, skill_id))

    return router
