"""The end-of-match survey: one template for every program, versioned here in code
(template "end-of-match", VERSION), answered once by each of the match's two people
after the match has ended. end_survey.submitted carries the scores; the comments are
words (kept apart, written.py), seen by their author and the program's team only.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from mentornet_chassis.errors import Conflict
from mentornet_contracts.events.common import Role
from mentornet_contracts.events.outcomes import END_SURVEY_ID, EndSurveySubmitted
from pydantic import BaseModel, ConfigDict, Field

from . import outcomes
from .outcome_state import EndSurvey
from .state import Match

TEMPLATE_ID = END_SURVEY_ID
VERSION = 1
"""Raise it whenever QUESTIONS change; each survey keeps the version it answered."""
MAX_COMMENTS = 2000


class SurveyQuestion(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str
    text: str
    kind: Literal["scale", "yes_no", "text"]
    required: bool
    min: int | None = None
    max: int | None = None
    max_length: int | None = None


QUESTIONS: tuple[SurveyQuestion, ...] = (
    SurveyQuestion(
        id="satisfaction",
        text="How satisfied are you with this mentoring relationship?",
        kind="scale",
        required=True,
        min=1,
        max=5,
    ),
    SurveyQuestion(
        id="would_recommend",
        text="Would you recommend the program to a colleague?",
        kind="yes_no",
        required=True,
    ),
    SurveyQuestion(
        id="confidence_gained",
        text="How much confidence did you gain, from 1 (none) to 5 (a lot)?",
        kind="scale",
        required=True,
        min=1,
        max=5,
    ),
    SurveyQuestion(
        id="comments",
        text="Anything else? (seen by you and the program team only)",
        kind="text",
        required=False,
        max_length=MAX_COMMENTS,
    ),
)


class EndSurveyBody(BaseModel):
    """The body of POST /matches/{match_id}/end-survey (template VERSION)."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        json_schema_extra={
            "examples": [
                {
                    "satisfaction": 5,
                    "would_recommend": True,
                    "confidence_gained": 4,
                    "comments": "Someone outside my team to think out loud with made all the"
                    " difference before my first design review.",
                }
            ]
        },
    )

    satisfaction: int = Field(ge=1, le=5)
    would_recommend: bool
    confidence_gained: int = Field(ge=1, le=5)
    comments: str = Field(default="", max_length=MAX_COMMENTS)


def survey_of(match: Match, role: Role) -> EndSurvey | None:
    return outcomes.outcomes_of(match)["surveys"].get(role)


def bare(survey: EndSurvey) -> dict[str, object]:
    return {k: v for k, v in survey.items() if k != "text_id"}


def submit(
    match: Match, role: Role, body: EndSurveyBody, text_id: str | None, now: datetime
) -> tuple[Match, EndSurveySubmitted]:
    """`role`'s survey (`text_id`: its comments' words, if any)."""
    outcomes.ended_required(match, "the end-of-match survey")
    given = survey_of(match, role)
    if given is not None:
        raise Conflict("role", f"the {role}'s survey is in", current=bare(given))
    survey: EndSurvey = {
        "role": role,
        "participant_id": match["mentor_id"] if role == Role.MENTOR else match["mentee_id"],
        "template_id": TEMPLATE_ID,
        "template_version": VERSION,
        "satisfaction": body.satisfaction,
        "would_recommend": body.would_recommend,
        "confidence_gained": body.confidence_gained,
        "submitted_at": now.isoformat(),
    }
    if text_id is not None:
        survey["text_id"] = text_id
    found = outcomes.outcomes_of(match)
    event = EndSurveySubmitted(
        match_id=match["match_id"],
        mentee_id=match["mentee_id"],
        program_id=match["program_id"],
        role=role,
        template_id=TEMPLATE_ID,
        template_version=VERSION,
        satisfaction=body.satisfaction,
        would_recommend=body.would_recommend,
        confidence_gained=body.confidence_gained,
    )
    surveys = {**found["surveys"], str(role): survey}
    return outcomes.with_outcomes(match, {**found, "surveys": surveys}), event
