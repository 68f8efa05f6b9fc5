"""Survey templates, versioned per program, and checking answers against them.

A template is a list of questions: a rating (1-5), a single or multiple choice, free
text, or one of the session rubric's dimensions (1-5). Each is asked of the mentee,
the mentor or both, is required or not, and is `private` (seen by its author, the
program's coordinators and QA reviewers) or `shared` (the other party sees it too).
Rubric questions are always required, so every answer carries the scores the rest of
the system reads. Every program starts on the default template (version 1); a
coordinator's change makes the next version, and a request always names the version
it asks for.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated, Literal, Self

from mentornet_chassis.errors import Invalid
from mentornet_contracts.events.common import RubricDimension
from pydantic import BaseModel, ConfigDict, Field, StrictInt, StrictStr, model_validator

from .state import Answers, AnswerValue

TEMPLATE_ID = "post-session"
MAX_TEXT = 4000

Kind = Literal["rating", "single", "multiple", "text", "rubric"]
Option = Annotated[str, Field(min_length=1, max_length=80)]
MAX_QUESTIONS = 40
MAX_OPTIONS = 20
QuestionId = Annotated[str, Field(min_length=1, max_length=64)]
Answer = (
    StrictInt
    | Annotated[StrictStr, Field(max_length=MAX_TEXT)]
    | Annotated[list[Annotated[StrictStr, Field(max_length=80)]], Field(max_length=MAX_OPTIONS)]
    | None
)
"""One answer as it may arrive: a score, a text or a choice, or several choices;
`check_answers` then holds it to its question (its kind, options and range)."""
Audience = Literal["both", "mentee", "mentor"]
Visibility = Literal["private", "shared"]


class Question(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(min_length=1, max_length=64, pattern=r"^[a-z0-9_-]+$")
    kind: Kind
    text: str = Field(min_length=1, max_length=500)
    dimension: RubricDimension | None = Field(default=None, description="Rubric questions.")
    options: tuple[Option, ...] = Field(
        default=(), max_length=MAX_OPTIONS, description="Choice questions."
    )
    required: bool = True
    audience: Audience = "both"
    visibility: Visibility = "shared"

    @model_validator(mode="after")
    def _shape(self) -> Self:
        if (self.kind == "rubric") != (self.dimension is not None):
            raise ValueError("a rubric question, and only one, names its dimension")
        if self.kind == "rubric" and not self.required:
            raise ValueError("rubric questions are always required")
        choice = self.kind in ("single", "multiple")
        if choice and len(set(self.options)) < 2:
            raise ValueError("a choice question needs at least two different options")
        if not choice and self.options:
            raise ValueError(f"a {self.kind} question has no options")
        return self


class TemplateSpec(BaseModel):
    """The body of PUT /programs/{id}/survey-template."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        json_schema_extra={
            "examples": [
                {
                    "questions": [
                        {
                            "id": "rating",
                            "kind": "rating",
                            "text": "Overall, how useful was this session?",
                        },
                        {
                            "id": "relevance",
                            "kind": "rubric",
                            "dimension": "relevance",
                            "text": "Did the session work on what matters most right now?",
                        },
                        {
                            "id": "accountability",
                            "kind": "rubric",
                            "dimension": "accountability",
                            "text": "Did you agree on next steps, each with an owner?",
                        },
                        {
                            "id": "topics",
                            "kind": "multiple",
                            "text": "Which topics did you cover?",
                            "options": ["career growth", "technical skills", "leadership"],
                            "required": False,
                            "audience": "mentee",
                        },
                        {
                            "id": "private_note",
                            "kind": "text",
                            "text": "Anything for the program team only?",
                            "required": False,
                            "visibility": "private",
                        },
                    ]
                }
            ]
        },
    )

    questions: tuple[Question, ...] = Field(min_length=1, max_length=MAX_QUESTIONS)

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        ids = [q.id for q in self.questions]
        if len(set(ids)) != len(ids):
            raise ValueError("question ids must be unique")
        dims = [q.dimension for q in self.questions if q.dimension is not None]
        if len(set(dims)) != len(dims):
            raise ValueError("each rubric dimension may be asked once")
        for role in ("mentee", "mentor"):
            if not any(q.kind == "rubric" and q.audience in (role, "both") for q in self.questions):
                raise ValueError(f"the {role} must be asked at least one rubric question")
        return self


DEFAULT = TemplateSpec(
    questions=(
        Question(id="rating", kind="rating", text="Overall, how useful was this session?"),
        *(
            Question(
                id=str(d),
                kind="rubric",
                dimension=d,
                text=f"{str(d).replace('_', ' ').capitalize()}: how well did the session do?",
            )
            for d in RubricDimension
        ),
        Question(
            id="next_focus",
            kind="single",
            text="What should the next session focus on?",
            options=("same goal", "a new goal", "a blocker", "wrap up"),
            required=False,
        ),
        Question(
            id="went_well",
            kind="text",
            text="What went well? (shared with the other person)",
            required=False,
        ),
        Question(
            id="private_note",
            kind="text",
            text="Anything for the program team only?",
            required=False,
            visibility="private",
        ),
    )
)


class AnswerError(Invalid, ValueError):
    """An answer that does not fit its template; names the question (HTTP 422)."""

    def __str__(self) -> str:
        return f"{self.field}: {self.reason}"


def asked(template: TemplateSpec, role: str) -> list[Question]:
    return [q for q in template.questions if q.audience in (role, "both")]


def check_answers(template: TemplateSpec, role: str, answers: Mapping[str, object]) -> Answers:
    """The answers, normalised, or AnswerError naming the first question that is wrong."""
    questions = {q.id: q for q in asked(template, role)}
    for qid in answers:
        if qid not in questions:
            raise AnswerError(f"answers.{qid}", f"not a question this template asks the {role}")
    checked: Answers = {}
    for qid, question in questions.items():
        value = answers.get(qid)
        if isinstance(value, str):
            value = value.strip()
        if value is None or value == "" or value == []:
            if question.required:
                raise AnswerError(f"answers.{qid}", "required")
            continue
        checked[qid] = _checked(question, value, f"answers.{qid}")
    return checked


def _checked(question: Question, value: object, field: str) -> AnswerValue:
    if question.kind in ("rating", "rubric"):
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
            raise AnswerError(field, "a whole number from 1 to 5")
        return value
    if question.kind == "single":
        if value not in question.options:
            raise AnswerError(field, f"one of: {', '.join(question.options)}")
        return str(value)
    if question.kind == "multiple":
        if (
            not isinstance(value, list)
            or not value
            or any(v not in question.options for v in value)
        ):
            raise AnswerError(field, f"a list of some of: {', '.join(question.options)}")
        return sorted(set(value), key=question.options.index)
    if not isinstance(value, str) or len(value) > MAX_TEXT:
        raise AnswerError(field, f"text of at most {MAX_TEXT} characters")
    return value.strip()


def scores(template: TemplateSpec, answers: Answers) -> tuple[dict[str, int], int | None]:
    """Rubric scores by dimension and the overall rating: what may leave the service."""
    rubric = {
        str(q.dimension): _score(answers[q.id])
        for q in template.questions
        if q.kind == "rubric" and q.id in answers
    }
    rating = next(
        (
            _score(answers[q.id])
            for q in template.questions
            if q.kind == "rating" and q.id in answers
        ),
        None,
    )
    return rubric, rating


def _score(answer: AnswerValue) -> int:
    """A checked rating or rubric answer: a whole number."""
    if isinstance(answer, list):
        raise TypeError(f"a score, not {answer!r}")
    return int(answer)


@dataclass(frozen=True)
class Private:
    """What of a template's answers only the author and the program team may read."""

    ids: frozenset[str] = frozenset()
    dimensions: frozenset[str] = frozenset()
    rating: bool = False


def private_parts(template: TemplateSpec) -> Private:
    hidden = [q for q in template.questions if q.visibility == "private"]
    first_rating = next((q for q in template.questions if q.kind == "rating"), None)
    return Private(
        ids=frozenset(q.id for q in hidden),
        dimensions=frozenset(str(q.dimension) for q in hidden if q.dimension is not None),
        rating=first_rating is not None and first_rating.visibility == "private",
    )
