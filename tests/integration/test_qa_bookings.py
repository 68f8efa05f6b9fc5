"""QA and issue 18 on the real broker and store: session.booking.failed opens a
booking_failed case (a repeat updates it) and program health counts the unplaced dates
once, less those booked later; a paused match opens no stall case and shows as paused;
a playbook ending in `pause` asks for one, and the case closes back_on_track when the
match resumes (and rises once when it does not by resume_by); a written check-in is
sampled like a session and its sample says so."""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta
from typing import Any

import pytest
from mentornet_contracts.catalogue import QA
from mentornet_contracts.events.common import SessionFormat
from mentornet_contracts.events.feedback import RiskFlag, RiskFlagged, RiskSource
from mentornet_contracts.events.matches import MatchPaused, MatchResumed, PauseActor
from mentornet_contracts.events.sessions import (
    Attendance,
    MatchStalled,
    SessionBookingFailed,
    SessionCompleted,
    StallReason,
    UnplacedSession,
)
from mentornet_tooling.testing.backends import Endpoints
from mentornet_tooling.testing.clock import MovableClock
from mentornet_tooling.testing.kafka import all_records, kind_of
from mentornet_tooling.testing.poll import eventually
from mentornet_tooling.testing.services import RunningService

from tests.conftest import ServiceOn
from tests.integration.test_qa import NOW, a_program, coordinator_sees, qa_events, session
from tests.support.events import publish
from tests.support.helpers import token

pytestmark = pytest.mark.integration

FIRST = NOW + timedelta(weeks=4)


def failed(match_id: str, program_id: str, sequences: tuple[int, ...]) -> SessionBookingFailed:
    return SessionBookingFailed(
        match_id=match_id,
        program_id=program_id,
        reason="no_overlap",
        planned=6,
        booked=6 - len(sequences),
        unplaced=tuple(
            UnplacedSession(
                sequence=n, target=FIRST + timedelta(weeks=n - sequences[0]), reason="no_overlap"
            )
            for n in sequences
        ),
    )


def paused(ids: dict[str, str], at: datetime, by: PauseActor, case: str | None) -> MatchPaused:
    return MatchPaused(
        **ids,
        by=by,
        reason="on hold",
        paused_at=at,
        resume_by=at + timedelta(weeks=4),
        case_id=case,
    )


async def scheduling(qa: RunningService, unique: str) -> dict[str, Any]:
    found: dict[str, Any] = (
        await coordinator_sees(qa, unique, f"/programs/prog-{unique}/health")
    ).get("scheduling", {})
    return found


async def escalations(stack: Endpoints, match_id: str) -> list[tuple[str, str, str]]:
    """Every escalation event of the match, read to the end of the topic."""
    records = await all_records(
        stack.bootstrap_servers,
        QA.name,
        lambda r: r.key == match_id.encode() and kind_of(r).startswith("escalation."),
    )
    found = []
    for r in records:
        body = json.loads(r.value)
        found.append((kind_of(r), body.get("action", ""), body.get("resolution", "")))
    return found


async def test_booking_failures_open_one_case_and_health_counts_each_date_once(
    stack: Endpoints, qa_on: ServiceOn, unique: str
) -> None:
    async with qa_on(MovableClock(NOW)) as qa:
        [(m1, mentor, mentee), (m2, mentor2, mentee2)] = await a_program(stack, unique, pairs=2)
        program_id = f"prog-{unique}"
        await publish(stack, failed(m1, program_id, (4, 5, 6)), at=NOW)
        [raised] = await qa_events(stack, m1, "escalation.raised")
        assert (raised["trigger"], raised["action"], raised["severity"]) == (
            "booking_failed",
            "coordinator_contact",
            "medium",
        )
        booked = session(f"s4-{unique}", m1, program_id, mentor, mentee, FIRST)
        await publish(
            stack,
            failed(m1, program_id, (4, 5, 6)),
            booked.model_copy(update={"sequence": 4}),
            failed(m2, program_id, (3,)),
            at=NOW + timedelta(hours=1),
        )

        expected = {
            "unbookable_sessions": 3,
            "matches_affected": 2,
            "by_reason": {"no_overlap": 3},
            "paused_matches": 0,
        }

        async def counted() -> dict[str, Any] | None:
            """m1 and m2 are on different partitions: m2's report may be counted
            before m1's booked date drops out, so wait for all three facts."""
            figures = await scheduling(qa, unique)
            return figures if figures == expected else None

        await eventually(
            counted,
            what="m1's repeat replacing its report, its date 4 booked since, m2's one date",
        )
        cases = (await coordinator_sees(qa, unique, f"/programs/{program_id}/cases"))["cases"]
        [case] = [c for c in cases if c["match_id"] == m1]
        assert case["case_id"] == raised["case_id"]
        assert [t["detail"] for t in case["triggers"]] == [
            f"3 of 6 sessions could not be booked: no_overlap from {FIRST.date().isoformat()}"
        ] * 2
        ids = {"match_id": m2, "mentee_id": mentee2, "mentor_id": mentor2, "program_id": program_id}
        await publish(stack, paused(ids, NOW, PauseActor.COORDINATOR, None), at=NOW)

        async def on_hold() -> bool:
            return (await scheduling(qa, unique)).get("paused_matches") == 1

        await eventually(on_hold, what="the pause in health")
        stall = MatchStalled(match_id=m2, reason=StallReason.NO_ACTIVITY, detail="3 weeks quiet")
        later = NOW + timedelta(days=1)
        await publish(stack, stall, failed(m2, program_id, (3, 4)), at=later)

        async def m2_case() -> dict[str, Any] | None:
            listed = (await coordinator_sees(qa, unique, f"/programs/{program_id}/cases"))["cases"]
            return next((c for c in listed if c["match_id"] == m2 and len(c["triggers"]) > 1), None)

        second = await eventually(m2_case, what="m2's second report, after the stall")
        assert [t["trigger"] for t in second["triggers"]] == ["booking_failed", "booking_failed"]
        assert second["match_paused"] is True
        headline = await coordinator_sees(qa, unique, f"/programs/{program_id}/figures/headline")
        figures = {r["indicator"]: r["value"] for r in headline["rows"]}
        assert (
            figures["unbookable_sessions"],
            figures["matches_affected"],
            figures["paused_matches"],
        ) == (4, 2, 1)
        link = (await coordinator_sees(qa, unique, f"/programs/{program_id}/dashboard-link"))["url"]
        page = (await qa.http.get(link[link.index("/programs/") :] + "&tz=UTC")).text
        rows = {r["indicator"]: n for n, r in enumerate(headline["rows"])}
        for indicator, shown in (
            ("unbookable_sessions", "4"),
            ("matches_affected", "2"),
            ("paused_matches", "1"),
        ):
            cell = f'data-figure="headline" data-row="{rows[indicator]}" data-column="value"'
            assert re.search(cell + r' data-kind="count">' + shown + "<", page), indicator
        by_reason = await coordinator_sees(
            qa, unique, f"/programs/{program_id}/figures/unbookable_by_reason"
        )
        assert sum(r["count"] for r in by_reason["rows"]) == 4


async def paused_by_its_case(
    stack: Endpoints, qa: RunningService, unique: str, clock: MovableClock
) -> tuple[dict[str, str], str]:
    """A risk case whose SLA passed asks for a pause (the program's playbook ends in
    one), and the match pauses naming it: the match's ids and the case's id."""
    [(match_id, mentor, mentee)] = await a_program(stack, unique, pairs=1)
    program_id = f"prog-{unique}"
    coordinator = token(f"coord-{unique}", "coordinator", programs=[program_id])

    async def playbook_set() -> bool:
        put = await qa.http.put(
            f"/programs/{program_id}/playbook",
            json={"steps": {}, "final": "pause"},
            headers=coordinator,
        )
        return put.status_code == 200

    await eventually(playbook_set, what="the program in QA, then its playbook")
    flag = RiskFlagged(match_id=match_id, flag=RiskFlag.DISENGAGED, source=RiskSource.REPORT)
    await publish(stack, flag, at=NOW)
    [opened] = await qa_events(stack, match_id, "escalation.raised")
    assert opened["action"] == "coordinator_contact"
    clock.advance(hours=25)
    _, asked = await qa_events(stack, match_id, "escalation.raised", count=2)
    assert (asked["action"], asked["case_id"]) == ("pause", opened["case_id"])
    ids = {"match_id": match_id, "mentee_id": mentee, "mentor_id": mentor, "program_id": program_id}
    await publish(stack, paused(ids, clock.now, PauseActor.QA, opened["case_id"]), at=clock.now)

    async def waiting() -> dict[str, Any] | None:
        case = await coordinator_sees(qa, unique, f"/cases/{opened['case_id']}")
        return case if case.get("awaiting_resume") else None

    case = await eventually(waiting, what="the case waiting for the resume")
    assert case["match_paused"] is True
    return ids, str(opened["case_id"])


async def test_a_playbook_ending_in_pause_asks_for_one_and_the_resume_closes_the_case(
    stack: Endpoints, qa_on: ServiceOn, unique: str
) -> None:
    clock = MovableClock(NOW)
    async with qa_on(clock) as qa:
        ids, case_id = await paused_by_its_case(stack, qa, unique, clock)
        clock.advance(days=7)
        resumed = MatchResumed(**ids, by=PauseActor.COORDINATOR, resumed_at=clock.now)
        await publish(stack, resumed, at=clock.now)
        [resolved] = await qa_events(stack, ids["match_id"], "escalation.resolved")
        assert (resolved["case_id"], resolved["resolution"]) == (case_id, "back_on_track")
        assert await escalations(stack, ids["match_id"]) == [
            ("escalation.raised", "coordinator_contact", ""),
            ("escalation.raised", "pause", ""),
            ("escalation.resolved", "", "back_on_track"),
        ], "nothing announced while the match was paused"


async def test_a_match_not_resumed_by_resume_by_raises_its_case_once(
    stack: Endpoints, qa_on: ServiceOn, unique: str
) -> None:
    clock = MovableClock(NOW)
    async with qa_on(clock) as qa:
        ids, case_id = await paused_by_its_case(stack, qa, unique, clock)
        clock.advance(weeks=4, hours=2)
        *_, overdue = await qa_events(stack, ids["match_id"], "escalation.raised", count=3)
        assert (overdue["case_id"], overdue["action"], overdue["severity"]) == (
            case_id,
            "pause",
            "critical",
        )
        case = await coordinator_sees(qa, unique, f"/cases/{case_id}")
        assert (case["status"], case["awaiting_resume"], case["resume_overdue"]) == (
            "open",
            True,
            True,
        )
        clock.advance(days=3)
        late = MatchResumed(**ids, by=PauseActor.SCHEDULE, resumed_at=clock.now)
        await publish(stack, late, at=clock.now)
        [resolved] = await qa_events(stack, ids["match_id"], "escalation.resolved")
        assert resolved["case_id"] == case_id
        assert await escalations(stack, ids["match_id"]) == [
            ("escalation.raised", "coordinator_contact", ""),
            ("escalation.raised", "pause", ""),
            ("escalation.raised", "pause", ""),
            ("escalation.resolved", "", "back_on_track"),
        ], "the overdue resume was announced once"


async def test_a_written_check_in_is_sampled_and_its_sample_says_it_is_written(
    stack: Endpoints, qa_on: ServiceOn, unique: str
) -> None:
    async with qa_on(MovableClock(NOW)) as qa:
        [(match_id, mentor, mentee)] = await a_program(stack, unique, pairs=1, qa_sample_rate=1.0)
        program_id = f"prog-{unique}"
        opened = NOW - timedelta(days=7)
        checkin = session(f"c1-{unique}", match_id, program_id, mentor, mentee, opened)
        await publish(
            stack,
            checkin.model_copy(update={"format": SessionFormat.ASYNC, "due_at": NOW}),
            SessionCompleted(
                session_id=checkin.session_id, match_id=match_id, attendance=Attendance.ATTENDED
            ),
            at=NOW,
        )
        [selected] = await qa_events(stack, match_id, "qa.sample.selected")
        assert selected["session_id"] == checkin.session_id

        async def listed() -> list[dict[str, Any]]:
            found: list[dict[str, Any]] = (
                await coordinator_sees(qa, unique, f"/programs/{program_id}/samples")
            )["samples"]
            return found

        [sample] = await eventually(listed, what="the check-in's sample")
        assert (sample["session_id"], sample["format"]) == (checkin.session_id, "async")
