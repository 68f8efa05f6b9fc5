"""The skill taxonomy over HTTP: anyone signed in reads it; coordinators curate it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from typing import Any

from fastapi import APIRouter, Depends, Query, Request
from mentornet_chassis.auth import Principal, Role, requiring
from mentornet_chassis.http import conflict, not_found

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

Current = Callable[[Request], Awaitable[Principal]]


@contextmanager
def curation_errors() -> Iterator[None]:
    try:
        yield
    except UnknownSkillError as exc:
        raise not_found("skill_id", str(exc)) from None
    except TaxonomyConflict as exc:
        raise conflict("skill_id", str(exc)) from None


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


def create_router(taxonomies: TaxonomyStore, current: Current) -> APIRouter:
    router = APIRouter(prefix="/taxonomy", tags=["skill taxonomy"])
    coordinator = requiring(current, Role.COORDINATOR)

    async def curate(
        request: Request, principal: Principal, step: Callable[[Taxonomy], Curated]
    ) -> dict[str, Any]:
        with curation_errors():
            return _answer(await taxonomies.curate(step))

    @router.get("")
    async def listing(
        cluster: Cluster | None = None,
        include_deprecated: bool = Query(default=False, description="Also deprecated skills."),
        _: Principal = Depends(current),
    ) -> dict[str, Any]:
        return _listing(await taxonomies.current(), cluster, include_deprecated)

    @router.get("/skills/{skill_id}")
    async def lookup(skill_id: str, _: Principal = Depends(current)) -> dict[str, Any]:
        """A skill by id or alias, in any case; an unknown one gets suggestions."""
        with curation_errors():
            return (await taxonomies.current()).resolve(skill_id).model_dump(mode="json")

    @router.post("/skills", status_code=201)
    async def add(
        skill: Skill, request: Request, principal: Principal = coordinator
    ) -> dict[str, Any]:
        return await curate(request, principal, lambda taxonomy: add_skill(taxonomy, skill))

    @router.post("/skills/{skill_id}/rename")
    async def rename(
        skill_id: str, body: Rename, request: Request, principal: Principal = coordinator
    ) -> dict[str, Any]:
        return await curate(
            request, principal, lambda taxonomy: rename_skill(taxonomy, skill_id, body)
        )

    @router.post("/skills/{skill_id}/deprecate")
    async def deprecate(
        skill_id: str, request: Request, principal: Principal = coordinator
    ) -> dict[str, Any]:
        return await curate(
            request, principal, lambda taxonomy: deprecate_skill(taxonomy, skill_id)
        )

    return router
