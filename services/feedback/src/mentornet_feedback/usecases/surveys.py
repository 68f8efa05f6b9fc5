"""Survey requests: a participant's, one with its questions, answering one (the
answers are kept apart from the match: saving.py)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import cast

from mentornet_chassis.errors import Invalid
from mentornet_contracts import Event

from ..domain import requests, risk, templates, written
from ..domain.state import Match, Request
from ..domain.templates import Question
from ..domain.visibility import Viewer
from .common import Parts
from .saving import Words, request_words, save_with_words


class Listed(Request):
    """A request in a participant's list: without its answers, with its match."""

    match_id: str
    program_id: str


class Asked(Request):
    """One request with the questions it asks and, once answered, the answers."""

    match_id: str
    questions: list[Question]


@dataclass(frozen=True)
class Surveys:
    parts: Parts

    async def requests_of(self, participant_id: str, status: str, viewer: Viewer) -> list[Listed]:
        """The person's requests in `status` ("all": any) in the matches the viewer may
        see, oldest due first."""
        found: list[Listed] = [
            {
                **cast(Request, written.bare(r)),
                "match_id": m["match_id"],
                "program_id": m["program_id"],
            }
            for m in await self.parts.stores.matches_of(participant_id)
            if viewer.is_self(participant_id) or viewer.oversees(m["program_id"])
            for r in m["requests"].values()
            if r["participant_id"] == participant_id and status in ("all", r["status"])
        ]
        return sorted(found, key=lambda r: r["due_at"])

    async def request(self, request_id: str) -> Asked:
        request, match = await self.parts.request_and_match(request_id)
        _, spec = await self.parts.template(match["program_id"], request["template_version"])
        texts = await self.parts.stores.texts.get_many(written.named(request))
        shown = written.with_answers(request, texts)
        questions = templates.asked(spec, request["role"])
        return {**shown, "match_id": match["match_id"], "questions": questions}

    async def answer(
        self, request_id: str, template_version: int, answers: Mapping[str, object]
    ) -> Request:
        """Answers checked against the template version asked for; editable for a while
        after the first answer, then locked (409). Only the person asked answers."""
        request, match = await self.parts.request_and_match(request_id)
        asked = str(request["participant_id"])
        if template_version != request["template_version"]:
            raise Invalid(
                "template_version",
                f"this request asks for version {request['template_version']}",
            )
        _, spec = await self.parts.template(match["program_id"], request["template_version"])
        threshold = risk.threshold_of(await self.parts.stores.program(match["program_id"]))
        now, windows = self.parts.clock(), self.parts.windows
        checked = templates.check_answers(spec, request["role"], answers)
        scores = templates.scores(spec, checked)

        def submit(state: Match) -> tuple[Match, Sequence[Event]]:
            answered, event = requests.submit(
                state, request_id, asked, checked, scores, now, windows
            )
            flagged, risks = risk.rubric_check(answered, threshold, request["session_id"])
            return flagged, [event, *risks]

        text_id = requests.answers_id(request_id, checked)
        words = Words(text_id, asked, checked)
        state = await save_with_words(self.parts, match, words, submit, request_words(request_id))
        return written.with_answers(state["requests"][request_id], {text_id: checked})
