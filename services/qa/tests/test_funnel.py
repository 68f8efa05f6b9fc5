"""The intake funnel: distinct mentees of the program at each step (registered, matched,
first session, active, completed), each step a subset of the one before, with the
drop-off between steps and a summary that says the numbers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import pairwise
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from mentornet_qa.domain.documents import Match, Person
from mentornet_qa.domain.funnel import funnel

from .builders import match_doc, person_doc, role_doc

pytestmark = pytest.mark.unit

NOW = datetime(2027, 3, 1, 12, tzinfo=UTC)
LONG_AGO = "2026-12-01T10:00:00+00:00"
RECENT = "2027-02-20T10:00:00+00:00"
CONFIRMED = {"confirmed_at": "2026-11-20T10:00:00+00:00"}


def mentee(pid: str, program: str = "p1", status: str = "active", **facts: Any) -> Person:
    role = role_doc(program, "2026-11-02T09:00:00+00:00")
    return person_doc(pid, role=role, status=status, **facts)


def session(sid: str, status: str = "completed", starts_at: str = LONG_AGO) -> dict[str, Any]:
    return {"session_id": sid, "status": status, "starts_at": starts_at}


def match(match_id: str, mentee_id: str, *sessions: dict[str, Any], **facts: Any) -> Match:
    held = {s["session_id"]: s for s in sessions}
    return match_doc(match_id, mentee_id, sessions=held, **(CONFIRMED | facts))


def ended(reason: str) -> dict[str, Any]:
    return {"status": "ended", "end_reason": reason, "ended_at": "2027-01-30T10:00:00+00:00"}


def program() -> tuple[list[Match], list[Person]]:
    """Eight mentees of p1 (plus an erased one, one of another program and a mentor)."""
    people = [
        mentee("e1"),  # completed a match
        mentee("e2"),  # rematched: matched twice, now in a confirmed match
        mentee("e3"),  # matched, no session held yet
        mentee("e4"),  # never matched
        mentee("e7"),  # held a session long ago, match ended early: not active
        mentee("e8"),  # a match ended "completed" without a session held
        mentee("e9"),  # confirmed now, last session long ago: active
        mentee("e10"),  # match ended early, but a session in the last 28 days: active
        mentee("gone", status="erased"),
        mentee("other", program="p2"),
        person_doc("mentor-1", "mentor", role=role_doc(since=LONG_AGO)),
    ]
    matches = [
        match("m1", "e1", session("s1"), **ended("completed")),
        match("m2a", "e2", session("s2a"), **ended("rematched")),
        match("m2b", "e2", session("s2b", starts_at=RECENT)),
        match("m3", "e3", session("s3", status="scheduled", starts_at="2027-03-05T10:00:00+00:00")),
        match("m4", "e4", status="proposed", confirmed_at=None),
        match("m7", "e7", session("s7"), **ended("mentee_left")),
        match("m8", "e8", **ended("completed")),
        match("m9", "e9", session("s9")),
        match("m10", "e10", session("s10", starts_at=RECENT), **ended("mentor_left")),
        match("mg", "gone", session("sg"), **ended("completed")),
        match("mo", "other", session("so"), **ended("completed")),
    ]
    return matches, people


def column(found: Any, key: str) -> list[Any]:
    return [row[key] for row in found["rows"]]


def test_each_step_counts_distinct_mentees_of_the_program_and_leaves_out_the_erased() -> None:
    matches, people = program()
    found = funnel("p1", matches, people, NOW)
    assert found["figure"] == "funnel"
    assert column(found, "step") == [
        "registered",
        "matched",
        "first session",
        "active",
        "completed",
    ]
    assert column(found, "people") == [8, 7, 5, 4, 1]


def test_drop_offs_and_rates_are_exact() -> None:
    matches, people = program()
    found = funnel("p1", matches, people, NOW)
    assert column(found, "dropped") == [0, 1, 2, 1, 3]
    assert column(found, "drop_off_rate") == [None, 0.125, 0.2857, 0.2, 0.75]
    assert column(found, "share_of_registered") == [1.0, 0.875, 0.625, 0.5, 0.125]
    assert [c["kind"] for c in found["columns"]] == ["text", "count", "rate", "count", "rate"]


def test_a_completed_match_without_a_session_held_is_not_counted_past_the_step_it_missed() -> None:
    matches, people = program()
    only = [m for m in matches if m["mentee_id"] == "e8"]
    found = funnel("p1", only, [p for p in people if p["participant_id"] == "e8"], NOW)
    assert column(found, "people") == [1, 1, 0, 0, 0]


def test_a_mentee_matched_twice_counts_once() -> None:
    matches, people = program()
    only = [m for m in matches if m["mentee_id"] == "e2"]
    found = funnel("p1", only, [p for p in people if p["participant_id"] == "e2"], NOW)
    assert column(found, "people") == [1, 1, 1, 1, 0]


@pytest.mark.parametrize(("days_ago", "active"), [(27, 1), (28, 1), (29, 0)])
def test_a_session_held_within_the_last_28_days_keeps_an_ended_match_active(
    days_ago: int, active: int
) -> None:
    held = (NOW - timedelta(days=days_ago)).isoformat()
    matches = [match("m", "e", session("s", starts_at=held), **ended("mentee_left"))]
    found = funnel("p1", matches, [mentee("e")], NOW)
    assert column(found, "people")[3] == active


def test_the_summary_names_each_step_and_the_biggest_drop_off() -> None:
    matches, people = program()
    summary = funnel("p1", matches, people, NOW)["summary"]
    assert summary.startswith("Of 8 mentees registered, 7 were matched (88%), ")
    assert "5 had a first session (63%)" in summary
    assert "4 are active or finished (50%) and 1 completed a match (13%)." in summary
    assert "biggest drop-off is from active to completed: 3 of 4 mentees (75%) have not" in summary


def test_an_empty_program_has_zeros_and_no_rates() -> None:
    found = funnel("p1", [], [], NOW)
    assert column(found, "people") == [0, 0, 0, 0, 0]
    assert column(found, "share_of_registered") == [None] * 5
    assert column(found, "drop_off_rate") == [None] * 5
    assert found["summary"] == "No mentees have registered in this program yet."


def test_nobody_dropping_off_is_said_so() -> None:
    matches = [match("m", "e", session("s"), **ended("completed"))]
    found = funnel("p1", matches, [mentee("e")], NOW)
    assert column(found, "people") == [1, 1, 1, 1, 1]
    assert found["summary"].endswith("Nobody dropped off between steps.")
    assert found["summary"].startswith("Of 1 mentee registered,")


STATUSES = st.sampled_from(["proposed", "confirmed", "declined", "ended"])
REASONS = st.sampled_from(["completed", "rematched", "mentee_left"])
DAYS = st.integers(min_value=0, max_value=90)


@st.composite
def generated(draw: st.DrawFn) -> tuple[list[Match], list[Person]]:
    people = [mentee(f"e{i}") for i in range(draw(st.integers(0, 8)))]
    matches = []
    for i in range(draw(st.integers(0, 12)) if people else 0):
        held = [
            session(f"s{i}-{j}", draw(st.sampled_from(["completed", "missed", "scheduled"])))
            | {"starts_at": (NOW - timedelta(days=draw(DAYS))).isoformat()}
            for j in range(draw(st.integers(0, 3)))
        ]
        facts: dict[str, Any] = {"status": draw(STATUSES), "end_reason": draw(REASONS)}
        if not draw(st.booleans()):
            facts["confirmed_at"] = None
        who = draw(st.sampled_from(people))["participant_id"]
        matches.append(match(f"m{i}", who, *held, **facts))
    return matches, people


@settings(max_examples=60, deadline=None)
@given(generated())
def test_steps_never_grow_and_drop_offs_add_up(program: tuple[list[Match], list[Person]]) -> None:
    matches, people = program
    found = funnel("p1", matches, people, NOW)
    counts = column(found, "people")
    assert counts[0] == len(people)
    assert all(a >= b for a, b in pairwise(counts))
    assert all(d >= 0 for d in column(found, "dropped"))
    assert sum(column(found, "dropped")) + counts[-1] == counts[0]
