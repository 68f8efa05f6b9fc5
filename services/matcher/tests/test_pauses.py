"""Pausing and resuming a match, as pure rules: who pauses and when, the weeks a
program allows (422 naming `weeks`), the states that refuse (409 carrying the
match), who may end a pause early, the pair's requests (lapsing after 7 days,
withdrawn), the timer's resume, QA's pause step and ending a paused match."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from mentornet_chassis.errors import Conflict, Invalid
from mentornet_contracts.events.matches import Decider, EndCause, MatchEndReason, PauseActor
from mentornet_matcher.domain import match_endings, matches, pause_requests, pauses
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
    assert pause_requests.waiting_for(first, NOW) == ["mentor"]
    again, still_none = pauses.request(first, Decider.MENTEE, "exams, really", 3, NOW)
    assert still_none is None
    assert pause_requests.waiting_for(again, NOW) == ["mentor"]

    later = NOW + timedelta(days=1)
    paused, event = pauses.request(again, Decider.MENTOR, "travel", 2, later)
    assert event is not None
    assert event.by == PauseActor.PARTICIPANTS
    assert event.resume_by == later + timedelta(weeks=2)  # the shorter of the two
    assert event.reason == "mentee: exams, really; mentor: travel"
    assert paused["status"] == MatchStatus.PAUSED
    assert pause_requests.waiting_for(paused, later) == []


def test_the_team_resumes_by_hand_and_a_match_not_paused_refuses_it() -> None:
    paused, _ = pauses.pause(confirmed(), PauseActor.COORDINATOR, "launch", 2, NOW)
    later = NOW + timedelta(days=3)
    resumed, event = pauses.ask_resume(paused, Decider.COORDINATOR, later)
    assert event is not None
    assert event.by == PauseActor.COORDINATOR
    assert event.resumed_at == later
    assert resumed["status"] == MatchStatus.CONFIRMED
    assert resumed["due_epoch"] is None
    assert "pause" not in resumed
    assert resumed["pauses"][0]["resumed_at"] == later.isoformat()
    assert resumed["pauses"][0]["resumed_by"] == "coordinator"
    for asking in (Decider.COORDINATOR, Decider.MENTEE):
        with pytest.raises(Conflict) as refused:
            pauses.ask_resume(resumed, asking, later)
        assert refused.value.status == 409
        assert refused.value.body["match"]["status"] == MatchStatus.CONFIRMED


@pytest.mark.parametrize(
    ("by", "named"), [(PauseActor.COORDINATOR, "the coordinator"), (PauseActor.QA, "QA")]
)
@pytest.mark.parametrize("asking", [Decider.MENTEE, Decider.MENTOR])
def test_one_person_cannot_end_a_pause_by_the_coordinator_or_qa(
    by: PauseActor, named: str, asking: Decider
) -> None:
    paused, _ = pauses.pause(confirmed(), by, "launch", 2, NOW, "case-1")
    with pytest.raises(Conflict) as refused:
        pauses.ask_resume(paused, asking, NOW + timedelta(days=1))
    assert refused.value.status == 409
    assert refused.value.body["field"] == "pause"
    assert refused.value.body["reason"] == (
        f"paused by {named}: only the program's team can resume it"
    )
    assert refused.value.body["match"]["pause"]["by"] == by
    assert "resume_requests" not in refused.value.body["match"]


def participants_pause(at: datetime = NOW) -> Match:
    asked, _ = pauses.request(confirmed(), Decider.MENTEE, "exams", 3, at)
    paused, event = pauses.request(asked, Decider.MENTOR, "travel", 3, at)
    assert event is not None
    return paused


def test_the_pairs_pause_ends_early_when_both_ask() -> None:
    paused = participants_pause()
    later = NOW + timedelta(days=4)
    first, none = pauses.ask_resume(paused, Decider.MENTOR, later)
    assert none is None
    assert first["status"] == MatchStatus.PAUSED
    assert pause_requests.waiting_for(first, later) == ["mentee"]
    resumed, event = pauses.ask_resume(first, Decider.MENTEE, later + timedelta(hours=1))
    assert event is not None
    assert event.by == PauseActor.PARTICIPANTS
    assert resumed["status"] == MatchStatus.CONFIRMED
    assert "resume_requests" not in resumed
    assert resumed["pauses"][0]["resumed_by"] == "participants"
    assert pause_requests.waiting_for(resumed, later) == []


def test_the_team_ends_the_pairs_pause_at_once() -> None:
    first, _ = pauses.ask_resume(participants_pause(), Decider.MENTEE, NOW)
    resumed, event = pauses.ask_resume(first, Decider.COORDINATOR, NOW)
    assert event is not None
    assert event.by == PauseActor.COORDINATOR
    assert "resume_requests" not in resumed


def test_a_request_to_pause_lapses_after_seven_days() -> None:
    first, _ = pauses.request(confirmed(), Decider.MENTEE, "exams", 3, NOW)
    almost = NOW + pause_requests.REQUEST_LIFETIME - timedelta(minutes=1)
    assert pause_requests.waiting_for(first, almost) == ["mentor"]
    lapsed = NOW + pause_requests.REQUEST_LIFETIME
    assert pause_requests.waiting_for(first, lapsed) == []
    second, none = pauses.request(first, Decider.MENTOR, "travel", 2, lapsed)
    assert none is None  # the mentee's stale request does not count
    assert second["status"] == MatchStatus.CONFIRMED
    assert set(second["pause_requests"]) == {"mentor"}  # and is dropped
    assert pause_requests.waiting_for(second, lapsed) == ["mentee"]


def test_a_request_to_resume_lapses_after_seven_days() -> None:
    first, _ = pauses.ask_resume(participants_pause(), Decider.MENTEE, NOW)
    lapsed = NOW + timedelta(days=7)
    assert pause_requests.waiting_for(first, lapsed) == []
    second, none = pauses.ask_resume(first, Decider.MENTOR, lapsed)
    assert none is None
    assert set(second["resume_requests"]) == {"mentor"}


def test_a_person_withdraws_their_own_request_to_pause() -> None:
    first, _ = pauses.request(confirmed(), Decider.MENTEE, "exams", 3, NOW)
    withdrawn = pause_requests.withdraw(first, Decider.MENTEE, "pause", NOW)
    assert withdrawn["pause_requests"] == {}
    assert pause_requests.waiting_for(withdrawn, NOW) == []
    _, none = pauses.request(withdrawn, Decider.MENTOR, "travel", 2, NOW)
    assert none is None  # the mentee's withdrawn request no longer pauses the match
    for match, role in ((withdrawn, Decider.MENTEE), (first, Decider.MENTOR)):
        with pytest.raises(Conflict) as refused:
            pause_requests.withdraw(match, role, "pause", NOW)
        assert refused.value.status == 409
        assert refused.value.body["field"] == "pause_request"
        assert f"the {role} has no open request to pause" in refused.value.body["reason"]
    with pytest.raises(Conflict):  # a lapsed request is gone already
        pause_requests.withdraw(first, Decider.MENTEE, "pause", NOW + timedelta(days=7))


def test_a_person_withdraws_their_own_request_to_resume() -> None:
    paused = participants_pause()
    first, _ = pauses.ask_resume(paused, Decider.MENTOR, NOW)
    withdrawn = pause_requests.withdraw(first, Decider.MENTOR, "resume", NOW)
    assert withdrawn["resume_requests"] == {}
    still, none = pauses.ask_resume(withdrawn, Decider.MENTEE, NOW)
    assert none is None
    assert still["status"] == MatchStatus.PAUSED
    with pytest.raises(Conflict) as refused:
        pause_requests.withdraw(withdrawn, Decider.MENTOR, "resume", NOW)
    assert refused.value.body["field"] == "resume_request"
    with pytest.raises(Conflict):  # nothing to withdraw once it is not paused
        pause_requests.withdraw(confirmed(), Decider.MENTOR, "resume", NOW)


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
    ended, event = match_endings.end(
        paused, MatchEndReason.COMPLETED, EndCause.SESSIONS_COMPLETED, "", failed=False
    )
    assert ended["status"] == MatchStatus.ENDED
    assert ended["ended_from"] == MatchStatus.PAUSED
    assert ended["due_epoch"] is None
    assert event.reason == MatchEndReason.COMPLETED
