"""Written check-ins are sampled like live sessions and their samples say so; the
health answer and the dashboard page carry the scheduling figures."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from mentornet_contracts.events.common import SessionFormat
from mentornet_contracts.events.sessions import (
    SessionBookingFailed,
    SessionCompleted,
    SessionScheduled,
    SessionType,
    UnplacedSession,
)
from mentornet_qa.api.health_views import HealthView
from mentornet_qa.api.views import SampleView
from mentornet_qa.domain import health, health_tables, matches, periods, sampling, unplaced
from mentornet_qa.domain.figures import Sampling

pytestmark = pytest.mark.unit

NOW = datetime(2027, 3, 10, 9, 0, tzinfo=UTC)


def checkin(sid: str = "s-1") -> SessionScheduled:
    return SessionScheduled(
        session_id=sid,
        match_id="m-1",
        program_id="p-1",
        mentor_id="r-1",
        mentee_id="e-1",
        session_type=SessionType.REGULAR,
        starts_at=NOW - timedelta(days=7),
        duration_minutes=30,
        local_times=(),
        sequence=2,
        format=SessionFormat.ASYNC,
        due_at=NOW,
    )


def test_a_written_check_in_is_sampled_like_a_session_and_its_sample_says_it_is_written() -> None:
    match = matches.on_session_scheduled(None, checkin())
    match = matches.on_session_completed(
        match, SessionCompleted(session_id="s-1", match_id="m-1", attendance="attended"), NOW
    )
    session = match["sessions"]["s-1"]
    assert (session["status"], session["format"], session["due_at"]) == (
        "completed",
        "async",
        NOW.isoformat(),
    )
    held = sampling.Held(
        "s-1",
        "m-1",
        "r-1",
        "e-1",
        datetime.fromisoformat(session["starts_at"]),
        format=session.get("format"),
    )
    period = periods.opened("p-1", sampling.period_of(held.started_at), "seed")
    decided = periods.decided(period, held, sampling.SamplingRules(rate=1.0))
    assert decided is not None
    record = decided["decisions"]["s-1"]
    assert (record["sampled"], record["format"]) == (True, "async")
    sample = periods.sample_of(decided, record)
    assert SampleView.model_validate(sample).format == "async"
    assert periods.replayed(decided, sampling.SamplingRules(rate=1.0))["same_as_recorded"]
    live = periods.sample_of(decided, {**record, "format": ""})
    assert SampleView.model_validate(live).format is None


def test_the_health_answer_and_the_dashboard_show_the_scheduling_figures() -> None:
    state, _ = unplaced.booking_failed(
        None,
        SessionBookingFailed(
            match_id="m-1",
            program_id="p-1",
            reason="no_overlap",
            planned=6,
            booked=4,
            unplaced=tuple(
                UnplacedSession(sequence=n, target=NOW + timedelta(weeks=n), reason="no_overlap")
                for n in (5, 6)
            ),
        ),
        None,
        NOW,
    )
    assert state is not None
    figures = health.health(
        {"program_id": "p-1", "name": "Engineering"},
        [state],
        [],
        NOW,
        None,
        None,
        Sampling(sampled=0, reviewed=0, agreement_exact=None),
    )
    answer = HealthView.model_validate(figures).model_dump()
    assert answer["scheduling"] == {
        "unbookable_sessions": 2,
        "matches_affected": 1,
        "by_reason": {"no_overlap": 2},
        "paused_matches": 0,
    }
    [card] = [
        t for t in health_tables.health_tables(figures) if t["figure"] == "unbookable_by_reason"
    ]
    assert card["rows"] == [{"reason": "no_overlap", "count": 2}]
    assert card["summary"] == "2 unbookable sessions: no overlap: 2."
