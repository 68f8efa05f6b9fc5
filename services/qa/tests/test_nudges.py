"""A playbook's nudge step, as the notifier delivered it: a stall nudge naming the case
is recorded on that case (who of the pair, the channel, when), once per delivery;
other kinds, other cases, other people and unknown matches change nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from mentornet_contracts.events.matches import MatchConfirmed
from mentornet_contracts.events.notifications import (
    Channel,
    NotificationDelivered,
    NotificationKind,
)
from mentornet_contracts.events.qa import EscalationAction
from mentornet_contracts.events.sessions import MatchStalled, StallReason
from mentornet_qa.api.views import CaseView
from mentornet_qa.domain import cases, nudges, triggers
from mentornet_qa.domain.documents import CaseStatus, Match
from mentornet_qa.domain.program import Program

pytestmark = pytest.mark.unit

NOW = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
LATER = NOW + timedelta(hours=2)
IDS = {"match_id": "m-1", "mentee_id": "e-1", "mentor_id": "r-1", "program_id": "p-1"}


def program() -> Program:
    return Program({"program_id": "p-1", "name": "Eng", "coordinator_ids": ["coord-1"]})


def with_case() -> Match:
    """A confirmed match whose stall opened a case asking for a nudge."""
    state, _ = triggers.confirmed(None, MatchConfirmed(**IDS), program(), NOW)
    stall = MatchStalled(match_id="m-1", reason=StallReason.NO_ACTIVITY, detail="3 weeks")
    state, _ = triggers.stalled(state, stall, program(), NOW)
    assert state is not None
    assert state["case"] is not None
    assert state["case"]["action"] == EscalationAction.NUDGE
    return state


def delivered(
    match: Match,
    who: str = "e-1",
    delivery: str = "nd-1",
    kind: NotificationKind = NotificationKind.STALL_NUDGE,
    case_id: str | None = None,
    channel: Channel = Channel.EMAIL,
) -> NotificationDelivered:
    case = match["case"]
    assert case is not None
    return NotificationDelivered(
        participant_id=who,
        delivery_id=delivery,
        source_event_id="ev-1",
        kind=kind,
        channel=channel,
        program_id="p-1",
        match_id="m-1",
        case_id=case_id or case["case_id"],
        attempts=1,
    )


def recorded(state: Match | None) -> list[tuple[str, str, str, str]]:
    assert state is not None
    assert state["case"] is not None
    return [(n["delivery_id"], n["who"], n["channel"], n["at"]) for n in state["case"]["nudges"]]


def test_a_delivered_nudge_is_recorded_on_its_case_with_who_how_and_when() -> None:
    match = with_case()
    once = nudges.on_delivered(match, delivered(match, "e-1", "nd-1"), LATER)
    twice = nudges.on_delivered(
        once, delivered(match, "r-1", "nd-2", channel=Channel.WEBHOOK), LATER
    )
    assert recorded(twice) == [
        ("nd-1", "mentee", "email", LATER.isoformat()),
        ("nd-2", "mentor", "webhook", LATER.isoformat()),
    ]


def test_a_redelivered_nudge_adds_nothing() -> None:
    match = with_case()
    once = nudges.on_delivered(match, delivered(match), LATER)
    assert once is not None
    again = nudges.on_delivered(once, delivered(match), LATER + timedelta(minutes=5))
    assert again is None
    assert len(recorded(once)) == 1


def test_other_kinds_other_cases_strangers_and_unknown_matches_change_nothing() -> None:
    match = with_case()
    reminder = delivered(match, kind=NotificationKind.SESSION_REMINDER)
    assert not nudges.concerns_a_case(reminder)
    assert nudges.on_delivered(match, reminder, LATER) is None
    assert nudges.on_delivered(match, delivered(match, case_id="esc-other"), LATER) is None
    assert nudges.on_delivered(match, delivered(match, who="someone-else"), LATER) is None
    assert nudges.on_delivered(None, delivered(match), LATER) is None
    no_case = delivered(match).model_copy(update={"case_id": None})
    assert not nudges.concerns_a_case(no_case)
    assert nudges.on_delivered(match, no_case, LATER) is None


def test_a_nudge_delivered_after_its_case_closed_is_kept_with_the_closed_case() -> None:
    match = with_case()
    case = match["case"]
    assert case is not None
    closed: Match = {
        **match,
        "case": None,
        "closed_cases": [{**case, "status": CaseStatus.RESOLVED}],
    }
    state = nudges.on_delivered(closed, delivered(match), LATER)
    assert state is not None
    [kept] = state["closed_cases"]
    assert [n["who"] for n in kept["nudges"]] == ["mentee"]


def test_the_case_view_shows_its_nudges_and_omits_them_when_there_are_none() -> None:
    match = with_case()
    state = nudges.on_delivered(match, delivered(match), LATER)
    assert state is not None
    assert state["case"] is not None
    shown = CaseView.model_validate(cases.seen(state, state["case"]))
    assert shown.model_dump(mode="json", exclude_unset=True)["nudges"] == [
        {"delivery_id": "nd-1", "who": "mentee", "channel": "email", "at": LATER.isoformat()}
    ]
    assert match["case"] is not None
    plain = CaseView.model_validate(cases.seen(match, match["case"]))
    assert "nudges" not in plain.model_dump(exclude_unset=True)
