"""A program's weekly series: levels at each week's end, flows within the week, rates
with their n, and empty weeks as zeros."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from mentornet_qa.domain import series
from mentornet_qa.domain.documents import Match, Person

from .builders import match_doc as match
from .builders import person_doc, role_doc

pytestmark = pytest.mark.unit

NOW = datetime(2027, 1, 27, 12, tzinfo=UTC)  # a Wednesday; week 4 starts 2027-01-25
WEEKS = ["2027-01-04", "2027-01-11", "2027-01-18", "2027-01-25"]


def mentor(capacity: int = 2) -> Person:
    since = "2027-01-04T09:00:00+00:00"
    return person_doc("mentor-1", "mentor", role=role_doc(since=since, capacity=capacity))


def values(found: series.Series, name: str) -> list[float | None]:
    return [p["value"] for p in found["series"][name]]


def weekly(matches: list[Match], people: list[Person] | None = None) -> series.Series:
    return series.series("p1", matches, people or [mentor()], 1, NOW, 26)


def test_weeks_run_from_the_first_fact_to_the_current_week() -> None:
    found = weekly([match("m1")])
    assert found["weeks"] == WEEKS
    assert all([p["week"] for p in points] == WEEKS for points in found["series"].values())


def test_a_match_ended_in_week_three_is_active_in_weeks_one_and_two_only() -> None:
    ended = match("m1", status="ended", ended_at="2027-01-19T08:00:00+00:00", end_reason="stalled")
    found = weekly([ended])
    assert values(found, "active_matches") == [1, 1, 0, 0]
    assert values(found, "new_matches") == [1, 0, 0, 0]
    assert values(found, "ended_matches") == [0, 0, 1, 0]
    assert values(found, "ended_matches.stalled") == [0, 0, 1, 0]
    assert found["series"]["utilisation"][0] == {"week": WEEKS[0], "value": 0.5, "n": 2}
    assert values(found, "utilisation") == [0.5, 0.5, 0.0, 0.0]


def test_held_and_missed_sessions_land_in_their_weeks_and_empty_weeks_are_zero() -> None:
    sessions = {
        "s1": {"session_id": "s1", "status": "completed", "starts_at": "2027-01-12T10:00:00+00:00"},
        "s2": {"session_id": "s2", "status": "missed", "starts_at": "2027-01-14T10:00:00+00:00"},
        "s3": {"session_id": "s3", "status": "completed", "starts_at": "2027-01-26T10:00:00+00:00"},
        "s4": {"session_id": "s4", "status": "scheduled", "starts_at": "2027-01-28T10:00:00+00:00"},
    }
    feedback = {"f1": {"session_id": "s1", "rubric": {"a": 4, "b": 5}}}
    found = weekly([match("m1", sessions=sessions, feedback=feedback)])
    assert values(found, "sessions_held") == [0, 1, 0, 1]
    assert values(found, "sessions_missed") == [0, 1, 0, 0]
    assert found["series"]["attendance_rate"] == [
        {"week": WEEKS[0], "value": None, "n": 0},
        {"week": WEEKS[1], "value": 0.5, "n": 2},
        {"week": WEEKS[2], "value": None, "n": 0},
        {"week": WEEKS[3], "value": 1.0, "n": 1},
    ]
    assert values(found, "rubric_average") == [None, 4.5, None, None]


def test_a_case_open_across_weeks_is_past_sla_from_its_due_date() -> None:
    case = {
        "case_id": "c1",
        "opened_at": "2027-01-06T10:00:00+00:00",
        "due_at": "2027-01-13T10:00:00+00:00",
        "resolved_at": "2027-01-26T09:00:00+00:00",
        "status": "resolved",
    }
    found = weekly([match("m1", closed_cases=[case])])
    assert values(found, "escalations_open") == [1, 1, 1, 0]
    assert values(found, "escalations_past_sla") == [0, 1, 1, 0]


def test_the_waitlist_at_each_week_end_drops_a_mentee_once_matched() -> None:
    early = role_doc(since="2027-01-04T08:00:00+00:00")
    waiting = person_doc("mentee-m1", role=early, waitlisted_at="2027-01-04T09:00:00+00:00")
    later = match("m1", confirmed_at="2027-01-20T10:00:00+00:00")
    found = weekly([later], [mentor(), waiting])
    assert values(found, "waitlist") == [1, 1, 0, 0]


def test_the_window_caps_how_far_back_the_weeks_go() -> None:
    found = series.series("p1", [match("m1")], [mentor()], 1, NOW, 2)
    assert found["weeks"] == WEEKS[2:]
    assert values(found, "active_matches") == [1, 1]


def test_csv_rows_carry_the_same_points() -> None:
    found = weekly([match("m1")])
    rows = series.rows(found)
    assert len(rows) == sum(len(p) for p in found["series"].values())
    assert {"week": WEEKS[0], "indicator": "utilisation", "value": 0.5, "n": 2} in rows
    assert {"week": WEEKS[1], "indicator": "active_matches", "value": 1, "n": ""} in rows


def test_cases_opened_and_resolved_count_in_their_weeks() -> None:
    case = {
        "case_id": "c1",
        "opened_at": "2027-01-06T10:00:00+00:00",
        "due_at": "2027-01-07T10:00:00+00:00",
        "resolved_at": "2027-01-12T09:00:00+00:00",
        "status": "resolved",
    }
    found = weekly([match("m1", closed_cases=[case])])
    assert values(found, "escalations_opened") == [1, 0, 0, 0]
    assert values(found, "escalations_resolved") == [0, 1, 0, 0]
    assert values(found, "escalations_past_sla") == [1, 0, 0, 0]


def test_days_to_match_is_the_median_over_the_weeks_confirmations() -> None:
    mentee = person_doc("mentee-m1", role=role_doc(since="2027-01-04T10:00:00+00:00"))
    found = weekly([match("m1")], [mentor(), mentee])
    assert found["series"]["days_to_match_median"][0] == {"week": WEEKS[0], "value": 1.0, "n": 1}
    assert found["series"]["days_to_match_median"][1] == {"week": WEEKS[1], "value": None, "n": 0}


def test_milestones_and_end_surveys_land_in_their_weeks() -> None:
    done = {
        "g/1": {"completed_on": "2027-01-12", "on_time": True},
        "g/2": {"completed_on": "2027-01-27", "on_time": False},
    }
    surveys = {
        "mentee": {"role": "mentee", "satisfaction": 4, "at": "2027-01-20T10:00:00+00:00"},
        "mentor": {"role": "mentor", "satisfaction": 2, "at": "2027-01-20T10:00:00+00:00"},
    }
    found = weekly([match("m1", milestones_done=done, end_surveys=surveys)])
    assert values(found, "milestones_completed") == [0, 1, 0, 1]
    assert values(found, "milestones_on_time_rate") == [None, 1.0, None, 0.0]
    assert values(found, "end_surveys") == [0, 0, 1, 0]
    assert values(found, "satisfaction_average") == [None, None, 4.0, None]


def test_a_match_confirmed_at_this_very_moment_counts_in_the_current_week() -> None:
    """The headline figures count it; the current week's points must too."""
    now = match("m2", confirmed_at=NOW.isoformat())
    found = weekly([match("m1"), now])
    assert values(found, "active_matches") == [1, 1, 1, 2]
    assert values(found, "new_matches") == [1, 0, 0, 1]
