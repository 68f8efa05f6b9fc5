"""Pairs that meet by written check-ins need no shared live time: in an async program,
or when async is the only format both people accept, a pair with no shared hour is
still a candidate (and its availability signal is full); a live pair is not."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from mentornet_matcher.domain.explain import explain, why_not
from mentornet_matcher.domain.scoring import PoolScores
from mentornet_matcher.domain.waitlist import reasons

from .builders import RULES, availability, mentee, mentor, pool

pytestmark = pytest.mark.unit

NINE_TO_TEN = [
    {"weekday": day, "start": "09:00", "end": "10:00"} for day in ("mon", "tue", "wed", "thu")
]
ASYNC_PROGRAM = dataclasses.replace(RULES, session_format="async")


def tokyo_and_new_york(
    mentee_formats: list[str] | None = None, mentor_formats: list[str] | None = None
) -> tuple[object, ...]:
    tokyo = mentee(
        "tokyo",
        ("python", 4),
        availability=availability("Asia/Tokyo", NINE_TO_TEN),
        **({"formats": mentee_formats} if mentee_formats is not None else {}),
    )
    new_york = mentor(
        "new-york",
        ("python", 5),
        availability=availability("America/New_York", NINE_TO_TEN),
        **({"formats": mentor_formats} if mentor_formats is not None else {}),
    )
    return tokyo, new_york


def test_an_async_program_pairs_tokyo_and_new_york_mornings() -> None:
    tokyo, new_york = tokyo_and_new_york()
    p = pool([tokyo], [new_york], rules=ASYNC_PROGRAM)  # type: ignore[list-item]
    scores = PoolScores(p)
    block = scores.block(0, 1)
    assert block.overlap_hours[0, 0] == 0.0
    assert block.feasible[0, 0]
    assert not block.live[0, 0]
    assert block.signals["availability"][0, 0] == 1.0
    assert np.isfinite(scores.rows(0, 1)[0, 0])
    assert why_not(scores, 0, 0).startswith("Eligible")
    texts = {c.signal: c.text for c in explain(scores, 0, 0).contributions}
    assert texts["availability"] == "Meets by written check-ins: no shared live time needed"


def test_the_same_pair_in_a_live_program_is_ruled_out_for_time() -> None:
    tokyo, new_york = tokyo_and_new_york()
    p = pool([tokyo], [new_york])  # type: ignore[list-item]
    scores = PoolScores(p)
    assert scores.block(0, 1).live[0, 0]
    assert scores.rows(0, 1)[0, 0] == -np.inf
    assert why_not(scores, 0, 0).startswith("Only 0 h a week of shared availability")
    assert [str(r) for r in reasons(p, scores, 0)] == ["no_availability_overlap"]


@pytest.mark.parametrize(
    ("mentee_formats", "mentor_formats", "feasible"),
    [
        (["async", "chat"], ["async", "video"], True),  # async is all both accept
        (["async"], [], True),  # a mentor listing none accepts any
        (["async", "video"], ["async", "video"], False),  # they could meet live
        (["video"], ["video"], False),
    ],
)
def test_a_pair_whose_only_shared_format_is_async_needs_no_shared_time(
    mentee_formats: list[str], mentor_formats: list[str], feasible: bool
) -> None:
    tokyo, new_york = tokyo_and_new_york(mentee_formats, mentor_formats)
    p = pool([tokyo], [new_york])  # type: ignore[list-item]
    assert bool(PoolScores(p).block(0, 1).feasible[0, 0]) is feasible
