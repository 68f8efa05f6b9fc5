"""Follow-up completion and feedback responses week by week: the times QA keeps on a
match (domain/workflow.py) and the weekly indicators made from them
(domain/series_workflow.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any, cast

import pytest
from mentornet_contracts.events.common import RUBRIC_EXAMPLE, Role
from mentornet_contracts.events.feedback import (
    ActionItemCompleted,
    FeedbackRequested,
    FeedbackSubmitted,
    SessionReportFiled,
)
from mentornet_qa.domain import series, workflow
from mentornet_qa.domain.documents import Match

from .builders import match_doc as match
from .builders import person_doc, role_doc

pytestmark = pytest.mark.unit

NOW = datetime(2027, 1, 27, 12, tzinfo=UTC)  # a Wednesday; week 4 starts 2027-01-25
WEEKS = ["2027-01-04", "2027-01-11", "2027-01-18", "2027-01-25"]


MENTOR = person_doc("mentor-1", "mentor", role=role_doc(since="2027-01-04T09:00:00+00:00"))


def weekly(*matches: Match) -> series.Series:
    return series.series("p1", list(matches), [MENTOR], 2, NOW, 26)


def points(found: series.Series, name: str) -> list[tuple[float | None, int | None]]:
    return [(p["value"], p.get("n")) for p in found["series"][name]]


def values(found: series.Series, name: str) -> list[float | None]:
    return [p["value"] for p in found["series"][name]]


def t(stamp: str) -> datetime:
    return datetime.fromisoformat(stamp).replace(tzinfo=UTC)


REPORTS = {
    "r1": {"at": "2027-01-06T10:00:00+00:00", "count": 3},
    "r2": {"at": "2027-01-13T10:00:00+00:00", "count": 2},
}
ITEMS = {
    "i1": {"at": "2027-01-10T23:00:00+00:00", "report_id": "r1", "on_time": True},
    "i2": {"at": "2027-01-11T00:30:00+00:00", "report_id": "r1", "on_time": False},
    "i3": {"at": "2027-01-19T09:00:00+00:00", "report_id": "r2", "on_time": True},
}
REQUESTS = {
    "q1": {
        "requested_at": "2027-01-05T10:00:00+00:00",
        "due_at": "2027-01-08T10:00:00+00:00",
        "answered_at": "2027-01-06T10:00:00+00:00",
    },
    "q2": {
        "requested_at": "2027-01-08T12:00:00+00:00",
        "due_at": "2027-01-11T12:00:00+00:00",
        "answered_at": "2027-01-12T12:00:00+00:00",
    },
    "q3": {
        "requested_at": "2027-01-09T00:00:00+00:00",
        "due_at": "2027-01-12T00:00:00+00:00",
        "answered_at": "2027-01-10T12:00:00+00:00",
    },
    "q4": {"requested_at": "2027-01-15T10:00:00+00:00", "due_at": "2027-01-18T10:00:00+00:00"},
    "q5": {"requested_at": "2027-01-25T10:00:00+00:00", "due_at": "2027-01-28T10:00:00+00:00"},
}


def test_items_agreed_and_completed_land_in_their_weeks_across_the_week_boundary() -> None:
    found = weekly(match(reports=REPORTS, items_completed=ITEMS))
    assert found["weeks"] == WEEKS
    assert values(found, "follow_up_items") == [3, 2, 0, 0]
    assert values(found, "follow_up_completed") == [1, 1, 1, 0]


def test_follow_up_completion_rate_is_a_level_at_each_week_end() -> None:
    found = weekly(match(reports=REPORTS, items_completed=ITEMS))
    assert points(found, "follow_up_completion_rate") == [
        (0.3333, 3),
        (0.4, 5),
        (0.6, 5),
        (0.6, 5),
    ]


def test_completions_of_reports_qa_never_saw_do_not_lift_the_rate_above_one() -> None:
    unknown = {"i9": {"at": "2027-01-06T11:00:00+00:00", "report_id": "r-old", "on_time": True}}
    found = weekly(match(reports={"r1": REPORTS["r1"]}, items_completed=unknown))
    assert values(found, "follow_up_completed") == [1, 0, 0, 0]
    assert points(found, "follow_up_completion_rate")[0] == (0.0, 3)


def test_on_time_rate_is_the_share_of_the_weeks_completions() -> None:
    found = weekly(match(reports=REPORTS, items_completed=ITEMS))
    assert points(found, "follow_up_on_time_rate") == [(1.0, 1), (0.0, 1), (1.0, 1), (None, 0)]


def test_response_rate_counts_requests_by_due_week_and_a_late_answer_is_no_response() -> None:
    found = weekly(match(requests=REQUESTS))
    assert values(found, "feedback_requests") == [1, 2, 1, 0]
    assert points(found, "feedback_response_rate") == [(1.0, 1), (0.5, 2), (0.0, 1), (None, 0)]


def test_response_hours_median_is_over_the_answers_that_arrived_in_the_week() -> None:
    found = weekly(match(requests=REQUESTS))
    assert points(found, "feedback_response_hours_median") == [
        (30.0, 2),
        (96.0, 1),
        (None, 0),
        (None, 0),
    ]


def test_old_documents_without_the_workflow_keys_give_zeros_and_no_rates() -> None:
    found = weekly(match())
    assert values(found, "follow_up_items") == [0, 0, 0, 0]
    assert values(found, "feedback_requests") == [0, 0, 0, 0]
    assert points(found, "follow_up_completion_rate") == [(None, 0)] * 4
    assert points(found, "feedback_response_rate") == [(None, 0)] * 4
    rows = series.rows(found)
    assert {"week": WEEKS[0], "indicator": "follow_up_items", "value": 0, "n": ""} in rows


def report(report_id: str, count: int) -> SessionReportFiled:
    return SessionReportFiled(
        report_id=report_id, match_id="m1", session_id="s1", action_item_count=count
    )


def item(item_id: str, on_time: bool) -> ActionItemCompleted:
    return ActionItemCompleted(
        item_id=item_id,
        report_id="r1",
        match_id="m1",
        session_id="s1",
        owner=Role.MENTEE,
        on_time=on_time,
    )


def asked(request_id: str, due: datetime) -> FeedbackRequested:
    return FeedbackRequested(
        request_id=request_id,
        match_id="m1",
        session_id="s1",
        participant_id="mentee-m1",
        role=Role.MENTEE,
        due_at=due,
        template_id="post-session",
        template_version=1,
    )


def answer(request_id: str, revision: int = 1) -> FeedbackSubmitted:
    return FeedbackSubmitted(
        request_id=request_id,
        match_id="m1",
        session_id="s1",
        participant_id="mentee-m1",
        role=Role.MENTEE,
        rubric=RUBRIC_EXAMPLE,
        revision=revision,
    )


def applied(state: Match, step: Any, event: Any, now: datetime) -> Match:
    """The step's new document, or the state as it was when the step leaves it."""
    new, _ = step(state, event, None, now)
    return cast(Match, new) if new is not None else state


def test_redelivered_reports_items_and_requests_count_once() -> None:
    state = match()
    for _ in range(2):
        state = applied(state, workflow.reported, report("r1", 2), t("2027-01-06T10:00:00"))
        state = applied(state, workflow.item_done, item("i1", True), t("2027-01-07T10:00:00"))
        due = t("2027-01-09T10:00:00")
        state = applied(state, workflow.requested, asked("q1", due), t("2027-01-06T10:00:00"))
    assert (state["items"], state["items_done"]) == (2, 1)
    assert state.get("reports") == {"r1": {"at": "2027-01-06T10:00:00+00:00", "count": 2}}
    found = weekly(state)
    assert values(found, "follow_up_items") == [2, 0, 0, 0]
    assert values(found, "follow_up_completed") == [1, 0, 0, 0]
    assert points(found, "follow_up_completion_rate")[0] == (0.5, 2)
    assert values(found, "feedback_requests") == [1, 0, 0, 0]


def test_reducers_start_from_old_documents_and_from_nothing() -> None:
    old = match()
    new, _ = workflow.reported(old, report("r1", 3), None, t("2027-01-06T10:00:00"))
    assert new is not None
    assert (new["items"], new["reports"]["r1"]["count"]) == (3, 3)
    fresh, _ = workflow.item_done(None, item("i1", False), None, t("2027-01-07T10:00:00"))
    assert fresh is not None
    assert fresh["items_completed"]["i1"]["on_time"] is False


def test_the_first_answer_time_stays_through_a_revision_and_requests_name_no_one() -> None:
    requested_at = t("2027-01-06T10:00:00")
    state = applied(
        match(), workflow.requested, asked("q1", requested_at + timedelta(days=3)), requested_at
    )
    first = t("2027-01-07T10:00:00")
    state = applied(state, workflow.feedback, answer("q1"), first)
    state = applied(state, workflow.feedback, answer("q1", revision=2), t("2027-01-08T10:00:00"))
    state = applied(state, workflow.feedback, answer("q1"), t("2027-01-09T10:00:00"))
    kept = state.get("requests", {})["q1"]
    assert kept == {
        "requested_at": requested_at.isoformat(),
        "due_at": (requested_at + timedelta(days=3)).isoformat(),
        "answered_at": first.isoformat(),
    }
    assert state["feedback"]["q1"]["revision"] == 2
    assert points(weekly(state), "feedback_response_hours_median")[0] == (24.0, 1)


def test_an_answer_to_a_request_qa_never_kept_records_no_time() -> None:
    state = applied(match(), workflow.feedback, answer("q-old"), t("2027-01-07T10:00:00"))
    assert "q-old" in state["feedback"]
    assert "requests" not in state
