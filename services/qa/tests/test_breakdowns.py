"""The program's breakdowns by segment and by cohort: figures per group, groups of
fewer than 5 mentees hidden (name only), the next smallest hidden too when exactly
one is, rates None when nothing to divide by, and the catch-all group shown last."""

from __future__ import annotations

from typing import Any, cast

import pytest
from mentornet_qa.domain.breakdowns import by_cohort, by_segment
from mentornet_qa.domain.documents import Match, Person
from mentornet_qa.domain.outcome_suppression import COMPLEMENT

from .builders import match_doc, person_doc, sessions

pytestmark = pytest.mark.unit

CONFIRMED = {"confirmed_at": "2027-01-05T00:00:00+00:00"}


def mentee(pid: str, segment: str | None = None, status: str = "active") -> Person:
    return person_doc(pid, status=status, segment=segment)


def match(match_id: str, mentee_id: str, **facts: Any) -> Match:
    return match_doc(match_id, mentee_id, **(CONFIRMED | facts))


def answer(session_id: str, *scores: int) -> dict[str, Any]:
    rubric = {f"q{i}": s for i, s in enumerate(scores)}
    return {
        "role": "mentee",
        "participant_id": "x",
        "session_id": session_id,
        "rubric": rubric,
        "rating": None,
        "revision": 1,
    }


def group(segment: str | None, n: int) -> list[Person]:
    return [mentee(f"{segment}-{i}", segment) for i in range(n)]


def rows_by(found: Any, key: str) -> dict[str, dict[str, Any]]:
    return {row[key]: row for row in found["rows"]}


def test_segment_figures_are_exact() -> None:
    people = group("a", 6)
    matches = [
        match("m0", "a-0", sessions=sessions("completed", "completed", "missed")),
        match(
            "m1",
            "a-1",
            confirmed_at="2027-01-11T00:00:00+00:00",
            status="ended",
            end_reason="completed",
            sessions=sessions("completed"),
            feedback={"f": answer("s0", 4, 5)},
        ),
        match(
            "m2", "a-2", confirmed_at="2027-01-03T00:00:00+00:00", feedback={"f": answer("s0", 3)}
        ),
        match("m3", "a-3", status="proposed", confirmed_at=None),
    ]
    row = by_segment("p1", matches, people)["rows"][0]
    assert row == {
        "segment": "a",
        "mentees": 6,
        "matched_rate": 0.5,
        "days_to_match_median": 4.0,
        "attendance_rate": 0.75,
        "rubric_average": 3.75,
        "completed": 1,
        "suppressed": False,
    }


def test_a_mentee_matched_twice_counts_once_from_their_first_match() -> None:
    people = group("a", 5)
    matches = [
        match("m0", "a-0", confirmed_at="2027-01-09T00:00:00+00:00", status="ended"),
        match("m1", "a-0", confirmed_at="2027-01-03T00:00:00+00:00"),
    ]
    row = by_segment("p1", matches, people)["rows"][0]
    assert row["matched_rate"] == 0.2
    assert row["days_to_match_median"] == 2.0


def test_rates_are_none_when_there_is_nothing_to_divide_by() -> None:
    row = by_segment("p1", [], group("a", 5))["rows"][0]
    assert row["mentees"] == 5
    assert row["matched_rate"] == 0.0
    assert row["days_to_match_median"] is None
    assert row["attendance_rate"] is None
    assert row["rubric_average"] is None
    assert row["completed"] == 0


def test_a_group_of_four_is_hidden_and_so_is_the_next_smallest() -> None:
    people = group("a", 7) + group("b", 5) + group("c", 4) + group(None, 8)
    found = by_segment("p1", [], people)
    rows = rows_by(found, "segment")
    assert list(rows) == ["a", "b", "c", "unspecified"]
    assert [r["suppressed"] for r in rows.values()] == [False, True, True, False]
    for name in ("b", "c"):
        assert {k for k, v in rows[name].items() if v is not None} == {"segment", "suppressed"}
    assert rows["a"]["mentees"] == 7
    assert rows["unspecified"]["mentees"] == 8
    assert found["note"] == f"Figures hidden for c (fewer than 5 people); b ({COMPLEMENT})."


def test_two_small_groups_hide_each_other_and_nothing_more() -> None:
    people = group("a", 5) + group("b", 3) + group("c", 2)
    rows = rows_by(by_segment("p1", [], people), "segment")
    assert [r["suppressed"] for r in rows.values()] == [False, True, True]
    assert rows["a"]["mentees"] == 5


def test_min_group_sets_the_threshold() -> None:
    people = group("a", 5) + group("b", 4)
    assert [r["suppressed"] for r in by_segment("p1", [], people, min_group=4)["rows"]] == [
        False,
        False,
    ]
    assert "fewer than 6 people" in by_segment("p1", [], people, min_group=6).get("note", "")


def test_erased_people_and_other_programs_mentees_are_left_out() -> None:
    people = [*group("a", 5), mentee("gone", "a", status="erased")]
    other = cast(Person, mentee("elsewhere", "a") | {"roles": {"mentee": {"program_id": "p2"}}})
    matches = [match("mg", "gone", status="ended", end_reason="completed")]
    row = by_segment("p1", matches, [*people, other])["rows"][0]
    assert row["mentees"] == 5
    assert row["completed"] == 0


def test_the_segment_summary_names_the_numbers_and_the_hidden_groups() -> None:
    people = group("a", 6) + group("b", 4) + group(None, 5)
    matches = [match(f"m{i}", f"a-{i}") for i in range(3)]
    summary = by_segment("p1", matches, people)["summary"]
    assert summary == (
        "By segment, a: 6 mentees, 50% matched, 0 completed. Figures hidden for "
        f"b (fewer than 5 people); unspecified ({COMPLEMENT})."
    )


def test_nobody_registered_says_so() -> None:
    found = by_segment("p1", [], [])
    assert found["rows"] == []
    assert found["summary"] == "No mentees have registered in this program yet."


def cohort_program() -> tuple[list[Match], list[Person]]:
    """cohort-a: 7 mentees meeting in shared group sessions; cohort-b: 4; 6 pairs."""
    people = group("a", 7) + group("b", 4) + group("p", 6)
    shared = sessions("completed", "completed", "missed", prefix="g")
    matches = [match(f"ma{i}", f"a-{i}", cohort_id="cohort-a", sessions=shared) for i in range(7)]
    matches += [match(f"mb{i}", f"b-{i}", cohort_id="cohort-b") for i in range(4)]
    matches += [
        match(f"mp{i}", f"p-{i}", sessions=sessions("completed", prefix=f"p{i}-")) for i in range(6)
    ]
    return matches, people


def test_cohort_figures_count_distinct_members_and_group_sessions_once() -> None:
    matches, people = cohort_program()
    matches[0] = match(
        "ma0",
        "a-0",
        cohort_id="cohort-a",
        sessions=matches[0]["sessions"],
        status="ended",
        end_reason="completed",
    )
    matches[1] = match("ma1", "a-1", cohort_id="cohort-a", sessions=matches[1]["sessions"])
    matches[1]["case"] = cast(Any, {"case_id": "c1"})
    matches.append(match("ma0-again", "a-0", cohort_id="cohort-a", status="ended"))
    matches.append(
        match("never", "a-2", cohort_id="cohort-a", status="declined", confirmed_at=None)
    )
    rows = rows_by(by_cohort("p1", matches, people, min_group=4), "cohort")
    assert rows["cohort-a"] == {
        "cohort": "cohort-a",
        "members": 7,
        "sessions_held": 2,
        "attendance_rate": 0.6667,
        "rubric_average": None,
        "escalations_open": 1,
        "completed": 1,
        "suppressed": False,
    }
    assert rows["1:1 pairs"]["members"] == 6
    assert rows["1:1 pairs"]["sessions_held"] == 6
    assert rows["1:1 pairs"]["attendance_rate"] == 1.0


def test_a_small_cohort_is_hidden_with_the_next_smallest_and_pairs_come_last() -> None:
    matches, people = cohort_program()
    found = by_cohort("p1", matches, people)
    assert [r["cohort"] for r in found["rows"]] == ["cohort-a", "cohort-b", "1:1 pairs"]
    assert [r["suppressed"] for r in found["rows"]] == [False, True, True]
    assert found["rows"][2]["members"] is None
    assert found["rows"][2]["sessions_held"] is None
    assert found.get("note") == (
        f"Figures hidden for cohort-b (fewer than 5 people); 1:1 pairs ({COMPLEMENT})."
    )
    assert found["summary"] == (
        "By cohort, cohort-a: 7 mentees, 2 sessions held, attendance 67%. Figures hidden "
        f"for cohort-b (fewer than 5 people); 1:1 pairs ({COMPLEMENT})."
    )


def test_no_confirmed_match_means_no_cohort_rows() -> None:
    found = by_cohort(
        "p1", [match("m", "a-0", status="proposed", confirmed_at=None)], group("a", 5)
    )
    assert found["rows"] == []
    assert found["summary"] == "No matches have been confirmed in this program yet."
