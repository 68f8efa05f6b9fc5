"""Program health's matching figures: matches running now, and those that ran their
course (ended as completed) apart from those ended for any other reason."""

from __future__ import annotations

from typing import cast

import pytest
from mentornet_qa.domain import health
from mentornet_qa.domain.documents import Match

pytestmark = pytest.mark.unit


def match(match_id: str, status: str, end_reason: str | None = None) -> Match:
    """Only the keys the matching figures read."""
    return cast(
        Match,
        {
            "match_id": match_id,
            "mentee_id": f"e-{match_id}",
            "status": status,
            "confirmed_at": "2027-01-05T10:00:00+00:00",
            "end_reason": end_reason,
        },
    )


def test_completed_matches_are_counted_apart_from_active_and_other_ends() -> None:
    matches = [
        match("m1", "confirmed"),
        match("m2", "ended", "completed"),
        match("m3", "ended", "completed"),
        match("m4", "ended", "rematched"),
    ]
    figures = health.matching(matches, [], "prog-1")
    assert figures["active_matches"] == 1
    assert figures["completed_matches"] == 2
