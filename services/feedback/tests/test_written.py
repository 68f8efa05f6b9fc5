"""Answers and a report's words are kept apart from the match: the match names them,
joining them back gives the shapes the API always showed, and a match at every
maximum still fits in one MongoDB document."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import cast

import bson
import pytest
from mentornet_contracts.events.common import Role, RubricDimension, SessionFormat
from mentornet_contracts.events.sessions import Attendance, SessionCompleted
from mentornet_feedback.domain import (
    checkin_words,
    checkins,
    goals,
    matches,
    reports,
    requests,
    visibility,
    written,
)
from mentornet_feedback.domain.state import Match

from .builders import NOW, WINDOWS, match_with, mentee_with, scheduled

pytestmark = pytest.mark.unit

LONG = "w" * 4000
RID = matches.short_id("fr", "s1", "mentee-1")
MENTORS = matches.short_id("fr", "s1", "mentor-1")
REPORT = reports.ReportBody.model_validate(
    {
        "agenda": ["review goals"],
        "notes": "n" * 10_000,
        "action_items": [{"text": "draft plan", "owner": "mentee", "due_date": "2027-03-12"}],
        "risk_flags": ["disengaged"],
    }
)


def test_the_match_names_the_answers_and_holds_none_of_them() -> None:
    answers = {"clarity": 4, "went_well": LONG}
    state, _ = requests.submit(
        match_with("s1"), RID, "mentee-1", answers, ({"clarity": 4}, None), NOW, WINDOWS
    )
    request = state["requests"][RID]
    assert "answers" not in request
    assert LONG not in json.dumps(state)
    assert request["text_id"] == requests.answers_id(RID, answers)
    unanswered = state["requests"][MENTORS]
    assert written.named(request, unanswered) == [request["text_id"]]
    shown = written.joined(state, {request["text_id"]: answers})["requests"][RID]
    assert shown["answers"] == answers
    assert "text_id" not in shown
    assert written.bare(shown) == {k: v for k, v in request.items() if k != "text_id"}


def test_the_same_words_have_one_id_and_other_words_another() -> None:
    first = written.text_id(written.ANSWER, RID, {"a": "x", "b": 2})
    assert written.text_id(written.ANSWER, RID, {"b": 2, "a": "x"}) == first
    assert written.text_id(written.ANSWER, RID, {"a": "y", "b": 2}) != first
    assert written.text_id(written.ANSWER, "fr-other", {"a": "x", "b": 2}) != first
    assert first.startswith(f"answer:{RID}:")


def test_an_edit_names_its_own_words_and_drops_answers_kept_inline_before() -> None:
    state = match_with("s1")
    old = {**state["requests"][RID], "status": "answered", "answers": {"went_well": "old"}}
    old |= {"revision": 1, "edit_until": (NOW + timedelta(hours=1)).isoformat()}
    legacy = cast(Match, {**state, "requests": {**state["requests"], RID: old}})
    assert written.joined(legacy, {})["requests"][RID]["answers"] == {"went_well": "old"}
    edited, event = requests.submit(
        legacy, RID, "mentee-1", {"went_well": "new"}, ({"clarity": 4}, None), NOW, WINDOWS
    )
    assert event.revision == 2
    assert "answers" not in edited["requests"][RID]
    assert edited["requests"][RID]["text_id"] == requests.answers_id(RID, {"went_well": "new"})


def test_a_report_holds_its_structure_and_names_its_words() -> None:
    filed, _ = reports.file(match_with("s1"), "s1", "mentor-1", REPORT, NOW)
    [report] = filed["reports"].values()
    assert REPORT.notes not in json.dumps(filed)
    assert "draft plan" not in json.dumps(filed)
    assert "review goals" not in json.dumps(filed)
    text_id, words = reports.text_of(report["report_id"], REPORT)
    assert report["text_id"] == text_id
    [item_id] = report["items"]
    shown = written.with_report_text(report, {text_id: words})
    assert shown == {
        "report_id": report["report_id"],
        "session_id": "s1",
        "author_id": "mentor-1",
        "filed_at": NOW.isoformat(),
        "agenda": ["review goals"],
        "notes": REPORT.notes,
        "items": {
            item_id: {
                "item_id": item_id,
                "text": "draft plan",
                "owner": "mentee",
                "due_date": "2027-03-12",
                "completed_at": None,
            }
        },
        "risk_flags": ["disengaged"],
    }
    assert "notes" not in visibility.report_view(shown, "mentee")
    assert visibility.report_view(shown, "mentor")["notes"] == REPORT.notes


def test_words_that_are_missing_show_as_none_said() -> None:
    filed, _ = reports.file(match_with("s1"), "s1", "mentor-1", REPORT, NOW)
    answered, _ = requests.submit(
        filed, RID, "mentee-1", {"x": "y"}, ({"clarity": 4}, None), NOW, WINDOWS
    )
    shown = written.joined(answered, {})
    [report] = shown["reports"].values()
    assert (report["notes"], report["agenda"]) == ("", [])
    assert [i["text"] for i in report["items"].values()] == [""]
    assert shown["requests"][RID]["answers"] == {}


MAX_SESSIONS = 1000
"""The scheduler's cap on sessions per match (mentornet_scheduler.domain.matches)."""
MONGO_LIMIT = 16 * 1024 * 1024
HEADROOM = 1024 * 1024
"""Left for the rest of the document: the inbox (1,000 event ids) and unsent events."""
WIDE = "\U0001f600"
"""Four bytes in BSON's UTF-8: the most a character can take there."""


def _widest_session(current: Match | None, n: int) -> Match:
    """One more session at every maximum: an async check-in with both parts given,
    held, answered by both, reported on."""
    session = f"{n:04d}".rjust(64, "s")
    event = scheduled(session, NOW - timedelta(days=1), n).model_copy(
        update={
            "match_id": "m" * 64,
            "mentor_id": "o" * 64,
            "mentee_id": "e" * 64,
            "format": SessionFormat.ASYNC,
            "due_at": NOW + timedelta(days=6),
        }
    )
    state = matches.on_scheduled(current, event)
    for role in (Role.MENTEE, Role.MENTOR):
        said = checkin_words.words(checkin_words.ReplyBody(text=WIDE * 10_000))
        text_id = checkin_words.words_id(session, role, said)
        state, _ = checkins.submit(state, session, role, text_id, NOW)
    held = SessionCompleted(session_id=session, match_id="m" * 64, attendance=Attendance.ATTENDED)
    state = matches.completed(state, held, NOW)
    state, _ = requests.requested(state, session, 2**31 - 1, NOW, WINDOWS)
    answers = {f"q{q:02d}".ljust(64, "x"): [WIDE * 80] * 20 for q in range(40)}
    rubric = {str(d): 5 for d in RubricDimension}
    for person in (state["mentee_id"], state["mentor_id"]):
        rid = matches.short_id("fr", session, person)
        state, _ = requests.submit(state, rid, person, answers, (rubric, 5), NOW, WINDOWS)
    item = {"text": WIDE * 500, "owner": "mentee", "due_date": "2027-03-12"}
    body = reports.ReportBody.model_validate(
        {
            "agenda": [WIDE * 300] * 20,
            "notes": WIDE * 10_000,
            "action_items": [item] * 30,
            "risk_flags": ["disengaged", "off_track", "wellbeing_concern", "conflict"],
        }
    )
    state, _ = reports.file(state, session, state["mentor_id"], body, NOW)
    for item_id in state["reports"][matches.short_id("sr", session)]["items"]:
        state, _ = reports.complete(state, item_id, NOW)
    return state


def _with_longest_goal_history(state: Match) -> Match:
    person = mentee_with(*(f"g{g}".ljust(64, "g") for g in range(goals.GOALS_TRACKED)))
    note = goals.Progress.model_validate(
        {"percent": 100, "status": "on_track", "note": WIDE * 1000}
    )
    for goal in person["goals"]:
        for _ in range(goals.HISTORY_KEPT):
            goal_id = str(goal["goal_id"])
            state, _ = goals.record(state, person, goal_id, note, "p".ljust(64, "p"), NOW)
    return state


def test_a_match_at_every_maximum_fits_in_one_mongodb_document() -> None:
    """Every session adds the same bytes, so one session's share times the scheduler's
    cap, on top of the most goals a match tracks with full progress histories (notes at
    1,000 four-byte characters), is the largest match state there can be (about 10.6 MB;
    with the words inside, one session alone would add about 0.6 MB)."""
    base = _with_longest_goal_history(_widest_session(None, 1))
    more = _widest_session(base, 2)
    per_session = len(bson.encode({"state": more})) - len(bson.encode({"state": base}))
    largest = len(bson.encode({"state": base})) + (MAX_SESSIONS - 1) * per_session
    assert largest < MONGO_LIMIT - HEADROOM, (largest, per_session)
