"""Templates and answers: every bad answer names its question."""

from __future__ import annotations

from typing import Any

import pytest
from mentornet_feedback.domain.templates import (
    DEFAULT,
    AnswerError,
    TemplateSpec,
    asked,
    check_answers,
    scores,
)
from pydantic import ValidationError

pytestmark = pytest.mark.unit

RUBRIC = {"relevance": 4, "clarity": 5, "specificity": 3, "accountability": 4, "confidence_gain": 2}


def test_good_answers_give_the_rubric_and_the_rating() -> None:
    checked = check_answers(
        DEFAULT,
        "mentee",
        {**RUBRIC, "rating": 4, "went_well": " Clear plan ", "next_focus": "a blocker"},
    )
    assert checked["went_well"] == "Clear plan"
    assert scores(DEFAULT, checked) == (RUBRIC, 4)


@pytest.mark.parametrize(
    ("answers", "field", "reason"),
    [
        ({"rating": 4}, "answers.relevance", "required"),
        ({**RUBRIC, "rating": 6}, "answers.rating", "1 to 5"),
        ({**RUBRIC, "rating": True}, "answers.rating", "1 to 5"),
        ({**RUBRIC, "rating": 3, "next_focus": "lunch"}, "answers.next_focus", "one of"),
        ({**RUBRIC, "rating": 3, "mood": "fine"}, "answers.mood", "not a question"),
        ({**RUBRIC, "rating": 3, "went_well": "x" * 4001}, "answers.went_well", "at most 4000"),
    ],
)
def test_an_answer_that_does_not_fit_names_the_question(
    answers: dict[str, Any], field: str, reason: str
) -> None:
    with pytest.raises(AnswerError) as caught:
        check_answers(DEFAULT, "mentee", answers)
    assert caught.value.field == field
    assert reason in caught.value.reason


def multiple_choice_template() -> TemplateSpec:
    return TemplateSpec.model_validate(
        {
            "questions": [
                {
                    "id": "relevance",
                    "kind": "rubric",
                    "dimension": "relevance",
                    "text": "Relevant?",
                },
                {"id": "topics", "kind": "multiple", "text": "Topics?", "options": ["a", "b", "c"]},
                {
                    "id": "mentor_only",
                    "kind": "text",
                    "text": "Notes",
                    "audience": "mentor",
                    "required": False,
                },
            ]
        }
    )


def test_multiple_choice_and_audience() -> None:
    spec = multiple_choice_template()
    assert check_answers(spec, "mentee", {"relevance": 3, "topics": ["c", "a", "c"]})["topics"] == [
        "a",
        "c",
    ]
    with pytest.raises(AnswerError, match=r"answers\.topics"):
        check_answers(spec, "mentee", {"relevance": 3, "topics": ["z"]})
    with pytest.raises(AnswerError, match=r"answers\.mentor_only"):
        check_answers(spec, "mentee", {"relevance": 3, "topics": ["a"], "mentor_only": "hi"})
    assert [q.id for q in asked(spec, "mentor")] == ["relevance", "topics", "mentor_only"]


@pytest.mark.parametrize(
    ("questions", "says"),
    [
        ([{"id": "r", "kind": "rating", "text": "?"}], "rubric question"),
        (
            [
                {"id": "a", "kind": "rubric", "dimension": "clarity", "text": "?"},
                {"id": "a", "kind": "rating", "text": "?"},
            ],
            "unique",
        ),
        (
            [{"id": "a", "kind": "rubric", "dimension": "clarity", "text": "?", "required": False}],
            "always required",
        ),
        (
            [
                {"id": "a", "kind": "rubric", "dimension": "clarity", "text": "?"},
                {"id": "b", "kind": "single", "text": "?", "options": ["x"]},
            ],
            "two different options",
        ),
    ],
)
def test_a_template_that_cannot_work_is_refused(questions: list[dict[str, Any]], says: str) -> None:
    with pytest.raises(ValidationError, match=says):
        TemplateSpec.model_validate({"questions": questions})
