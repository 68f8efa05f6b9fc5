"""The dashboard's tables: a weekly series as one table per chart (a row per week, a
column per line, a summary in words), and program health as headline figures, outcomes,
the fairness audit and one-dimensional counts."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, cast

import pytest
from mentornet_qa.domain import audits, fairness
from mentornet_qa.domain import health_tables as ht
from mentornet_qa.domain.documents import Match, Person
from mentornet_qa.domain.figures import Health
from mentornet_qa.domain.health import health
from mentornet_qa.domain.outcome_report import Figure
from mentornet_qa.domain.program import ProgramState
from mentornet_qa.domain.series import Point, Series
from mentornet_qa.domain.weekly_tables import WEEKLY, weekly_table

from .builders import match_doc, person_doc, role_doc, sessions

pytestmark = pytest.mark.unit

NOW = datetime(2027, 1, 20, 12, tzinfo=UTC)
WEEKS = ["2027-01-04", "2027-01-11", "2027-01-18"]
CHART = {c.figure: c for c in WEEKLY}


def points(*values: float | None) -> list[Point]:
    return [Point(week=w, value=v) for w, v in zip(WEEKS, values, strict=True)]


def weekly(**lines: list[Point]) -> Series:
    return Series(program_id="p1", as_of=NOW.isoformat(), weeks=list(WEEKS), series=lines)


MATCHING = weekly(
    active_matches=points(2, 3, 3),
    new_matches=points(1, 4, 0),
    ended_matches=points(0, 0, 0),
)  # no waitlist at all
RATES = weekly(
    utilisation=points(None, 0.5, 0.6667),
    attendance_rate=points(0.75, None, None),
    feedback_response_rate=points(None, None, None),
)


def test_a_weekly_table_has_a_week_column_and_a_column_per_line_of_the_charts_kind() -> None:
    found = weekly_table(MATCHING, CHART["weekly_matching"])
    assert (found["figure"], found["title"]) == ("weekly_matching", "Matching, week by week")
    assert [(c["key"], c["kind"]) for c in found["columns"]] == [
        ("week", "date"),
        ("active_matches", "count"),
        ("waitlist", "count"),
        ("new_matches", "count"),
        ("ended_matches", "count"),
    ]
    rates = weekly_table(RATES, CHART["weekly_rates"])
    assert [c["kind"] for c in rates["columns"]] == ["date", "rate", "rate", "rate", "rate"]


def test_a_weekly_table_has_a_row_per_week_with_values_copied_and_none_where_missing() -> None:
    found = weekly_table(MATCHING, CHART["weekly_matching"])
    assert found["rows"] == [
        {"week": "2027-01-04", "active_matches": 2, "waitlist": None, "new_matches": 1,
         "ended_matches": 0},
        {"week": "2027-01-11", "active_matches": 3, "waitlist": None, "new_matches": 4,
         "ended_matches": 0},
        {"week": "2027-01-18", "active_matches": 3, "waitlist": None, "new_matches": 0,
         "ended_matches": 0},
    ]  # fmt: skip
    rates = weekly_table(RATES, CHART["weekly_rates"])
    assert [r["utilisation"] for r in rates["rows"]] == [None, 0.5, 0.6667]
    assert [r["follow_up_completion_rate"] for r in rates["rows"]] == [None, None, None]


def test_the_summary_totals_flows_with_their_busiest_week_and_reads_levels_at_both_ends() -> None:
    found = weekly_table(MATCHING, CHART["weekly_matching"])
    assert found["summary"] == (
        "Weeks of 4 Jan 2027 to 18 Jan 2027: "
        "active matches 2 in the week of 4 Jan 2027, 3 in the week of 18 Jan 2027; "
        "mentees waiting: no data yet; "
        "new matches 5 in all, most in the week of 11 Jan 2027 (4); "
        "matches ended 0 in all."
    )


def test_the_summary_of_rates_gives_percentages_of_the_first_and_last_known_weeks() -> None:
    found = weekly_table(RATES, CHART["weekly_rates"])
    assert found["summary"] == (
        "Weeks of 4 Jan 2027 to 18 Jan 2027: "
        "mentor utilisation 50% in the week of 11 Jan 2027, 67% in the week of 18 Jan 2027; "
        "attendance 75% in the week of 4 Jan 2027; "
        "follow-up completion: no data yet; feedback response rate: no data yet."
    )


def test_a_series_without_weeks_makes_an_empty_table_that_says_so() -> None:
    found = weekly_table(Series(program_id="p1", as_of="", weeks=[], series={}), WEEKLY[0])
    assert (found["rows"], found["summary"]) == ([], "No weeks with facts yet.")


# A small program: a mentor with 2 places, three mentees (one waiting), a running match
# with 2 of 3 sessions held, 3 of 4 action items done, one rubric answer and an overdue
# case opened two days ago; a match that ran its course.
def person(pid: str, role: str, **facts: Any) -> Person:
    return person_doc(pid, role, role=role_doc(capacity=2), **facts)


def match(match_id: str, mentee_id: str, confirmed_at: str, **facts: Any) -> Match:
    return match_doc(match_id, mentee_id, confirmed_at=confirmed_at, **facts)


CASE = {
    "case_id": "c1", "severity": "high", "opened_at": "2027-01-18T10:00:00+00:00",
    "due_at": "2027-01-19T10:00:00+00:00",
}  # fmt: skip
RUBRIC = {"f1": {"session_id": "s0", "rubric": {"a": 4, "b": 5}}}


def program_health(audit: audits.AuditRecord | None = None) -> Health:
    people = [
        person("mentor-1", "mentor"),
        person("e1", "mentee"),
        person("e2", "mentee"),
        person("e3", "mentee", waitlisted_at="2027-01-10T00:00:00+00:00"),
    ]
    running = match(
        "m1", "e1", "2027-01-05T00:00:00+00:00", sessions=sessions("completed", "missed",
        "completed"), items=4, items_done=3, feedback=RUBRIC, case=CASE,
    )  # fmt: skip
    done = match("m2", "e2", "2027-01-03T00:00:00+00:00", status="ended", end_reason="completed")
    state = ProgramState(program_id="p1", name="Alpha", max_active_mentees_per_mentor=1)
    sampling = {"sampled": 5, "reviewed": 4, "agreement_exact": 0.75}
    return health(state, [running, done], people, NOW, audit, None, cast(Any, sampling))


def test_headline_rows_carry_each_figure_with_its_unit_and_the_summary_says_them() -> None:
    found = ht.headline(program_health())
    assert [(r["indicator"], r["value"], r["unit"]) for r in found["rows"]] == [
        ("mentees", 3, "count"),
        ("active_matches", 1, "count"),
        ("completed_matches", 1, "count"),
        ("waitlisted", 1, "count"),
        ("days_to_match_median", 3.0, "days"),
        ("utilisation", 0.5, "rate"),
        ("attendance_rate", 0.6667, "rate"),
        ("follow_up", 0.75, "rate"),
        ("rubric_average", 4.5, "score"),
        ("unbookable_sessions", 0, "count"),
        ("matches_affected", 0, "count"),
        ("paused_matches", 0, "count"),
        ("escalations_open", 1, "count"),
        ("escalations_past_sla", 1, "count"),
        ("qa_sampled", 5, "count"),
        ("qa_agreement", 0.75, "rate"),
    ]
    labels = {r["indicator"]: r["label"] for r in found["rows"]}
    assert labels["utilisation"] == "of 2 mentor places taken"
    assert labels["follow_up"] == "of 4 action items done"
    assert found["summary"] == (
        "3 mentees registered, 1 active match, 1 waiting; 50% of mentor places taken, "
        "attendance 67%, 1 escalation open (1 past their SLA)."
    )


FIGURES = {
    "match_rate": Figure(indicator="match_rate", statistic="proportion", n=8, value=0.6,
                         ci_low=0.31, ci_high=0.83, suppressed=None),
    "days_to_match": Figure(indicator="days_to_match", statistic="mean", n=8, value=3.456,
                            ci_low=1.2, ci_high=5.7, suppressed=None),
    "satisfaction": Figure(indicator="satisfaction", statistic="mean", n=None, value=None,
                           ci_low=None, ci_high=None, suppressed="fewer than 5 mentees"),
}  # fmt: skip


def test_outcome_rows_are_the_figures_and_the_summary_shows_proportions_as_percentages() -> None:
    found = ht.outcomes(FIGURES)
    assert found["rows"] == [
        {k: f[k] for k in ("indicator", "statistic", "value", "ci_low", "ci_high", "n",
                           "suppressed")}
        for f in FIGURES.values()
    ]  # fmt: skip
    assert found["summary"] == (
        "Outcomes so far: match rate 60% (n = 8); days to match 3.46 (n = 8)."
    )
    assert ht.outcomes({})["summary"] == "No outcomes yet."


def audited() -> audits.AuditRecord:
    """Gender f: 5, all matched; m: 5, two matched, one closed early; x: 2 (hidden)."""
    out = fairness.Outcome
    outcomes = (
        [out({"gender": "f"}, True) for _ in range(5)]
        + [out({"gender": "m"}, i < 2, closed_early=i < 1) for i in range(5)]
        + [out({"gender": "x"}, True) for _ in range(2)]
    )
    when = datetime(2027, 1, 19, 9, tzinfo=UTC)
    return audits.record("a1", when, fairness.audit(outcomes), 5, 0.8)


def test_fairness_rows_hide_small_groups_and_list_the_metrics_flagged_for_a_group() -> None:
    found = ht.fairness(program_health(audited()))
    by_group = {r["group"]: r for r in found["rows"]}
    assert list(by_group) == ["f", "m", "x"]
    assert (by_group["f"]["match_rate"], by_group["f"]["flagged"]) == (1.0, None)
    assert (by_group["m"]["match_rate"], by_group["m"]["early_closure_rate"]) == (0.4, 0.5)
    assert by_group["m"]["flagged"] == "match_rate, early_closure_rate"
    assert by_group["x"] == {
        "attribute": "gender", "group": "x", "people": "fewer than 5", "suppressed": True,
        "match_rate": None, "days_to_match": None, "rematch_rate": None,
        "early_closure_rate": None, "rubric_average": None, "flagged": None,
    }  # fmt: skip
    assert found["at"] == "2027-01-19T09:00:00+00:00"
    assert found["summary"] == (
        "The audit found 2 disparities across 1 attribute; groups under 5 people are hidden."
    )


def test_an_unaudited_program_says_so_with_no_rows_and_no_time() -> None:
    found = ht.fairness(program_health())
    assert (found["rows"], found["summary"]) == ([], "The program has not been audited yet.")
    assert "at" not in found


def test_counts_have_a_row_per_key_and_a_summary_of_the_nonzero_ones() -> None:
    ages = {"under a day": 0, "1-3 days": 2, "over a week": 1}
    found = ht.counts("escalations_by_age", "Open escalations by age", "age", ages, "open ones")
    assert [c["key"] for c in found["columns"]] == ["age", "count"]
    assert found["rows"] == [
        {"age": "under a day", "count": 0},
        {"age": "1-3 days", "count": 2},
        {"age": "over a week", "count": 1},
    ]
    assert found["summary"] == "3 open ones: 1-3 days: 2; over a week: 1."
    reasons = ht.counts("u", "U", "reason", {"no_common_slot": 2}, "unbookable sessions")
    assert reasons["summary"] == "2 unbookable sessions: no common slot: 2."
    assert ht.counts("u", "U", "reason", {}, "unbookable sessions")["summary"] == (
        "0 unbookable sessions: none."
    )


def test_health_tables_come_in_the_pages_order_from_one_health() -> None:
    found = ht.health_tables(program_health())
    assert [t["figure"] for t in found] == [
        "headline", "outcomes", "coverage_gaps", "fairness", "escalations_by_age",
        "unbookable_by_reason",
    ]  # fmt: skip
    by_age = {r["age"]: r["count"] for r in found[4]["rows"]}
    assert by_age == {"under a day": 0, "1-3 days": 1, "3-7 days": 0, "over a week": 0}
