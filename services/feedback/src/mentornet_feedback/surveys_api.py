"""Surveys over HTTP: a program's template (versioned), a participant's requests,
answering one (the answers are kept apart from the match: writing.py), a match's
feedback as the caller may see it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, Literal

from fastapi import APIRouter, Depends, Query
from mentornet_chassis.errors import Conflict, Invalid, NotFound
from mentornet_chassis.http.auth import Principal
from mentornet_chassis.http.guard import caller, guarded_router
from mentornet_chassis.http.policy import Grant, allow
from mentornet_chassis.store.aggregates import State, VersionConflict
from pydantic import BaseModel, ConfigDict, Field

from . import access, writing
from .api_errors import refusals
from .domain import requests, risk, templates, visibility, written
from .domain.requests import Windows
from .store import FeedbackStores


class Answers(BaseModel):
    model_config = ConfigDict(extra="forbid")

    template_version: int = Field(
        ge=1, le=1_000_000, description="The version the request asked for."
    )
    answers: dict[templates.QuestionId, templates.Answer] = Field(
        max_length=templates.MAX_QUESTIONS, description="Question id to answer."
    )


def create_router(
    stores: FeedbackStores,
    clock: Callable[[], datetime],
    windows: Windows,
    wake_relay: Callable[[], None],
) -> APIRouter:
    router = guarded_router(tags=["surveys"])

    async def versioned(program_id: str, version: int | None) -> tuple[int, templates.TemplateSpec]:
        try:
            return await stores.template(program_id, version)
        except LookupError:
            raise NotFound(
                "version", f"program {program_id} has no template version {version}"
            ) from None

    @router.get(
        "/programs/{program_id}/survey-template", **allow("surveys.template", Grant.SIGNED_IN)
    )
    async def template(
        program_id: str,
        version: int | None = Query(default=None, ge=1, description="Default: the current one."),
    ) -> dict[str, Any]:
        """The questions asked: not secret, readable by anyone signed in."""
        number, spec = await versioned(program_id, version)
        return {
            "program_id": program_id,
            "template_id": templates.TEMPLATE_ID,
            "version": number,
            **spec.model_dump(mode="json"),
        }

    @router.put(
        "/programs/{program_id}/survey-template",
        **allow("surveys.set_template", *access.TEAM, on="program"),
    )
    async def replace(program_id: str, spec: templates.TemplateSpec) -> dict[str, Any]:
        """A new version of the program's survey; requests already sent keep theirs."""
        if await stores.programs.get_state(program_id) is None:
            raise NotFound("program_id", f"no published program {program_id}")
        try:
            number = await stores.versions.add(program_id, spec)
        except VersionConflict:
            raise Conflict("version", "the template is being changed: try again") from None
        return {"program_id": program_id, "version": number, **spec.model_dump(mode="json")}

    @router.get(
        "/participants/{participant_id}/feedback-requests",
        **allow(
            "surveys.requests_of_person",
            Grant.SELF,
            *access.QA_TEAM,
            on="participant",
            hide=True,
        ),
    )
    async def of_participant(
        participant_id: str,
        status: Literal["open", "answered", "closed", "all"] = Query(default="open"),
        principal: Principal = Depends(caller),
    ) -> dict[str, Any]:
        found = [
            written.bare(r) | {"match_id": m["match_id"], "program_id": m["program_id"]}
            for m in await stores.matches_of(participant_id)
            if principal.is_self(participant_id) or access.overseer(principal, m["program_id"])
            for r in m["requests"].values()
            if r["participant_id"] == participant_id and status in ("all", r["status"])
        ]
        return {
            "participant_id": participant_id,
            "requests": sorted(found, key=lambda r: r["due_at"]),
        }

    async def request_and_match(request_id: str) -> tuple[dict[str, Any], State]:
        match = await stores.match_of("request", request_id)
        if match is None or request_id not in match["requests"]:
            raise NotFound("request_id", f"no feedback request {request_id}")
        return match["requests"][request_id], match

    @router.get(
        "/feedback-requests/{request_id}",
        **allow("surveys.request", Grant.SELF, *access.QA_TEAM, on="request"),
    )
    async def one(request_id: str) -> dict[str, Any]:
        """The request, its questions for the person asked and, once answered, the answers."""
        request, match = await request_and_match(request_id)
        _, spec = await versioned(match["program_id"], request["template_version"])
        questions = [q.model_dump(mode="json") for q in templates.asked(spec, request["role"])]
        shown = written.with_answers(request, await stores.texts.get_many(written.named(request)))
        return {**shown, "match_id": match["match_id"], "questions": questions}

    @router.post(
        "/feedback-requests/{request_id}/answers",
        **allow("surveys.answer", Grant.SELF, on="request"),
    )
    async def answer(
        request_id: str, body: Answers, principal: Principal = Depends(caller)
    ) -> dict[str, Any]:
        """Answers checked against the template version asked for; editable for a while
        after the first answer, then locked (409). Only the person asked answers."""
        request, match = await request_and_match(request_id)
        asked = str(request["participant_id"])
        if body.template_version != request["template_version"]:
            raise Invalid(
                "template_version",
                f"this request asks for version {request['template_version']}",
            )
        _, spec = await versioned(match["program_id"], request["template_version"])
        program = await stores.programs.get_state(match["program_id"]) or {}
        threshold = (program.get("escalation") or {}).get("low_rubric_average")
        now = clock()
        with refusals():
            checked = templates.check_answers(spec, request["role"], body.answers)
            scores = templates.scores(spec, checked)

            def submit(state: State) -> tuple[State, list[Any]]:
                answered, event = requests.submit(
                    state, request_id, asked, checked, scores, now, windows
                )
                flagged, risks = risk.rubric_check(answered, threshold, request["session_id"])
                return flagged, [event, *risks]

            text_id = requests.answers_id(request_id, checked)
            words = writing.Words(text_id, asked, checked)
            state = await writing.save_with_words(
                stores, match, words, submit, writing.part("requests", request_id)
            )
        wake_relay()
        return written.with_answers(state["requests"][request_id], {text_id: checked})

    @router.get(
        "/matches/{match_id}/feedback",
        **allow("feedback.of_match", *access.PAIR, *access.QA_TEAM, on="match"),
    )
    async def of_match(match_id: str, principal: Principal = Depends(caller)) -> dict[str, Any]:
        match = await stores.matches.get_state(match_id)
        if match is None:
            raise NotFound("match_id", f"no match {match_id} here")
        reader = access.reader(principal, match)
        return visibility.match_view(
            await stores.joined(match),
            reader,
            access.reading_as(principal, match),
            await stores.private_of(match),
        )

    return router
