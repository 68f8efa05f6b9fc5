"""Sessions that could not be booked: session.booking.failed opens a booking_failed case
on the match (ask the pair for availability, medium, 72 h) saying what is unplaced, a
repeat updates it, the ladder ends at the program's last step, and booking every
unplaced date later closes it; program health counts each match's unplaced dates once
and drops the dates booked later."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from mentornet_contracts.events.matches import MatchConfirmed, MatchEnded, MatchEndReason
from mentornet_contracts.events.qa import (
    EscalationAction,
    EscalationRaised,
    EscalationResolved,
    EscalationTrigger,
    Resolution,
    Severity,
)
from mentornet_contracts.events.sessions import (
    BookingFailure,
    MatchStalled,
    SessionBookingFailed,
    SessionScheduled,
    SessionType,
    StallReason,
    UnplacedSession,
)
from mentornet_qa.domain import health, triggers, unplaced
from mentornet_qa.domain.documents import Case, Match
from mentornet_qa.domain.program import Program

pytestmark = pytest.mark.unit

NOW = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
FIRST = datetime(2027, 4, 6, 16, 0, tzinfo=UTC)
PROGRAM = "p-1"


def program(final: str = "rematch") -> Program:
    return Program(
        {
            "program_id": PROGRAM,
            "name": "Engineering",
            "coordinator_ids": ["coord-1"],
            "qa": {"playbook": {"steps": {}, "final": final}},
        }
    )


def confirmed(match_id: str = "m-1") -> Match:
    event = MatchConfirmed(
        match_id=match_id, mentee_id=f"e-{match_id}", mentor_id="r-1", program_id=PROGRAM
    )
    state, _ = triggers.confirmed(None, event, program(), NOW)
    assert state is not None
    return state


def failed(
    match_id: str = "m-1",
    sequences: tuple[int, ...] = (4, 5, 6),
    reason: BookingFailure = BookingFailure.NO_OVERLAP,
    planned: int = 6,
) -> SessionBookingFailed:
    dates = tuple(
        UnplacedSession(
            sequence=n,
            target=FIRST + timedelta(weeks=n - sequences[0]),
            reason=reason,
            attendee_id=f"e-{match_id}",
        )
        for n in sequences
    )
    return SessionBookingFailed(
        match_id=match_id,
        program_id=PROGRAM,
        reason=reason,
        planned=planned,
        booked=planned - len(dates),
        unplaced=dates,
    )


def case_of(match: Match | None) -> Case:
    assert match is not None
    case = match["case"]
    assert case is not None
    return case


def test_booking_failed_opens_a_case_asking_for_availability_that_says_what_is_unplaced() -> None:
    state, [raised] = unplaced.booking_failed(confirmed(), failed(), program(), NOW)
    assert isinstance(raised, EscalationRaised)
    assert (raised.trigger, raised.action, raised.severity, raised.owner_id) == (
        EscalationTrigger.BOOKING_FAILED,
        EscalationAction.COORDINATOR_CONTACT,
        Severity.MEDIUM,
        "coord-1",
    )
    assert raised.due_at == NOW + timedelta(hours=72)
    case = case_of(state)
    assert case["triggers"][0]["detail"] == (
        "3 of 6 sessions could not be booked: no_overlap from 2027-04-06"
    )
    assert state is not None
    assert [d["sequence"] for d in state["unplaced"]] == [4, 5, 6]


def test_the_detail_names_each_reason_its_first_date_the_cohort_and_the_schedulers_words() -> None:
    mixed = SessionBookingFailed(
        match_id="m-1",
        program_id=PROGRAM,
        reason=BookingFailure.EXCEPTION,
        detail="mentee on leave",
        cohort_id="c-1",
        planned=8,
        booked=6,
        unplaced=(
            UnplacedSession(sequence=7, target=FIRST + timedelta(weeks=1), reason="no_overlap"),
            UnplacedSession(sequence=3, target=FIRST, reason="exception"),
        ),
    )
    assert unplaced.detail(mixed) == (
        "2 of 8 sessions could not be booked: exception on 2027-04-06, "
        "no_overlap on 2027-04-13 (mentee on leave); cohort c-1"
    )
    bare = SessionBookingFailed(match_id="m-1", program_id=PROGRAM, reason="hour_cap")
    assert unplaced.detail(bare) == "a session could not be booked: hour_cap"


def test_a_repeat_report_updates_the_open_case_and_replaces_the_unplaced_dates() -> None:
    first, [raised] = unplaced.booking_failed(confirmed(), failed(), program(), NOW)
    later = NOW + timedelta(hours=1)
    again, events = unplaced.booking_failed(first, failed(sequences=(5, 6)), program(), later)
    assert events == [], "same step and severity: nothing new to announce"
    case = case_of(again)
    assert case["case_id"] == raised.case_id
    assert [t["detail"] for t in case["triggers"]] == [
        "3 of 6 sessions could not be booked: no_overlap from 2027-04-06",
        "2 of 6 sessions could not be booked: no_overlap from 2027-04-06",
    ]
    assert again is not None
    assert [d["sequence"] for d in again["unplaced"]] == [5, 6]
    assert again.get("cases_opened") == 1


def test_the_ladder_goes_from_asking_for_availability_to_the_programs_last_step() -> None:
    for final, last in (("rematch", EscalationAction.REMATCH), ("pause", EscalationAction.PAUSE)):
        state, _ = unplaced.booking_failed(confirmed(), failed(), program(final), NOW)
        assert state is not None
        early, none = triggers.due(state, NOW + timedelta(hours=71), program(final))
        assert none == []
        _late, [raised] = triggers.due(early, NOW + timedelta(hours=73), program(final))
        assert isinstance(raised, EscalationRaised)
        assert (raised.action, raised.severity) == (last, Severity.HIGH)
        assert raised.trigger == EscalationTrigger.BOOKING_FAILED


def scheduled(match_id: str, sequence: int) -> SessionScheduled:
    return SessionScheduled(
        session_id=f"s-{match_id}-{sequence}",
        match_id=match_id,
        program_id=PROGRAM,
        mentor_id="r-1",
        mentee_id=f"e-{match_id}",
        session_type=SessionType.REGULAR,
        starts_at=FIRST,
        duration_minutes=45,
        local_times=(),
        sequence=sequence,
    )


def reported(match_id: str, *reports: SessionBookingFailed) -> Match:
    state: Match | None = confirmed(match_id)
    for report in reports:
        state, _ = unplaced.booking_failed(state, report, program(), NOW)
    assert state is not None
    return state


def test_health_counts_each_matchs_latest_unplaced_dates_once_and_drops_dates_booked_later() -> (
    None
):
    repeated = reported("m-1", failed("m-1"), failed("m-1"), failed("m-1"))
    booked_later, _ = unplaced.scheduled(
        reported("m-2", failed("m-2", (2, 3), BookingFailure.EXCEPTION)),
        scheduled("m-2", 2),
        None,
        NOW,
    )
    assert booked_later is not None
    untouched, _ = unplaced.scheduled(repeated, scheduled("m-1", 1), None, NOW)
    assert untouched is not None
    ended, _ = triggers.ended(
        reported("m-3", failed("m-3")),
        MatchEnded(
            match_id="m-3",
            mentee_id="e-m-3",
            mentor_id="r-1",
            program_id=PROGRAM,
            reason=MatchEndReason.REMATCHED,
        ),
        None,
        NOW,
    )
    assert ended is not None
    figures = health.scheduling([untouched, booked_later, ended, confirmed("m-4")])
    assert figures == {
        "unbookable_sessions": 4,
        "matches_affected": 2,
        "by_reason": {"exception": 1, "no_overlap": 3},
        "paused_matches": 0,
    }


def test_a_report_naming_no_dates_keeps_the_dates_already_known() -> None:
    state = reported("m-1", failed("m-1"))
    moved = SessionBookingFailed(match_id="m-1", program_id=PROGRAM, reason="fully_booked")
    after, _ = unplaced.booking_failed(state, moved, program(), NOW)
    assert after is not None
    assert [d["sequence"] for d in after["unplaced"]] == [4, 5, 6]
    assert len(case_of(after)["triggers"]) == 2


def test_booking_every_unplaced_date_later_puts_a_booking_case_back_on_track() -> None:
    state = reported("m-1", failed("m-1", (4, 5)))
    partly, none = unplaced.scheduled(state, scheduled("m-1", 4), None, NOW)
    assert none == []
    assert case_of(partly)["trigger"] == EscalationTrigger.BOOKING_FAILED
    done, [resolved] = unplaced.scheduled(partly, scheduled("m-1", 5), None, NOW)
    assert isinstance(resolved, EscalationResolved)
    assert resolved.resolution == Resolution.BACK_ON_TRACK
    assert done is not None
    assert (done["case"], done["unplaced"]) == (None, [])
    stall = MatchStalled(match_id="m-1", reason=StallReason.NO_ACTIVITY)
    mixed, _ = triggers.stalled(reported("m-1", failed("m-1", (4,))), stall, program(), NOW)
    kept, nothing = unplaced.scheduled(mixed, scheduled("m-1", 4), None, NOW)
    assert nothing == [], "a case with another trigger in it stays for its owner"
    assert case_of(kept)["case_id"] == case_of(mixed)["case_id"]


def test_each_report_is_the_complete_current_set_and_one_with_no_plan_keeps_what_is_known() -> None:
    """booking.failed.v2: `unplaced` is the match's complete current set, not a delta
    (a reader replaces what it knew); a record with `planned` 0 and no dates says only
    that booking failed."""
    state = reported("m-1", failed("m-1", (4, 5, 6)), failed("m-1", (2, 7)))
    assert [d["sequence"] for d in state["unplaced"]] == [2, 7], "replaced, not added to"
    bare = SessionBookingFailed(
        match_id="m-1", program_id=PROGRAM, reason=BookingFailure.NO_OVERLAP, planned=0
    )
    kept, _ = unplaced.booking_failed(state, bare, program(), NOW)
    assert kept is not None
    assert [d["sequence"] for d in kept["unplaced"]] == [2, 7]
    nothing_left = failed("m-1", (), planned=6)
    emptied, _ = unplaced.booking_failed(kept, nothing_left, program(), NOW)
    assert emptied is not None
    assert emptied["unplaced"] == [], "a planned series with no dates: nothing is unplaced"
