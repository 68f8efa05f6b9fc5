"""A program's survey template over HTTP: read any version, save a new one."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query
from mentornet_chassis.http.guard import guarded_router
from mentornet_chassis.http.policy import TEAM, Grant, allow
from mentornet_chassis.http.provided import provided

from ..domain.templates import TEMPLATE_ID, TemplateSpec
from ..usecases.templates import Templates
from .views import SavedTemplate, TemplateView

router = guarded_router(tags=["surveys"])
Desk = Annotated[Templates, Depends(provided(Templates))]


@router.get(
    "/programs/{program_id}/survey-template",
    response_model=TemplateView,
    **allow("surveys.template", Grant.SIGNED_IN),
)
async def template(
    program_id: str,
    templates: Desk,
    version: int | None = Query(default=None, ge=1, description="Default: the current one."),
) -> TemplateView:
    """The questions asked: not secret, readable by anyone signed in."""
    number, spec = await templates.version(program_id, version)
    return TemplateView(
        program_id=program_id, template_id=TEMPLATE_ID, version=number, questions=spec.questions
    )


@router.put(
    "/programs/{program_id}/survey-template",
    response_model=SavedTemplate,
    **allow("surveys.set_template", *TEAM, on="program"),
)
async def replace(program_id: str, spec: TemplateSpec, templates: Desk) -> SavedTemplate:
    """A new version of the program's survey; requests already sent keep theirs."""
    number = await templates.replace(program_id, spec)
    return SavedTemplate(program_id=program_id, version=number, questions=spec.questions)
