"""Scoring and hard constraints, explained: each signal, each reason a pair is ruled out."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

import numpy as np
import pytest
from mentornet_matcher.domain.assignment import solve
from mentornet_matcher.domain.explain import explain, why_not
from mentornet_matcher.domain.pool import build_mentor_side, build_pool
from mentornet_matcher.domain.rules import MentorLoad
from mentornet_matcher.domain.scoring import PoolScores
from mentornet_matcher.domain.skillmap import SkillMap
from mentornet_matcher.domain.slots import Span

from .builders import RULES, START, availability, mentee, mentor, pool

pytestmark = pytest.mark.unit


def scores_of(p: object) -> np.ndarray:
    source = PoolScores(p)  # type: ignore[arg-type]
    return source.rows(0, source.shape[0])


def test_goal_coverage_full_then_lower_level_then_same_category_then_nothing() -> None:
    p = pool(
        [mentee("a", ("python", 4))],
        [
            mentor("full", ("python", 5)),
            mentor("lower", ("python", 2)),
            mentor("related", ("go", 5)),
            mentor("unrelated", ("public-speaking", 5)),
        ],
    )
    skills = PoolScores(p).block(0, 1).signals["skills"][0]
    assert skills[0] == pytest.approx(1.0)
    assert skills[1] == pytest.approx(0.75 * 2 / 4)
    assert skills[2] == pytest.approx(0.5)
    assert skills[3] == pytest.approx(0.0)
    assert list(np.argsort(-scores_of(p)[0])) == [0, 2, 1, 3]


def test_an_alias_or_renamed_id_counts_as_the_skill() -> None:
    p = pool([mentee("a", ("golang", 3))], [mentor("m", ("go", 3))])
    assert PoolScores(p).block(0, 1).signals["skills"][0, 0] == pytest.approx(1.0)


def test_no_common_language_rules_a_mentor_out_and_says_so() -> None:
    p = pool([mentee("a", languages=["de"])], [mentor("m", languages=["en", "fr"])])
    assert scores_of(p)[0, 0] == -np.inf
    assert why_not(PoolScores(p), 0, 0) == "No common language (mentee: de; mentor: en, fr)"


def test_too_little_shared_time_across_a_dst_change_and_leave() -> None:
    """Over a 4-week program, two Mondays of the four are shared (Berlin springs forward
    on 28 March): 0.5 h a week, just what two 1-hour sessions a month need."""
    one_hour = [{"weekday": "mon", "start": "08:00", "end": "09:00"}]
    four_weeks = dataclasses.replace(RULES, span_weeks=4)
    p = pool(
        [
            mentee(
                "a",
                availability=availability(
                    "Europe/Berlin", [{"weekday": "mon", "start": "09:00", "end": "10:00"}]
                ),
            ),
        ],
        [mentor("utc", availability=availability("UTC", one_hour))],
        rules=four_weeks,
    )
    block = PoolScores(p).block(0, 1)
    assert block.overlap_hours[0, 0] == pytest.approx(0.5)  # two Mondays before 28 March
    assert block.feasible[0, 0]
    on_leave = pool(
        [
            mentee(
                "a",
                availability=availability(
                    "Europe/Berlin",
                    [{"weekday": "mon", "start": "09:00", "end": "10:00"}],
                    exceptions=[{"start_date": "2027-03-22", "end_date": "2027-03-26"}],
                ),
            )
        ],
        [mentor("utc", availability=availability("UTC", one_hour))],
        rules=four_weeks,
    )
    assert scores_of(on_leave)[0, 0] == -np.inf
    assert why_not(PoolScores(on_leave), 0, 0) == (
        "Only 0.25 h a week of shared availability over the program's 4 weeks; "
        "the cadence needs 0.5 h a week"
    )


def test_the_whole_program_counts_not_its_first_month() -> None:
    """Over a 12-week program the same pair shares 2 h in all: ruled out."""
    one_hour = [{"weekday": "mon", "start": "08:00", "end": "09:00"}]
    berlin = [{"weekday": "mon", "start": "09:00", "end": "10:00"}]
    p = pool(
        [mentee("a", availability=availability("Europe/Berlin", berlin))],
        [mentor("utc", availability=availability("UTC", one_hour))],
    )
    block = PoolScores(p).block(0, 1)
    assert block.overlap_hours[0, 0] == pytest.approx(2 / 12)
    assert not block.feasible[0, 0]


def test_a_quarter_and_a_half_hour_zone_share_their_whole_hour() -> None:
    """Kathmandu (+05:45) 14:45-15:45 and St John's (-03:30 in winter) 05:30-06:30 are
    the same UTC hour: 1.0 h a week, not the 0.5 h half-hour slots counted."""
    winter = dataclasses.replace(RULES, span_weeks=4)
    start = datetime(2027, 1, 4, tzinfo=UTC)
    mentee_ = mentee(
        "a",
        availability=availability(
            "Asia/Kathmandu", [{"weekday": "mon", "start": "14:45", "end": "15:45"}]
        ),
    )
    mentor_ = mentor(
        "m",
        availability=availability(
            "America/St_Johns", [{"weekday": "mon", "start": "05:30", "end": "06:30"}]
        ),
    )
    p = build_pool([mentee_], [mentor_], [MentorLoad()], winter, SkillMap.default(), start)
    scores = PoolScores(p)
    assert scores.block(0, 1).overlap_hours[0, 0] == 1.0
    texts = {c.signal: c.text for c in explain(scores, 0, 0).contributions}
    assert texts["availability"] == (
        "Shares 1 h a week over the program's 4 weeks; the cadence needs 0.5 h a week"
    )


def test_capacity_by_count_and_by_monthly_hours() -> None:
    people = [mentee("a")]
    mentors = [mentor("busy"), mentor("hours"), mentor("free")]
    loads = [MentorLoad(active_in_program=3), MentorLoad(monthly_hours=5.0), MentorLoad()]
    p = pool(people, mentors, loads=loads)
    assert p.capacity.tolist() == [0, 0, 3]
    assert list(np.isfinite(scores_of(p)[0])) == [False, False, True]
    assert "no capacity left" in why_not(PoolScores(p), 0, 1)


def test_conflict_rules_and_failed_pairs() -> None:
    rules = dataclasses.replace(RULES, exclude_same_manager_line=True, exclude_same_org_unit=True)
    p = pool(
        [mentee("a", manager_id="boss", org_unit="ou-1")],
        [
            mentor("boss"),
            mentor("peer", manager_id="boss"),
            mentor("colleague", org_unit="ou-1"),
            mentor("declined"),
            mentor("fine", org_unit="ou-2"),
        ],
        rules=rules,
        failed=frozenset({("a", "declined")}),
    )
    assert list(np.isfinite(scores_of(p)[0])) == [False, False, False, False, True]
    source = PoolScores(p)
    assert why_not(source, 0, 0) == "Same manager line, which this program excludes"
    assert why_not(source, 0, 2) == "Same org unit, which this program excludes"
    assert "tried before" in why_not(source, 0, 3)


def test_an_explanation_adds_up_to_the_score_and_names_no_one() -> None:
    p = pool(
        [mentee("a", ("python", 4), preferred_style="socratic", learning_pace="steady")],
        [
            mentor(
                "m",
                ("python", 5),
                coaching_style="socratic",
                availability=availability("Europe/London"),
            )
        ],
    )
    explained = explain(PoolScores(p), 0, 0)
    assert explained.feasible
    assert sum(c.contribution for c in explained.contributions) == pytest.approx(
        explained.score, abs=1e-3
    )
    texts = {c.signal: c.text for c in explained.contributions}
    assert texts["skills"] == "Covers 1 of 1 goal skills at the level needed"
    assert texts["timezone"] == "1 h apart"
    assert texts["style"] == "Coaching style matches the mentee's preference (socratic)"
    assert texts["availability"] == (
        "Shares 8 h a week over the program's 12 weeks; the cadence needs 0.5 h a week"
    )
    assert texts["pace"] == "steady pace wants 1 h a week; 8 h a week shared"


def test_why_not_a_feasible_mentor_compares_with_the_proposed_one() -> None:
    p = pool([mentee("a", ("python", 4))], [mentor("best", ("python", 5)), mentor("ok", ("go", 2))])
    text = why_not(PoolScores(p), 0, 1, proposed=0)
    assert text.startswith("Eligible, but scores")
    assert "weaker on skills" in text


def test_the_optimal_assignment_only_uses_feasible_pairs() -> None:
    mentees = [
        mentee(f"e{i}", ("python", 1 + i % 5), languages=["en" if i % 3 else "de"])
        for i in range(12)
    ]
    mentors = [
        mentor(f"m{j}", ("python", 1 + j), languages=["en", "de"] if j == 0 else ["en"])
        for j in range(4)
    ]
    p = pool(mentees, mentors)
    source = PoolScores(p)
    solution = solve(source, p.capacity)
    matrix = source.rows(0, 12)
    assert solution.gap < 1e-6
    for i, j in enumerate(solution.mentor_of):
        if j >= 0:
            assert np.isfinite(matrix[i, j])
    german_only = [i for i in range(12) if i % 3 == 0]
    assert {int(solution.mentor_of[i]) for i in german_only} == {0, -1}
    assert int((solution.mentor_of >= 0).sum()) == 11  # four German speakers, one mentor for them


def test_one_mentee_scored_alone_matches_the_same_mentee_in_a_block() -> None:
    """Single rows take the quick paths (bitwise overlap, one sparse row of goals);
    blocks take matrix products. Both must give the same numbers."""
    windows = [
        [{"weekday": day, "start": f"{8 + k % 6:02d}:00", "end": f"{10 + k % 6:02d}:30"}]
        for k, day in enumerate(["mon", "tue", "wed", "thu", "fri", "sat"] * 2)
    ]
    people = [
        mentee(f"e{k}", ("python", 1 + k % 5), availability=availability(weekly=weekly))
        for k, weekly in enumerate(windows)
    ]
    people.append(mentee("e-no-goals"))
    mentors = [
        mentor(f"m{k}", ("python", k + 1), availability=availability("Europe/London"))
        for k in range(5)
    ]
    mentors.append(mentor("m-wide", ("go", 4), availability=availability(weekly=[])))
    scores = PoolScores(pool(people, mentors))
    together = scores.block(0, len(people))

    for i in range(len(people)):
        alone = scores.block(i, i + 1)
        np.testing.assert_allclose(alone.overlap_hours[0], together.overlap_hours[i])
        for name, values in alone.signals.items():
            np.testing.assert_allclose(values[0], together.signals[name][i], err_msg=name)
    assert together.overlap_hours.max() > 0


def test_format_and_style_fit() -> None:
    people = [
        mentee("e-two", formats=["video", "chat"], preferred_style="coaching"),
        mentee("e-none", formats=[], preferred_style=None),
    ]
    mentors = [
        mentor("m-video", formats=["video"], coaching_style="coaching"),
        mentor("m-both", formats=["chat", "video", "async"], coaching_style="directive"),
        mentor("m-async", formats=["async"], coaching_style=None),
    ]
    signals = PoolScores(pool(people, mentors)).block(0, 2).signals

    np.testing.assert_allclose(signals["format"], [[0.5, 1.0, 0.0], [1.0, 1.0, 1.0]])
    np.testing.assert_allclose(signals["style"], [[1.0, 0.0, 0.5], [0.5, 0.5, 0.5]])


def test_channel_fit_and_its_explanation() -> None:
    people = [mentee("e-slack", channels=["slack", "email"]), mentee("e-any")]
    mentors = [
        mentor("m-slack", channels=["slack"]),
        mentor("m-both", channels=["email", "slack", "phone"]),
        mentor("m-none"),
    ]
    scores = PoolScores(pool(people, mentors, dataclasses.replace(RULES, weights={"channel": 1.0})))
    signals = scores.block(0, 2).signals
    np.testing.assert_allclose(signals["channel"], [[0.5, 1.0, 0.0], [1.0, 1.0, 1.0]])
    [reason] = [c for c in explain(scores, 0, 0).contributions if c.signal == "channel"]
    assert reason.text == "Uses 1 of the mentee's 2 channels between sessions (slack)"
    assert reason.contribution == pytest.approx(0.5)


def test_capacity_from_the_mentors_with_a_load_matches_a_full_list() -> None:
    mentors = [mentor("m0", capacity=1), mentor("m1"), mentor("m2", capacity=2)]
    busy = {"m1": MentorLoad(active_in_program=2, monthly_hours=4.0), "m2": MentorLoad(1, 2.0)}
    full = [busy.get(m.participant_id, MentorLoad()) for m in mentors]
    prepared = build_mentor_side(mentors, SkillMap.default(), Span(START, RULES.span_weeks))

    listed = build_pool([mentee("e")], mentors, full, RULES, SkillMap.default(), START)
    mapped = build_pool([mentee("e")], prepared, busy, RULES, SkillMap.default(), START)

    assert listed.capacity.tolist() == [1, 1, 1]
    assert mapped.capacity.tolist() == listed.capacity.tolist()
