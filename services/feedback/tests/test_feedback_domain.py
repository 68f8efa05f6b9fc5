"""Requests, answers, edit windows, reports, risk and aggregates on a known data set."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from mentornet_chassis.errors import Conflict
from mentornet_contracts.events.feedback import (
    FeedbackReminderDue,
    RiskFlagged,
    RiskSource,
    SessionReportFiled,
)
from mentornet_contracts.events.sessions import SessionCancelled
from mentornet_feedback.domain import (
    matches,
    reports,
    requests,
    risk,
    summary,
    visibility,
    written,
)
from mentornet_feedback.domain.requests import NotYours
from mentornet_feedback.domain.templates import AnswerError, Private, TemplateSpec, check_answers

from .builders import NOW, WINDOWS, answer, match_with, scheduled

pytestmark = pytest.mark.unit


def test_a_session_asks_both_people_once() -> None:
    state = match_with("s1")
    assert sorted(r["role"] for r in state["requests"].values()) == ["mentee", "mentor"]
    again, events = requests.requested(state, "s1", 1, NOW, WINDOWS)
    assert events == []
    assert again == state


def test_answers_can_be_edited_within_the_window_then_are_locked() -> None:
    state = match_with("s1")
    rid = matches.short_id("fr", "s1", "mentee-1")
    first, event = requests.submit(state, rid, "mentee-1", {}, ({"clarity": 4}, 5), NOW, WINDOWS)
    assert (event.revision, event.rubric, event.rating) == (1, {"clarity": 4}, 5)
    edited, again = requests.submit(
        first, rid, "mentee-1", {}, ({"clarity": 2}, 3), NOW + timedelta(hours=47), WINDOWS
    )
    assert again.revision == 2
    assert edited["requests"][rid]["edit_until"] == first["requests"][rid]["edit_until"]
    with pytest.raises(Conflict, match="locked"):
        requests.submit(
            edited, rid, "mentee-1", {}, ({"clarity": 1}, 1), NOW + timedelta(hours=49), WINDOWS
        )
    with pytest.raises(NotYours):
        requests.submit(state, rid, "mentor-1", {}, ({"clarity": 4}, 5), NOW, WINDOWS)


def test_an_overdue_request_is_reminded_once_then_closed() -> None:
    state = match_with("s1")
    later, events = requests.due(state, NOW + timedelta(days=3), WINDOWS)
    assert [type(e) for e in events] == [FeedbackReminderDue, FeedbackReminderDue]
    _, again = requests.due(later, NOW + timedelta(days=4), WINDOWS)
    assert again == []
    closed, _ = requests.due(later, NOW + timedelta(days=17), WINDOWS)
    assert {r["status"] for r in closed["requests"].values()} == {"closed"}
    assert requests.next_due(closed, WINDOWS) is None


def test_a_report_with_risk_flags_raises_risk_signals() -> None:
    state = match_with("s1")
    body = reports.ReportBody.model_validate(
        {
            "agenda": ["review goals"],
            "notes": "seemed tired",
            "action_items": [{"text": "draft plan", "owner": "mentee", "due_date": "2027-03-12"}],
            "risk_flags": ["wellbeing_concern", "disengaged"],
        }
    )
    filed, events = reports.file(state, "s1", "mentor-1", body, NOW)
    assert isinstance(events[0], SessionReportFiled)
    assert events[0].action_item_count == 1
    assert [(e.flag, e.source) for e in events[1:] if isinstance(e, RiskFlagged)] == [
        ("disengaged", RiskSource.REPORT),
        ("wellbeing_concern", RiskSource.REPORT),
    ]
    with pytest.raises(Conflict):
        reports.file(filed, "s1", "mentor-1", body, NOW)
    [item_id] = next(iter(filed["reports"].values()))["items"]
    done, completed = reports.complete(filed, item_id, NOW + timedelta(days=3))
    assert completed.on_time is False
    report = next(iter(done["reports"].values()))
    texts = dict([reports.text_of(report["report_id"], body)])
    seen = visibility.report_view(written.with_report_text(report, texts), "mentee")
    assert "notes" not in seen
    assert seen["action_items"][0]["text"] == "draft plan"
    assert seen["action_items"][0]["completed_at"] is not None


def test_a_rubric_average_below_the_threshold_raises_one_risk_until_it_recovers() -> None:
    state = answer(match_with("s1", "s2", "s3"), "s1", "mentee-1", {"clarity": 2, "relevance": 2})
    low, events = risk.rubric_check(state, 2.5, "s1")
    assert [e.rubric_average for e in events] == [2.0]
    lower = answer(low, "s2", "mentee-1", {"clarity": 1, "relevance": 2})
    _, none = risk.rubric_check(lower, 2.5, "s2")
    assert none == []
    better = answer(
        lower,
        "s3",
        "mentee-1",
        {"clarity": 5, "relevance": 5, "specificity": 5, "accountability": 5},
    )
    recovered, _ = risk.rubric_check(better, 2.5, "s3")
    assert recovered["rubric_risk"] is False


def test_aggregates_equal_hand_computed_values() -> None:
    """Three sessions; mentee answers to all three, the mentor to the first only.
    Mentee rubric per session: s1 (2, 3) avg 2.5; s2 (3, 4) avg 3.5; s3 (5, 4) avg 4.5.
    Mentor on s1: (4, 4).  All scores: 2+3+3+4+5+4+4+4 = 29 over 8 = 3.625.
    Clarity: 2, 3, 5, 4 -> 3.5; relevance: 3, 4, 4, 4 -> 3.75.
    Per-session averages with both roles: s1 (2+3+4+4)/4 = 3.25, s2 3.5, s3 4.5;
    slope of (3.25, 3.5, 4.5) = ((-1)(3.25-3.75) + (1)(4.5-3.75)) / 2 = 0.625 -> rising.
    On 14 March every request is past due: 6 requested, 4 answered -> 0.6667."""
    state = match_with("s1", "s2", "s3")
    state = answer(state, "s1", "mentee-1", {"clarity": 2, "relevance": 3})
    state = answer(state, "s2", "mentee-1", {"clarity": 3, "relevance": 4})
    state = answer(state, "s3", "mentee-1", {"clarity": 5, "relevance": 4})
    state = answer(state, "s1", "mentor-1", {"clarity": 4, "relevance": 4})
    body = reports.ReportBody.model_validate(
        {
            "action_items": [
                {"text": "a", "owner": "mentee", "due_date": "2027-03-01"},
                {"text": "b", "owner": "mentee", "due_date": "2027-03-05"},
                {"text": "c", "owner": "mentor", "due_date": "2027-04-01"},
            ]
        }
    )
    state, _ = reports.file(state, "s1", "mentor-1", body, NOW)
    first_item = sorted(next(iter(state["reports"].values()))["items"])[0]
    state, _ = reports.complete(state, first_item, NOW)

    result = summary.summarize([state], date(2027, 3, 14))
    assert result["requests"] == 6
    assert result["responses"] == 4
    assert result["response_rate"] == 0.6667
    assert result["rubric_average"] == 3.625
    assert result["rubric_by_dimension"] == {"clarity": 3.5, "relevance": 3.75}
    assert [p["average"] for p in result["trend"]["sessions"]] == [3.25, 3.5, 4.5]
    assert result["trend"]["slope"] == 0.625
    assert result["trend"]["direction"] == "rising"
    assert result["follow_up"]["items"] == 3
    assert result["follow_up"]["due"] == 2
    assert result["follow_up"]["completed"] == 1

    mentees_only = summary.summarize([state], date(2027, 3, 14), role="mentee")
    assert mentees_only["rubric_average"] == round((2 + 3 + 3 + 4 + 5 + 4) / 6, 4)
    assert mentees_only["response_rate"] == 1.0


def test_the_other_party_never_sees_a_private_answer() -> None:
    state = match_with("s1")
    rid = matches.short_id("fr", "s1", "mentee-1")
    answers = {"went_well": "good", "private_note": "mentor seemed bored"}
    state, _ = requests.submit(state, rid, "mentee-1", answers, ({"clarity": 4}, 4), NOW, WINDOWS)
    state = written.joined(state, {requests.answers_id(rid, answers): answers})
    private = {1: Private(ids=frozenset({"private_note"}), dimensions=frozenset({"clarity"}))}
    by_mentor = visibility.match_view(state, "mentor", "mentor-1", private)
    by_mentee = visibility.match_view(state, "mentee", "mentee-1", private)
    by_coordinator = visibility.match_view(state, "overseer", "coord", private)
    mentee_request = next(r for r in by_mentor["requests"] if r["request_id"] == rid)
    assert mentee_request["answers"] == {"went_well": "good"}
    assert mentee_request["rubric"] == {}
    assert next(r for r in by_mentee["requests"] if r["request_id"] == rid)["answers"] == answers
    assert (
        next(r for r in by_coordinator["requests"] if r["request_id"] == rid)["answers"] == answers
    )


def test_erasure_forgets_the_persons_answers_and_reports() -> None:
    state = answer(match_with("s1"), "s1", "mentee-1", {"clarity": 4})
    body = reports.ReportBody.model_validate({"notes": "x"})
    state, _ = reports.file(state, "s1", "mentor-1", body, NOW)
    mentees, mentors = (matches.short_id("fr", "s1", who) for who in ("mentee-1", "mentor-1"))
    assert set(state["requests"]) == {mentees, mentors}
    assert state["requests"][mentees]["rubric"] == {"clarity": 4}
    assert [r["author_id"] for r in state["reports"].values()] == ["mentor-1"]
    without_mentee = matches.forget(state, "mentee-1")
    assert all(r["participant_id"] != "mentee-1" for r in without_mentee["requests"].values())
    assert without_mentee["requests"] == {mentors: state["requests"][mentors]}
    assert without_mentee["reports"] == state["reports"]
    without_mentor = matches.forget(state, "mentor-1")
    assert without_mentor["reports"] == {}
    assert without_mentor["requests"] == {mentees: state["requests"][mentees]}


def test_people_who_left_are_not_asked_and_unheld_sessions_take_no_report() -> None:
    state = matches.on_scheduled(None, scheduled("s9", NOW + timedelta(days=2)))
    asked, events = requests.requested(state, "s9", 1, NOW, WINDOWS, gone=frozenset({"mentee-1"}))
    assert [e.participant_id for e in events] == ["mentor-1"]
    with pytest.raises(Conflict, match="not taken place"):
        reports.file(asked, "s9", "mentor-1", reports.ReportBody(), NOW)
    cancelled = matches.on_cancelled(asked, SessionCancelled(session_id="s9", match_id="m-1"))
    assert cancelled is not None
    with pytest.raises(Conflict, match="cancelled"):
        reports.file(cancelled, "s9", "mentor-1", reports.ReportBody(), NOW + timedelta(days=3))


def test_a_required_text_answer_of_blanks_is_missing() -> None:
    spec = TemplateSpec.model_validate(
        {
            "questions": [
                {"id": "clarity", "kind": "rubric", "dimension": "clarity", "text": "?"},
                {"id": "summary", "kind": "text", "text": "Summary?"},
            ]
        }
    )
    with pytest.raises(AnswerError, match="required"):
        check_answers(spec, "mentee", {"clarity": 3, "summary": "   "})
