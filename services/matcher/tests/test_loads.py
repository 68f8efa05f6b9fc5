"""A mentor's load: holds by count and by monthly hours, cohorts counted once."""

from __future__ import annotations

import pytest
from mentornet_matcher.domain.loads import NoCapacity, load_in, release, reserve
from mentornet_matcher.domain.rules import MentorLoad, Rules

pytestmark = pytest.mark.unit


def rules(**changes: object) -> Rules:
    base: dict[str, object] = {
        "weights": {"skills": 1.0},
        "session_hours": 1.0,
        "sessions_per_month": 2,
        "max_active": 3,
        "max_monthly_hours": 4.0,
    }
    return Rules(**(base | changes))  # type: ignore[arg-type]


def test_a_cohorts_members_share_the_mentors_hours() -> None:
    cohort = rules(cohort_size=4, max_monthly_hours=5.0)
    load = None
    for n in range(4):
        room = cohort.capacity_left(None, load_in(load, "cohort-prog"))
        load = reserve(load, "m1", f"match-{n}", "cohort-prog", 2.0, room, shared=True)
    assert load_in(load, "cohort-prog") == MentorLoad(
        active_in_program=4, monthly_hours=2.0, active_everywhere=4
    )
    with pytest.raises(NoCapacity):
        reserve(
            load,
            "m1",
            "match-5",
            "cohort-prog",
            2.0,
            cohort.capacity_left(None, load_in(load, "cohort-prog")),
            shared=True,
        )
    solo = rules()
    other = load_in(load, "one-to-one")
    assert other.monthly_hours == 2.0
    assert solo.capacity_left(None, other) == 1


def test_a_mentors_own_limit_caps_the_cohort() -> None:
    assert rules(cohort_size=8).capacity_left(3, MentorLoad(active_in_program=2)) == 1
    assert rules(cohort_size=8).capacity_left(None, MentorLoad(active_in_program=2)) == 6


def test_one_to_one_holds_add_hours_and_release_gives_them_back() -> None:
    load = reserve(None, "m1", "a", "p", 2.0, 1)
    load = reserve(load, "m1", "b", "p", 2.0, 1)
    assert load_in(load, "p") == MentorLoad(
        active_in_program=2, monthly_hours=4.0, active_everywhere=2
    )
    assert rules().capacity_left(None, load_in(load, "p")) == 0
    assert reserve(load, "m1", "a", "p", 2.0, 0) is load
    assert load_in(release(load, "m1", "a"), "p").monthly_hours == 2.0


def test_a_persons_own_limit_counts_every_program_and_a_program_may_set_lower() -> None:
    elsewhere = MentorLoad(active_in_program=0, active_everywhere=3)
    assert rules().capacity_left(3, elsewhere) == 0
    assert rules().capacity_left(5, elsewhere) == 2
    assert rules().capacity_left(None, elsewhere) == rules().capacity_left(None, MentorLoad())
