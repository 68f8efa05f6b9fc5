"""The format a confirmed match meets in: async for async programs, or when async is
the only format both people accept; live (None) otherwise."""

from __future__ import annotations

import pytest
from mentornet_contracts.events.common import SessionFormat
from mentornet_contracts.events.matches import Decider
from mentornet_matcher.domain import matches
from mentornet_matcher.domain.formats import match_format

from .test_pauses import confirmed

pytestmark = pytest.mark.unit

ASYNC = SessionFormat.ASYNC


@pytest.mark.parametrize(
    ("program", "mentee", "mentor", "expected"),
    [
        ("async", ["video"], ["video", "chat"], ASYNC),  # the program's format decides
        (None, ["async"], ["async", "video"], ASYNC),  # the only format both accept
        (None, ["async", "chat"], ["async"], ASYNC),
        (None, [], ["async"], ASYNC),  # no formats listed: any
        (None, ["async", "video"], ["async", "video"], None),
        (None, ["video"], ["chat"], None),
        (None, [], [], None),
        ("video", ["async"], ["async"], ASYNC),
        ("video", ["video"], ["video"], None),
    ],
)
def test_match_format(
    program: str | None, mentee: list[str], mentor: list[str], expected: SessionFormat | None
) -> None:
    assert match_format(program, mentee, mentor) == expected


def test_match_confirmed_carries_the_format() -> None:
    proposed = confirmed(status="proposed")
    state, _, event = matches.accept(proposed, Decider.MENTOR, ASYNC)
    assert event.format == ASYNC
    assert state["format"] == "async"
    live, _, plain = matches.accept(proposed, Decider.MENTOR)
    assert plain.format is None
    assert "format" not in live
