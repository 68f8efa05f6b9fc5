"""Async check-ins: the open window, the order (reflection, then reply), each part
once, the complete flag, settling, erasure and what each reader sees. Pure rules,
without a broker or database."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

import pytest
from mentornet_chassis.errors import Conflict, NotFound
from mentornet_contracts.events import sessions as session_events
from mentornet_contracts.events.common import Role
from mentornet_contracts.events.sessions import (
    Attendance,
    SessionCancelled,
    SessionCompleted,
    SessionMissed,
    SessionRescheduled,
    SessionScheduled,
)
from mentornet_feedback.domain import checkin_words, checkins, matches, written
from mentornet_feedback.domain.checkins import CheckinState
from mentornet_feedback.domain.state import Match
from pydantic import ValidationError

from .builders import NOW, scheduled

pytestmark = pytest.mark.unit

OPENS = NOW
DUE = NOW + timedelta(days=7)
DURING = NOW + timedelta(days=1)


def checkin_event(session: str = "s1", due: datetime | None = DUE) -> SessionScheduled:
    live = scheduled(session, OPENS).model_dump(mode="json")
    return SessionScheduled.model_validate({**live, "format": "async", "due_at": due})


def async_match(*sessions: str) -> Match:
    state: Match | None = None
    for session in sessions:
        state = matches.on_scheduled(state, checkin_event(session))
    assert state is not None
    return state


def given(state: Match, role: Role, at: datetime = DURING, session: str = "s1") -> Match:
    changed, _ = checkins.submit(state, session, role, f"words-{role}", at)
    return changed


def refusal(state: Match, role: Role, at: datetime = DURING) -> Conflict:
    with pytest.raises(Conflict) as caught:
        checkins.submit(state, "s1", role, "words", at)
    return caught.value


def test_an_async_session_opens_a_checkin_and_a_live_one_does_not() -> None:
    state = matches.on_scheduled(async_match("s1"), scheduled("s2", OPENS))
    assert set(state["checkins"]) == {"s1"}
    checkin = state["checkins"]["s1"]
    assert (checkin["opens_at"], checkin["due_at"]) == (OPENS.isoformat(), DUE.isoformat())
    assert checkin["status"] == "scheduled"
    assert state["sessions"]["s1"]["status"] == "scheduled"
    with pytest.raises(NotFound) as caught:
        checkins.checkin_of(state, "s2")
    assert caught.value.field == "session_id"


def test_a_checkin_without_a_due_time_is_due_a_week_after_it_opens() -> None:
    state = matches.on_scheduled(None, checkin_event(due=None))
    assert state["checkins"]["s1"]["due_at"] == (OPENS + timedelta(days=7)).isoformat()


def test_a_checkin_without_a_due_time_follows_the_contracts_longest_open_days(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(session_events, "CHECKIN_LONGEST_OPEN_DAYS", 3)
    state = matches.on_scheduled(None, checkin_event(due=None))
    assert state["checkins"]["s1"]["due_at"] == (OPENS + timedelta(days=3)).isoformat()


def test_the_reflection_then_the_reply_complete_the_checkin() -> None:
    state = async_match("s1")
    assert checkins.state_of(state["checkins"]["s1"], DURING) == CheckinState.AWAITING_REFLECTION
    reflected, first = checkins.submit(state, "s1", Role.MENTEE, "t-1", DURING)
    assert (first.role, first.complete, first.submitted_at) == (Role.MENTEE, False, DURING)
    assert (first.match_id, first.session_id) == ("m-1", "s1")
    part = reflected["checkins"]["s1"]["reflection"]
    assert part == {"author_id": "mentee-1", "submitted_at": DURING.isoformat(), "text_id": "t-1"}
    assert checkins.state_of(reflected["checkins"]["s1"], DURING) == CheckinState.AWAITING_REPLY
    later = DURING + timedelta(hours=3)
    replied, second = checkins.submit(reflected, "s1", Role.MENTOR, "t-2", later)
    assert (second.role, second.complete) == (Role.MENTOR, True)
    assert replied["checkins"]["s1"]["reply"]["author_id"] == "mentor-1"
    assert checkins.state_of(replied["checkins"]["s1"], later) == CheckinState.COMPLETE
    assert checkins.state_of(replied["checkins"]["s1"], DUE + timedelta(days=1)) == (
        CheckinState.COMPLETE
    )


def test_a_reply_before_the_reflection_is_refused_with_the_state() -> None:
    refused = refusal(async_match("s1"), Role.MENTOR)
    assert refused.field == "state"
    assert "after the mentee's reflection" in refused.reason
    assert refused.body["state"] == "awaiting_reflection"
    assert refused.body["due_at"] == DUE.isoformat()


def test_each_part_is_taken_once() -> None:
    reflected = given(async_match("s1"), Role.MENTEE)
    again = refusal(reflected, Role.MENTEE)
    assert "reflection was already given" in again.reason
    assert again.body["state"] == "awaiting_reply"
    done = given(reflected, Role.MENTOR)
    assert "reply was already given" in refusal(done, Role.MENTOR).reason
    assert refusal(done, Role.MENTEE).body["state"] == "complete"


@pytest.mark.parametrize(
    ("at", "state", "says"),
    [
        (OPENS - timedelta(minutes=1), "not_open", "opens at"),
        (DUE, "overdue", "was due at"),
        (DUE + timedelta(days=2), "overdue", "was due at"),
    ],
)
def test_a_part_outside_the_open_window_is_refused(at: datetime, state: str, says: str) -> None:
    refused = refusal(async_match("s1"), Role.MENTEE, at)
    assert (refused.body["state"], refused.status) == (state, 409)
    assert says in refused.reason
    assert refused.body["opens_at"] == OPENS.isoformat()
    late_reply = refusal(given(async_match("s1"), Role.MENTEE), Role.MENTOR, at)
    assert late_reply.body["state"] == state


def test_the_window_is_open_from_its_opening_until_just_before_its_due_time() -> None:
    at_opening = given(async_match("s1"), Role.MENTEE, OPENS)
    assert "reflection" in at_opening["checkins"]["s1"]
    _, event = checkins.submit(at_opening, "s1", Role.MENTOR, "t", DUE - timedelta(seconds=1))
    assert event.complete


def settle(state: Match, how: str) -> Match:
    settled: Match | None
    if how == "cancelled":
        settled = matches.on_cancelled(state, SessionCancelled(session_id="s1", match_id="m-1"))
    elif how == "missed":
        settled = matches.on_missed(
            state,
            SessionMissed(
                session_id="s1", match_id="m-1", absent=(Role.MENTOR,), missed_in_a_row=1
            ),
        )
    else:
        done = SessionCompleted(session_id="s1", match_id="m-1", attendance=Attendance.ATTENDED)
        settled = matches.completed(state, done, DURING)
    assert settled is not None
    return settled


@pytest.mark.parametrize(
    ("how", "status"), [("cancelled", "cancelled"), ("missed", "missed"), ("held", "held")]
)
def test_a_cancelled_or_settled_checkin_takes_nothing(how: str, status: str) -> None:
    state = settle(given(async_match("s1"), Role.MENTEE), how)
    assert state["checkins"]["s1"]["status"] == status
    assert checkins.state_of(state["checkins"]["s1"], DURING) == status
    refused = refusal(state, Role.MENTOR)
    assert refused.body["state"] == status
    assert f"is {status}" in refused.reason


def test_settling_a_live_session_leaves_the_checkins_alone() -> None:
    state = matches.on_scheduled(async_match("s1"), scheduled("s2", OPENS))
    cancelled = matches.on_cancelled(state, SessionCancelled(session_id="s2", match_id="m-1"))
    assert cancelled is not None
    assert cancelled["checkins"] == state["checkins"]
    assert "checkins" not in matches.on_scheduled(None, scheduled("s3", OPENS))


def test_a_rescheduled_checkin_moves_its_window_and_keeps_its_parts() -> None:
    reflected = given(async_match("s1"), Role.MENTEE)
    later = OPENS + timedelta(days=3)
    moved = matches.on_rescheduled(
        reflected,
        SessionRescheduled(
            session_id="s1",
            match_id="m-1",
            previous_starts_at=OPENS,
            starts_at=later,
            duration_minutes=60,
            local_times=(),
        ),
    )
    assert moved is not None
    checkin = moved["checkins"]["s1"]
    assert (checkin["opens_at"], checkin["due_at"]) == (
        later.isoformat(),
        (DUE + timedelta(days=3)).isoformat(),
    )
    assert checkin["reflection"] == reflected["checkins"]["s1"]["reflection"]
    again = matches.on_scheduled(moved, checkin_event())
    assert again["checkins"]["s1"]["reflection"] == checkin["reflection"]


def rescheduled(starts: datetime, due: datetime | None) -> SessionRescheduled:
    return SessionRescheduled(
        session_id="s1",
        match_id="m-1",
        previous_starts_at=OPENS,
        starts_at=starts,
        duration_minutes=60,
        local_times=(),
        due_at=due,
    )


def test_a_rescheduled_checkin_is_due_when_the_event_says() -> None:
    later, due = OPENS + timedelta(days=3), OPENS + timedelta(days=5)
    moved = matches.on_rescheduled(async_match("s1"), rescheduled(later, due))
    assert moved is not None
    checkin = moved["checkins"]["s1"]
    assert (checkin["opens_at"], checkin["due_at"]) == (later.isoformat(), due.isoformat())
    assert (
        checkins.state_of(checkin, due - timedelta(seconds=1)) == CheckinState.AWAITING_REFLECTION
    )
    assert checkins.state_of(checkin, due) == CheckinState.OVERDUE


def test_a_checkin_completed_after_the_scheduler_marked_it_missed_is_held() -> None:
    both_in = given(given(async_match("s1"), Role.MENTEE), Role.MENTOR, DUE - timedelta(minutes=1))
    missed = settle(both_in, "missed")
    assert checkins.state_of(missed["checkins"]["s1"], DUE) == CheckinState.MISSED
    done = SessionCompleted(session_id="s1", match_id="m-1", attendance=Attendance.ATTENDED)
    held = matches.completed(missed, done, DUE + timedelta(minutes=5))
    assert held["checkins"]["s1"]["status"] == "held"
    assert checkins.state_of(held["checkins"]["s1"], DUE + timedelta(days=1)) == CheckinState.HELD
    assert held["sessions"]["s1"]["status"] == "completed"


def test_erasure_forgets_the_persons_words_but_not_that_the_part_was_given() -> None:
    done = given(given(async_match("s1"), Role.MENTEE), Role.MENTOR)
    without_mentee = matches.forget(done, "mentee-1")
    checkin = without_mentee["checkins"]["s1"]
    assert checkin["reflection"] == {"author_id": "erased", "submitted_at": DURING.isoformat()}
    assert checkin["reply"] == done["checkins"]["s1"]["reply"]
    assert checkins.named(checkin) == ["words-mentor"]
    assert checkins.state_of(checkin, DURING) == CheckinState.COMPLETE
    without_both = matches.forget(without_mentee, "mentor-1")
    assert checkins.named(without_both["checkins"]["s1"]) == []
    assert "text_id" not in json.dumps(without_both, default=str)


def body(**overrides: Any) -> dict[str, Any]:
    return {"text": "I shipped the review guide.", **overrides}


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"text": ""}, "text"),
        ({"text": "   "}, "text"),
        ({"text": "x" * 10_001}, "text"),
        ({"goals": [{"goal_id": "g1", "percent": 101}]}, "goals.0.percent"),
        ({"goals": [{"goal_id": "g1", "status": "nearly"}]}, "goals.0.status"),
        ({"next_steps": [""]}, "next_steps.0"),
        ({"mood": "great"}, "mood"),
    ],
)
def test_a_bad_reflection_names_the_field(overrides: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationError) as caught:
        checkin_words.ReflectionBody.model_validate(body(**overrides))
    assert ".".join(str(p) for p in caught.value.errors()[0]["loc"]) == field


def test_a_reply_takes_text_and_next_steps_only() -> None:
    with pytest.raises(ValidationError) as caught:
        checkin_words.ReplyBody.model_validate(body(private_note="x"))
    assert caught.value.errors()[0]["loc"] == ("private_note",)
    with pytest.raises(ValidationError):
        checkin_words.ReplyBody.model_validate({})


def test_the_words_keep_what_was_filled_in_and_their_id_follows_them() -> None:
    full = checkin_words.ReflectionBody.model_validate(
        body(goals=[{"goal_id": "g1", "status": "on_track", "percent": 40}], private_note="tired")
    )
    said = checkin_words.words(full)
    assert said["text"] == "I shipped the review guide."
    assert said["private_note"] == "tired"
    assert said["goals"] == [{"goal_id": "g1", "status": "on_track", "percent": 40, "note": ""}]
    assert "next_steps" not in said
    plain = checkin_words.words(checkin_words.ReflectionBody.model_validate(body()))
    assert plain == {"text": "I shipped the review guide."}
    one = checkin_words.words_id("s1", Role.MENTEE, said)
    assert one.startswith(f"{written.CHECKIN}:s1:mentee:")
    assert one == checkin_words.words_id("s1", Role.MENTEE, dict(said))  # type: ignore[arg-type]
    assert one != checkin_words.words_id("s1", Role.MENTOR, said)
    assert one != checkin_words.words_id("s1", Role.MENTEE, plain)


def test_the_mentor_reads_the_reflection_without_its_private_note() -> None:
    reflection = checkin_words.words(
        checkin_words.ReflectionBody.model_validate(body(private_note="for the team"))
    )
    reply = checkin_words.words(checkin_words.ReplyBody.model_validate({"text": "Well done"}))
    state = async_match("s1")
    state, _ = checkins.submit(state, "s1", Role.MENTEE, "t-1", DURING)
    state, _ = checkins.submit(state, "s1", Role.MENTOR, "t-2", DURING)
    checkin = state["checkins"]["s1"]
    texts = {"t-1": reflection, "t-2": reply}

    def seen(reader: Any) -> dict[str, Any]:
        shown = checkin_words.view(state, checkin, CheckinState.COMPLETE, texts, reader)
        return dict(shown)

    for reader in ("mentee", "overseer"):
        assert seen(reader)["reflection"]["private_note"] == "for the team"
    by_mentor = seen("mentor")
    assert "private_note" not in by_mentor["reflection"]
    assert by_mentor["reflection"]["text"] == "I shipped the review guide."
    assert by_mentor["reply"]["text"] == "Well done"
    assert (by_mentor["state"], by_mentor["mentee_id"]) == ("complete", "mentee-1")
    erased = checkin_words.view(state, checkin, CheckinState.COMPLETE, {"t-2": reply}, "mentor")
    assert "text" not in erased["reflection"]
