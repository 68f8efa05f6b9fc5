"""Property: the matcher's shared minutes (elementary segments over a pool) equal the
contracts' timewindows.shared_minutes for every pair, for zones with quarter- and
half-hour offsets and daylight saving in both hemispheres, any-minute windows, dated
exceptions and spans of any program length across the clock changes."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st
from mentornet_contracts.events.common import Availability
from mentornet_contracts.timewindows import WEEKDAYS, shared_minutes
from mentornet_matcher.domain.pool import build_pool
from mentornet_matcher.domain.rules import MentorLoad
from mentornet_matcher.domain.scoring import PoolScores
from mentornet_matcher.domain.skillmap import SkillMap

from .builders import RULES, mentee, mentor

pytestmark = pytest.mark.unit

ZONES = (
    "Asia/Kathmandu",  # +05:45
    "Australia/Eucla",  # +08:45
    "America/St_Johns",  # -03:30, with DST
    "Pacific/Chatham",  # +13:45, with DST
    "Australia/Lord_Howe",  # a half-hour DST shift
    "Asia/Kolkata",  # +05:30
    "Europe/Berlin",
    "America/New_York",
    "America/Santiago",
    "Australia/Sydney",
    "UTC",
)
SKILLS = SkillMap.default()


@st.composite
def windows(draw: st.DrawFn) -> dict[str, str]:
    start = draw(st.integers(0, 24 * 60 - 1))
    end = draw(st.integers(start + 1, min(24 * 60, start + 8 * 60)))
    return {
        "weekday": draw(st.sampled_from(WEEKDAYS)),
        "start": f"{start // 60:02d}:{start % 60:02d}",
        "end": f"{end // 60:02d}:{end % 60:02d}",
    }


@st.composite
def availabilities(draw: st.DrawFn, first: date) -> dict[str, Any]:
    leave = []
    if draw(st.booleans()):
        begin = first + timedelta(days=draw(st.integers(-3, 60)))
        leave = [
            {
                "start_date": begin.isoformat(),
                "end_date": (begin + timedelta(days=draw(st.integers(0, 10)))).isoformat(),
            }
        ]
    return {
        "timezone": draw(st.sampled_from(ZONES)),
        "weekly": draw(st.lists(windows(), min_size=0, max_size=4)),
        "exceptions": leave,
    }


@st.composite
def pools(draw: st.DrawFn) -> tuple[datetime, int, list[dict[str, Any]], list[dict[str, Any]]]:
    first = date(2026, 1, 1) + timedelta(days=draw(st.integers(0, 730)))
    weeks = draw(st.integers(1, 30))
    people = st.lists(availabilities(first), min_size=1, max_size=3)
    start = datetime.combine(first, time(), tzinfo=UTC)
    return start, weeks, draw(people), draw(people)


@seed(18)
@settings(
    max_examples=100,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(pools())
def test_pairwise_shared_minutes_equal_timewindows(
    drawn: tuple[datetime, int, list[dict[str, Any]], list[dict[str, Any]]],
) -> None:
    start, weeks, mentee_times, mentor_times = drawn
    mentees = [mentee(f"e{i}", availability=a) for i, a in enumerate(mentee_times)]
    mentors = [mentor(f"m{j}", availability=a) for j, a in enumerate(mentor_times)]
    rules = RULES.__class__(**{**RULES.__dict__, "span_weeks": weeks})
    pool = build_pool(mentees, mentors, [MentorLoad()] * len(mentors), rules, SKILLS, start)
    scores = PoolScores(pool)
    got = scores.overlap.minutes(slice(0, len(mentees)))
    end = start + timedelta(weeks=weeks)
    for i, a in enumerate(mentee_times):
        for j, b in enumerate(mentor_times):
            expected = shared_minutes(
                Availability.model_validate(a), Availability.model_validate(b), start, end
            )
            assert got[i, j] == expected
            hours = scores.block(i, i + 1).overlap_hours[0, j]
            assert hours == pytest.approx(expected / 60 / weeks, rel=1e-6, abs=1e-9)
