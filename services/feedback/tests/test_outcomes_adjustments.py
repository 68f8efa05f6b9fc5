"""Goal adjustments: the mentor proposes, the mentee answers; one open proposal per
goal; an accepted change becomes the match's goal. Pure rules."""

from __future__ import annotations

from datetime import timedelta

import pytest
from mentornet_chassis.errors import Conflict, Invalid, NotFound
from mentornet_feedback.domain import adjustments, outcomes
from mentornet_feedback.domain.adjustments import AdjustmentBody
from mentornet_feedback.domain.state import Match

from .builders import NOW
from .outcome_builders import (
    TODAY,
    confirmed,
    confirmed_event,
    ended,
    goal,
    goals_of,
    mentee,
)

pytestmark = pytest.mark.unit

LATER = (TODAY + timedelta(days=120)).isoformat()


def proposed(match: Match, **change: object) -> tuple[Match, str]:
    body = AdjustmentBody.model_validate(change or {"target_date": LATER})
    changed, event = adjustments.propose(match, goals_of(match), "g1", body, None, NOW)
    return changed, event.proposal_id


def test_a_proposal_is_announced_and_waits_for_the_mentee() -> None:
    body = AdjustmentBody.model_validate({"target_date": LATER, "note": "more time"})
    match, event = adjustments.propose(confirmed(), goals_of(confirmed()), "g1", body, "t1", NOW)
    assert event.change.target_date is not None
    assert event.change.target_date.isoformat() == LATER
    proposal = outcomes.outcomes_of(match)["adjustments"][event.proposal_id]
    assert proposal["status"] == "proposed"
    assert proposal["text_id"] == "t1"
    assert outcomes.goals_of(match, None)["g1"]["target_date"] != LATER


def test_a_second_open_proposal_for_the_goal_is_refused_with_the_open_one() -> None:
    match, proposal_id = proposed(confirmed())
    with pytest.raises(Conflict) as refused:
        proposed(match, measurable_outcome="Three reviews")
    assert refused.value.state["open"]["proposal_id"] == proposal_id


def test_an_accepted_proposal_becomes_the_match_goal() -> None:
    match, proposal_id = proposed(
        confirmed(),
        milestones=[{"milestone_id": "m9", "statement": "New step", "due_date": LATER}],
        target_date=LATER,
    )
    answered, event = adjustments.answer(match, goals_of(match), "g1", proposal_id, True, NOW)
    assert event.accepted
    assert event.goal is not None
    assert [m.milestone_id for m in event.goal.milestones] == ["m9"]
    goal = goals_of(answered)["g1"]
    assert goal["target_date"] == LATER
    assert goal["statement"] == "Goal g1"
    again, _ = proposed(answered, measurable_outcome="Three reviews")
    assert len(outcomes.outcomes_of(again)["adjustments"]) == 2


def test_a_declined_proposal_leaves_the_goal_and_cannot_be_answered_again() -> None:
    match, proposal_id = proposed(confirmed())
    answered, event = adjustments.answer(match, goals_of(match), "g1", proposal_id, False, NOW)
    assert not event.accepted
    assert event.goal is None
    assert goals_of(answered)["g1"] == goals_of(match)["g1"]
    with pytest.raises(Conflict) as refused:
        adjustments.answer(answered, goals_of(answered), "g1", proposal_id, True, NOW)
    assert refused.value.state["proposal"]["status"] == "declined"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({}, "body"),
        ({"target_date": TODAY.isoformat()}, "target_date"),
        (
            {"milestones": [{"milestone_id": "a", "statement": "x", "due_date": "2099-01-01"}]},
            "milestones[0].due_date",
        ),
        (
            {
                "milestones": [
                    {"milestone_id": "a", "statement": "x", "due_date": LATER},
                    {"milestone_id": "a", "statement": "y", "due_date": LATER},
                ],
                "target_date": LATER,
            },
            "milestones[1].milestone_id",
        ),
    ],
)
def test_a_change_that_is_not_smart_is_refused_naming_the_field(
    change: dict[str, object], field: str
) -> None:
    body = AdjustmentBody.model_validate(change)
    with pytest.raises(Invalid) as refused:
        adjustments.propose(confirmed(), goals_of(confirmed()), "g1", body, None, NOW)
    assert refused.value.field == field


YESTERDAY = (TODAY - timedelta(days=1)).isoformat()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (
            {"milestones": [{"milestone_id": "m9", "statement": "x", "due_date": YESTERDAY}]},
            "milestones[0].due_date",
        ),
        (
            {"milestones": [{"milestone_id": "m1", "statement": "x", "due_date": YESTERDAY}]},
            "milestones[0].due_date",
        ),
        ({"target_date": (TODAY + timedelta(days=15)).isoformat()}, "target_date"),
    ],
)
def test_a_milestone_due_in_the_past_or_a_target_before_a_milestone_is_refused(
    change: dict[str, object], field: str
) -> None:
    """The goal's milestones are due in 10 and 20 days, its target in 90."""
    body = AdjustmentBody.model_validate(change)
    with pytest.raises(Invalid) as refused:
        adjustments.propose(confirmed(), goals_of(confirmed()), "g1", body, None, NOW)
    assert refused.value.field == field


def test_a_milestone_kept_as_it_was_may_be_past_due() -> None:
    person = mentee(goal("g1", "python"), baseline={"python": 2})
    first = person["goals"][0]
    first["milestones"] = [{"milestone_id": "m1", "statement": "Step 1", "due_date": YESTERDAY}]
    match, _ = outcomes.on_confirmed(None, confirmed_event(), person, NOW)
    assert match is not None
    kept = {"milestone_id": "m1", "statement": "Step 1, done", "due_date": YESTERDAY}
    added = {"milestone_id": "m2", "statement": "Step 2", "due_date": LATER}
    body = AdjustmentBody.model_validate({"milestones": [kept, added], "target_date": LATER})
    changed, event = adjustments.propose(match, goals_of(match, person), "g1", body, None, NOW)
    assert event.change.milestones is not None
    assert len(outcomes.outcomes_of(changed)["adjustments"]) == 1


def test_unknown_goals_and_proposals_are_not_found() -> None:
    body = AdjustmentBody.model_validate({"target_date": LATER})
    with pytest.raises(NotFound):
        adjustments.propose(confirmed(), goals_of(confirmed()), "g9", body, None, NOW)
    with pytest.raises(NotFound):
        adjustments.answer(confirmed(), goals_of(confirmed()), "g1", "ga-none", True, NOW)


def test_an_ended_match_takes_no_proposal() -> None:
    with pytest.raises(Conflict) as refused:
        proposed(ended(confirmed()))
    assert refused.value.state["status"] == "ended"
