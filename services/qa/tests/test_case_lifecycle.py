"""How the facts about a match open and close its case: a proposal left waiting raises
one and its confirmation answers it; a decline or an end closes it; an ended match is
never escalated; a rematch case waits for the new match, and a ladder that has run out
is not announced again."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from mentornet_contracts.events.matches import (
    EndCause,
    MatchConfirmed,
    MatchDeclined,
    MatchEnded,
    MatchEndReason,
    MatchProposed,
)
from mentornet_contracts.events.qa import (
    EscalationRaised,
    EscalationResolved,
    EscalationTrigger,
    Resolution,
)
from mentornet_qa.domain import playbook, triggers
from mentornet_qa.domain.documents import Case, Match, MatchStatus

pytestmark = pytest.mark.unit

NOW = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
IDS = {"match_id": "m-1", "mentee_id": "e-1", "mentor_id": "r-1", "program_id": "p-1"}


def case_of(match: Match) -> Case:
    case = match["case"]
    assert case is not None
    return case


def proposed() -> Match:
    event = MatchProposed(**IDS, score=0.8, explanation=())
    state, events = triggers.proposed(None, event, None, NOW)
    assert events == []
    assert state is not None
    return state


def timed_out() -> Match:
    state, [raised] = triggers.due(proposed(), NOW + timedelta(days=7), None)
    assert isinstance(raised, EscalationRaised)
    assert raised.trigger == EscalationTrigger.PROPOSAL_TIMEOUT
    assert state is not None
    return state


def test_a_proposal_left_waiting_raises_a_case_once_and_its_confirmation_answers_it() -> None:
    early, none = triggers.due(proposed(), NOW + timedelta(days=6), None)
    assert none == []
    assert early is not None
    assert early["case"] is None
    state = timed_out()
    again, repeat = triggers.due(state, NOW + timedelta(days=7, minutes=1), None)
    assert repeat == []
    confirmed, [resolved] = triggers.confirmed(
        again, MatchConfirmed(**IDS), None, NOW + timedelta(days=8)
    )
    assert isinstance(resolved, EscalationResolved)
    assert resolved.resolution == Resolution.BACK_ON_TRACK
    assert confirmed is not None
    assert confirmed["case"] is None


def test_a_decline_closes_the_case_and_an_ended_match_is_not_escalated() -> None:
    declined, [resolved] = triggers.declined(
        timed_out(), MatchDeclined(match_id="m-1", mentee_id="e-1", by="mentor"), None, NOW
    )
    assert isinstance(resolved, EscalationResolved)
    assert resolved.resolution == Resolution.ENDED
    assert declined is not None
    after, nothing = triggers.raise_case(
        declined, EscalationTrigger.RISK_FLAG, "late flag", None, NOW
    )
    assert nothing == []
    assert after["case"] is None


def rematch_case() -> Match:
    state: Match = {**proposed(), "status": MatchStatus.CONFIRMED}
    state, _ = triggers.raise_case(state, EscalationTrigger.MISSED_SESSIONS, "2 missed", None, NOW)
    assert case_of(state)["action"] == "rematch"
    ended = MatchEnded(**IDS, reason=MatchEndReason.REMATCHED, cause=EndCause.ESCALATION)
    waiting, none = triggers.ended(state, ended, None, NOW)
    assert none == []
    assert waiting is not None
    return waiting


def test_a_rematch_case_waits_for_the_new_match_and_runs_out_on_its_sla() -> None:
    waiting = rematch_case()
    assert case_of(waiting)["awaiting_new_match"] is True
    assert triggers.next_due(waiting) is not None
    late, events = triggers.due(waiting, NOW + timedelta(days=30), None)
    assert events == []
    assert late is not None
    assert case_of(late)["exhausted"] is True
    assert late["due_epoch"] is None


def test_a_case_at_the_top_of_the_ladder_stays_open_and_is_not_announced_again() -> None:
    state: Match = {**proposed(), "status": MatchStatus.CONFIRMED}
    state, _ = triggers.raise_case(state, EscalationTrigger.RISK_FLAG, "conflict", None, NOW)
    announced = 0
    at = NOW
    for _ in range(6):
        at += timedelta(days=10)
        after, events = triggers.due(state, at, None)
        assert after is not None
        state = after
        announced += len(events)
    assert case_of(state)["severity"] == "critical"
    assert case_of(state)["exhausted"] is True
    assert case_of(state)["status"] == "open"
    assert state["due_epoch"] is None
    assert 1 <= announced <= len(playbook.SEVERITIES)
