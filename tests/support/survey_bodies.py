"""The largest valid survey template and the largest valid answers to the default one:
a template's validity (a rubric question for each side, distinct ids and options) and
an answer's (one per asked question, of its kind) are the survey's rules, not its
schema's."""

from __future__ import annotations

from typing import Any

from mentornet_contracts.budget import WORST_CHAR
from mentornet_contracts.events.common import RubricDimension
from mentornet_feedback.domain.templates import DEFAULT, MAX_TEXT, TemplateSpec, asked

QUESTIONS = 40
OPTIONS = 20


def _question_id(n: int) -> str:
    return f"q{n:02d}-".ljust(64, "x")


def largest_template() -> list[dict[str, Any]]:
    """Forty questions: a private rubric question for each dimension asked of both,
    then multiple-choice questions with twenty distinct options each, every text at its
    maximum in six-byte characters."""
    rubric = [
        {
            "id": _question_id(n),
            "kind": "rubric",
            "text": WORST_CHAR * 500,
            "dimension": str(d),
            "options": [],
            "required": True,
            "audience": "both",
            "visibility": "private",
        }
        for n, d in enumerate(RubricDimension)
    ]
    choices = [
        {
            "id": _question_id(n),
            "kind": "multiple",
            "text": WORST_CHAR * 500,
            "dimension": None,
            "options": [WORST_CHAR * 78 + f"{o:02d}" for o in range(OPTIONS)],
            "required": False,
            "audience": "mentee",
            "visibility": "private",
        }
        for n in range(len(rubric), QUESTIONS)
    ]
    questions: list[dict[str, Any]] = [*rubric, *choices]
    TemplateSpec.model_validate({"questions": questions})
    return questions


def largest_answers(role: str, template: TemplateSpec = DEFAULT) -> dict[str, Any]:
    """Every question the template asks `role`, answered at its largest."""
    answers: dict[str, Any] = {}
    for question in asked(template, role):
        if question.kind in ("rating", "rubric"):
            answers[question.id] = 5
        elif question.kind == "single":
            answers[question.id] = max(question.options, key=len)
        elif question.kind == "multiple":
            answers[question.id] = list(question.options)
        else:
            answers[question.id] = WORST_CHAR * MAX_TEXT
    return answers
