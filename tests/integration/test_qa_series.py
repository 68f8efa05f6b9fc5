"""QA's weekly series on the real broker and store: facts published over three weeks
on a movable clock land in their ISO weeks (feedback's report, action item, request
and answer among them), and the JSON and the CSV agree."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from typing import Any

import pytest
from mentornet_contracts.events.common import Role
from mentornet_contracts.events.feedback import (
    ActionItemCompleted,
    FeedbackRequested,
    FeedbackSubmitted,
    SessionReportFiled,
)
from mentornet_contracts.events.matches import MatchEnded, MatchEndReason
from mentornet_contracts.events.sessions import Attendance, SessionCompleted, SessionMissed
from mentornet_tooling.testing.backends import Endpoints
from mentornet_tooling.testing.clock import MovableClock
from mentornet_tooling.testing.poll import eventually

from tests.conftest import ServiceOn
from tests.integration.test_qa import (
    NOW,
    RUBRIC,
    a_program,
    confirmed_in_qa,
    coordinator_sees,
    session,
)
from tests.support.events import publish
from tests.support.helpers import token

pytestmark = pytest.mark.integration

WEEKS = ["2027-03-08", "2027-03-15", "2027-03-22"]
EXPECTED = {
    "active_matches": [2, 1, 1],
    "new_matches": [2, 0, 0],
    "ended_matches": [0, 1, 0],
    "ended_matches.completed": [0, 1, 0],
    "sessions_held": [1, 0, 0],
    "sessions_missed": [0, 1, 0],
    "follow_up_items": [2, 0, 0],
    "follow_up_completed": [1, 0, 0],
    "follow_up_completion_rate": [0.5, 0.5, 0.5],
    "follow_up_on_time_rate": [1.0, None, None],
    "feedback_requests": [1, 0, 0],
    "feedback_response_rate": [1.0, None, None],
    "feedback_response_hours_median": [24.0, None, None],
}
N = {
    "attendance_rate": [1, 1, 0],
    "follow_up_completion_rate": [2, 2, 2],
    "follow_up_on_time_rate": [1, 0, 0],
    "feedback_response_rate": [1, 0, 0],
    "feedback_response_hours_median": [1, 0, 0],
}


def feedback_on(held: str, match_id: str, mentee: str, unique: str) -> tuple[list[Any], list[Any]]:
    """On the held session: a report agreeing two action items and a request to the
    mentee due three days later (both the day after NOW), then, a day on, one item done
    on time and the request answered (24 hours after it was made)."""
    report_id, request_id = f"sr-{unique}", f"fr-{unique}"
    asked = [
        SessionReportFiled(
            report_id=report_id, match_id=match_id, session_id=held, action_item_count=2
        ),
        FeedbackRequested(
            request_id=request_id,
            match_id=match_id,
            session_id=held,
            participant_id=mentee,
            role=Role.MENTEE,
            due_at=NOW + timedelta(days=4),
            template_id="post-session",
            template_version=1,
        ),
    ]
    answered = [
        ActionItemCompleted(
            item_id=f"ai-{unique}",
            report_id=report_id,
            match_id=match_id,
            session_id=held,
            owner=Role.MENTEE,
            on_time=True,
        ),
        FeedbackSubmitted(
            request_id=request_id,
            match_id=match_id,
            session_id=held,
            participant_id=mentee,
            role=Role.MENTEE,
            rubric=RUBRIC,
        ),
    ]
    return asked, answered


async def test_weekly_series_json_and_csv_agree_on_facts_over_three_weeks(
    stack: Endpoints, qa_on: ServiceOn, unique: str
) -> None:
    program_id = f"prog-{unique}"
    clock = MovableClock(NOW)  # Wednesday 2027-03-10, in the week of 2027-03-08
    async with qa_on(clock) as qa:
        [(m0, mentor0, mentee0), (m1, mentor1, mentee1)] = await a_program(stack, unique, pairs=2)
        await confirmed_in_qa(qa, unique, pairs=2)
        held, missed = f"s-held-{unique}", f"s-missed-{unique}"
        await publish(
            stack,
            session(held, m0, program_id, mentor0, mentee0, NOW + timedelta(days=1)),
            SessionCompleted(session_id=held, match_id=m0, attendance=Attendance.ATTENDED),
            at=NOW + timedelta(days=1),
        )
        asked, answered = feedback_on(held, m0, mentee0, unique)
        await publish(stack, *asked, at=NOW + timedelta(days=1))
        await publish(stack, *answered, at=NOW + timedelta(days=2))
        clock.advance(days=7)
        await publish(
            stack,
            session(missed, m1, program_id, mentor1, mentee1, NOW + timedelta(days=7)),
            SessionMissed(session_id=missed, match_id=m1, absent=("mentee",), missed_in_a_row=1),
            MatchEnded(
                match_id=m0,
                mentee_id=mentee0,
                mentor_id=mentor0,
                program_id=program_id,
                reason=MatchEndReason.COMPLETED,
            ),
            at=NOW + timedelta(days=7),
        )
        clock.advance(days=7)

        async def settled() -> dict[str, Any] | None:
            found = await coordinator_sees(qa, unique, f"/programs/{program_id}/series?weeks=3")
            values = {
                name: [p["value"] for p in found.get("series", {}).get(name, [])]
                for name in EXPECTED
            }
            return found if values == EXPECTED else None

        found = await eventually(settled, timeout=60, what="the three weeks' series")
        assert found["weeks"] == WEEKS
        assert {name: [p["n"] for p in found["series"][name]] for name in N} == N
        assert [p["value"] for p in found["series"]["attendance_rate"]] == [1.0, 0.0, None]

        coordinator = token(f"coord-{unique}", "coordinator", programs=[program_id])
        answer = await qa.http.get(
            f"/programs/{program_id}/series.csv?weeks=3", headers=coordinator
        )
        assert answer.status_code == 200
        assert answer.headers["content-type"].startswith("text/csv")
        table = list(csv.DictReader(io.StringIO(answer.text)))
        from_csv = {
            (r["week"], r["indicator"]): (float(r["value"]) if r["value"] else None, r["n"])
            for r in table
        }
        from_json = {
            (p["week"], name): (p["value"], str(p.get("n", "")))
            for name, points in found["series"].items()
            for p in points
        }
        assert from_csv == from_json

        too_many = await qa.http.get(
            f"/programs/{program_id}/series?weeks=105", headers=coordinator
        )
        assert (too_many.status_code, too_many.json()["field"]) == (422, "weeks")
        unknown = await qa.http.get(
            "/programs/nowhere/series", headers=token("qa-1", "coordinator", programs=["nowhere"])
        )
        assert unknown.status_code == 404
