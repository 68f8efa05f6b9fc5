"""Pausing and resuming a match, as pure rules: who pauses and when, the weeks a
program allows (422 naming `weeks`), the states that refuse (409 carrying the
match), the timer's resume, QA's pause step and ending a paused match."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from mentornet_chassis.errors import Conflict, Invalid
from mentornet_contracts.events.matches import Decider, EndCause, MatchEndReason, PauseActor
from mentornet_matcher.domain import matches, pauses
from mentornet_matcher.domain.documents import Match, MatchStatus

pytestmark = pytest.mark.unit

NOW = datetime(2027, 2, 1, 9, tzinfo=UTC)


def confirmed(**changes: object) -> Match:
    match: Match = {
        "match_id": "m-1",
        "mentee_id": "e-1",
        "mentor_id": "t-1",
        "program_id": "prog-1",
        "score": 0.8,
        "explanation": [],
        "status": MatchStatus.CONFIRMED,
        "hours": 2.0,
        "proposed_at": "",
    }
    return {**match, **changes}  # type: ignore[typeddict-item]


def test_weeks_outside_one_to_the_programs_longest_pause_name_weeks() -> None:
    assert pauses.check_weeks(4, 4) == 4
    for weeks in (0, -1, 5):
        with pytest.raises(Invalid) as refused:
            pauses.check_weeks(weeks, 4)
        assert refused.value.status == 422
        assert refused.value.body["field"] == "weeks"
        assert "1 to 4 weeks" in refused.value.body["reason"]


def test_a_blank_reason_is_refused() -> None:
    with pytest.raises(Invalid) as refused:
        pauses.check_reason("   ")
    assert refused.value.body["field"] == "reason"


def test_a_coordinator_pause_holds_until_resume_by() -> None:
    paused, event = pauses.pause(confirmed(), PauseActor.COORDINATOR, "launch", 2, NOW)
    assert paused["status"] == MatchStatus.PAUSED
    assert event.by == PauseActor.COORDINATOR
    assert (event.paused_at, event.resume_by) == (NOW, NOW + timedelta(weeks=2))
    assert (event.mentee_id, event.mentor_id, event.program_id) == ("e-1", "t-1", "prog-1")
    assert event.case_id is None
    assert paused["due_epoch"] == (NOW + timedelta(weeks=2)).timestamp()
    assert paused["pause"]["reason"] == "launch"
    assert paused["status"] in matches.HOLDS_CAPACITY  # the mentor's place is kept


@pytest.mark.parametrize(
    "status", [MatchStatus.PROPOSED, MatchStatus.IN_REVIEW, MatchStatus.ENDED, MatchStatus.PAUSED]
)
def test_a_match_that_is_not_active_refuses_a_pause_with_its_state(status: MatchStatus) -> None:
    match = confirmed(status=status)
    attempts: list[Callable[[], object]] = [
        lambda: pauses.pause(match, PauseActor.COORDINATOR, "x", 1, NOW),
        lambda: pauses.request(match, Decider.MENTEE, "x", 1, NOW),
    ]
    for attempt in attempts:
        with pytest.raises(Conflict) as refused:
            attempt()
        assert refused.value.status == 409
        assert refused.value.body["match"]["status"] == status
        assert f"is {status}, not active" in refused.value.body["reason"]


def test_the_match_pauses_when_both_people_have_asked() -> None:
    first, none = pauses.request(confirmed(), Decider.MENTEE, "exams", 3, NOW)
    assert none is None
    assert first["status"] == MatchStatus.CONFIRMED
    assert pauses.waiting_for(first) == ["mentor"]
    again, still_none = pauses.request(first, Decider.MENTEE, "exams, really", 3, NOW)
    assert still_none is None
    assert pauses.waiting_for(again) == ["mentor"]

    later = NOW + timedelta(days=1)
    paused, event = pauses.request(again, Decider.MENTOR, "travel", 2, later)
    assert event is not None
    assert event.by == PauseActor.PARTICIPANTS
    assert event.resume_by == later + timedelta(weeks=2)  # the shorter of the two
    assert event.reason == "mentee: exams, really; mentor: travel"
    assert paused["status"] == MatchStatus.PAUSED
    assert pauses.waiting_for(paused) == []


def test_resume_by_hand_and_a_match_not_paused_refuses_it() -> None:
    paused, _ = pauses.pause(confirmed(), PauseActor.COORDINATOR, "launch", 2, NOW)
    later = NOW + timedelta(days=3)
    resumed, event = pauses.resume(paused, pauses.resumer(Decider.MENTOR), later)
    assert event.by == PauseActor.PARTICIPANTS
    assert event.resumed_at == later
    assert resumed["status"] == MatchStatus.CONFIRMED
    assert resumed["due_epoch"] is None
    assert "pause" not in resumed
    assert resumed["pauses"][0]["resumed_at"] == later.isoformat()
    with pytest.raises(Conflict) as refused:
        pauses.resume(resumed, PauseActor.COORDINATOR, later)
    assert refused.value.status == 409
    assert refused.value.body["match"]["status"] == MatchStatus.CONFIRMED
    assert pauses.resumer(Decider.COORDINATOR) == PauseActor.COORDINATOR


def test_the_timer_resumes_at_resume_by_and_not_before() -> None:
    paused, _ = pauses.pause(confirmed(), PauseActor.COORDINATOR, "launch", 1, NOW)
    early, none = pauses.due(paused, NOW + timedelta(days=6))
    assert none == []
    assert early["status"] == MatchStatus.PAUSED
    resumed, [event] = pauses.due(paused, NOW + timedelta(weeks=1))
    assert event.by == PauseActor.SCHEDULE
    assert resumed["status"] == MatchStatus.CONFIRMED
    assert resumed["due_epoch"] is None
    stale, nothing = pauses.due({**resumed, "due_epoch": 1.0}, NOW + timedelta(weeks=2))
    assert nothing == []
    assert stale["due_epoch"] is None


def test_qa_pauses_an_active_match_once_per_case() -> None:
    assert pauses.qa_may_pause(confirmed(), "case-1")
    paused, event = pauses.pause(confirmed(), PauseActor.QA, "stalled", 4, NOW, "case-1")
    assert event.case_id == "case-1"
    assert event.by == PauseActor.QA
    assert not pauses.qa_may_pause(paused, "case-1")
    resumed, _ = pauses.resume(paused, PauseActor.SCHEDULE, NOW + timedelta(weeks=4))
    assert not pauses.qa_may_pause(resumed, "case-1")  # the same case, delivered again
    assert pauses.qa_may_pause(resumed, "case-2")
    assert not pauses.qa_may_pause(confirmed(status=MatchStatus.ENDED), "case-3")


def test_a_paused_match_ends_as_an_active_one_and_its_timer_stops() -> None:
    paused, _ = pauses.pause(confirmed(), PauseActor.COORDINATOR, "launch", 2, NOW)
    ended, event = matches.end(
        paused, MatchEndReason.COMPLETED, EndCause.SESSIONS_COMPLETED, "", failed=False
    )
    assert ended["status"] == MatchStatus.ENDED
    assert ended["ended_from"] == MatchStatus.PAUSED
    assert ended["due_epoch"] is None
    assert event.reason == MatchEndReason.COMPLETED
