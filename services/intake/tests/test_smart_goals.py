"""SMART goals: every refusal names its field, a SMART goal passes, the day boundaries
hold; checked where "today" is known (registrar, goals change, bulk rows). Without a
broker or database."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace
from typing import Any, cast

import pytest
from mentornet_contracts.events.common import Goal
from mentornet_intake.domain import smart
from mentornet_intake.domain.bulk import RowError, validate
from mentornet_intake.domain.caller import Caller
from mentornet_intake.domain.forms import MenteeRegistration
from mentornet_intake.domain.participant import ParticipantState, ParticipantStatus
from mentornet_intake.domain.profile import GoalsChange
from mentornet_intake.domain.smart import NO_MILESTONES, NO_OUTCOME, NO_TARGET, NotSmart
from mentornet_intake.domain.taxonomy import Taxonomy, load_default
from mentornet_intake.usecases.participants import ParticipantDesk
from mentornet_intake.usecases.registrar import Registrar
from mentornet_tooling.testing.examples import smart_goal

pytestmark = pytest.mark.unit

NOW = datetime(2026, 12, 1, 23, 30, tzinfo=UTC)
TODAY = NOW.date()
CONSENT = {"version": "1", "accepted_at": "2026-11-01T09:00:00Z"}


def goal(milestones: int | list[dict[str, str]] = 2, **fields: Any) -> Goal:
    """The example SMART goal, or it with `fields` and the given milestones over it."""
    count = milestones if isinstance(milestones, int) else 1
    body = smart_goal(TODAY, milestones=count, **fields)
    if isinstance(milestones, list):
        body["milestones"] = milestones
    return Goal.model_validate(body)


def milestone(milestone_id: str, due: date) -> dict[str, str]:
    return {"milestone_id": milestone_id, "statement": "A step", "due_date": due.isoformat()}


def fields_of(goals: list[Goal]) -> list[str]:
    return [problem["field"] for problem in smart.problems(goals, TODAY)]


def test_a_smart_goal_passes() -> None:
    assert smart.problems([goal(), goal(goal_id="g2", milestones=10)], TODAY) == []


def test_a_goal_without_milestones_names_them() -> None:
    assert smart.problems([goal(milestones=0)], TODAY) == [
        {"field": "goals[0].milestones", "reason": NO_MILESTONES}
    ]


@pytest.mark.parametrize("outcome", ["", "   "])
def test_a_goal_without_a_measurable_outcome_names_it(outcome: str) -> None:
    found = smart.problems([goal(), goal(goal_id="g2", measurable_outcome=outcome)], TODAY)
    assert found == [{"field": "goals[1].measurable_outcome", "reason": NO_OUTCOME}]


def test_a_goal_without_a_target_date_names_it() -> None:
    undated = goal(goal_id="g2").model_copy(update={"target_date": None})
    assert smart.problems([goal(), undated], TODAY) == [
        {"field": "goals[1].target_date", "reason": NO_TARGET}
    ]


def test_the_target_date_must_be_after_today() -> None:
    on_the_day = [milestone("m1", TODAY)]
    assert fields_of([goal(target_date=TODAY.isoformat(), milestones=on_the_day)]) == [
        "goals[0].target_date"
    ]
    [problem] = smart.problems([goal(target_date="2026-11-30", milestones=on_the_day)], TODAY)
    assert problem["field"] == "goals[0].target_date"
    assert "2026-11-30 must be after today (2026-12-01)" in problem["reason"]


def test_the_day_boundaries_are_inclusive_for_milestones() -> None:
    """A target date tomorrow, one milestone due today and one due on the target date."""
    tomorrow = TODAY + timedelta(days=1)
    edge = goal(
        target_date=tomorrow.isoformat(),
        milestones=[milestone("m1", TODAY), milestone("m2", tomorrow)],
    )
    assert smart.problems([edge], TODAY) == []


def test_a_milestone_outside_today_to_the_target_date_names_its_due_date() -> None:
    target = TODAY + timedelta(days=30)
    late = goal(
        target_date=target.isoformat(),
        milestones=[
            milestone("m1", TODAY),
            milestone("m2", TODAY - timedelta(days=1)),
            milestone("m3", target + timedelta(days=1)),
        ],
    )
    found = smart.problems([late], TODAY)
    assert [p["field"] for p in found] == [
        "goals[0].milestones[1].due_date",
        "goals[0].milestones[2].due_date",
    ]
    assert (
        "between today (2026-12-01) and the goal's target date (2026-12-31)" in (found[1]["reason"])
    )


def test_milestone_ids_are_unique_within_a_goal() -> None:
    due = TODAY + timedelta(days=7)
    twice = goal(milestones=[milestone("m1", due), milestone("m2", due), milestone("m1", due)])
    [problem] = smart.problems([twice], TODAY)
    assert problem["field"] == "goals[0].milestones[2].milestone_id"
    assert "'m1' is repeated" in problem["reason"]


def test_the_contract_bounds_milestones_at_ten() -> None:
    with pytest.raises(ValueError, match="at most 10"):
        goal(milestones=11)


def test_every_problem_is_in_the_refusal_body() -> None:
    with pytest.raises(NotSmart) as refused:
        smart.check([goal(milestones=0), goal(goal_id="g2", measurable_outcome="")], TODAY)
    assert refused.value.status == 422
    body = refused.value.body
    assert (body["field"], body["reason"]) == ("goals[0].milestones", NO_MILESTONES)
    assert [e["field"] for e in body["errors"]] == [
        "goals[0].milestones",
        "goals[1].measurable_outcome",
    ]


def registration(*goals: dict[str, Any]) -> MenteeRegistration:
    return MenteeRegistration.model_validate(
        {
            "program_id": "prog-1",
            "display_name": "Ada",
            "email": "ada@example.org",
            "languages": ["en"],
            "consent": CONSENT,
            "goals": list(goals),
        }
    )


async def test_the_registrar_checks_goals_against_its_clock() -> None:
    unused = cast(Any, None)
    registrar = Registrar(unused, unused, lambda: None, unused, unused, lambda: NOW)
    body = registration(smart_goal(TODAY, milestones=0))
    with pytest.raises(NotSmart) as refused:
        await registrar.enrol(body, Caller(subject="ada"), None)
    assert refused.value.field == "goals[0].milestones"


class OneParticipant:
    """The participant store of a desk that changes one mentee's goals."""

    def __init__(self, goals: list[dict[str, Any]]) -> None:
        self.state: ParticipantState = {
            "participant_id": "p-1",
            "program_id": "prog-1",
            "status": ParticipantStatus.ACTIVE,
            "roles": ["mentee"],
            "profiles": {"mentee": {"goals": goals}},
        }

    async def get(self, participant_id: str) -> ParticipantState:
        return self.state

    async def apply(self, participant_id: str, decide: Any) -> Any:
        state, emitted = decide(self.state)
        self.state = state or self.state
        return SimpleNamespace(state=self.state, emitted=emitted)


class Taxonomies:
    async def current(self) -> Taxonomy:
        return load_default()


def desk_on(at: datetime, goals: list[dict[str, Any]]) -> ParticipantDesk:
    store = cast(Any, OneParticipant(goals))
    return ParticipantDesk(
        store, cast(Any, Taxonomies()), cast(Any, None), lambda: None, cast(Any, None), lambda: at
    )


async def test_a_goals_change_is_checked_against_the_desk_clock() -> None:
    later = NOW + timedelta(days=400)
    desk = desk_on(later, [])
    change = GoalsChange.model_validate({"goals": [smart_goal(TODAY)]})
    with pytest.raises(NotSmart) as refused:
        await desk.change_goals("p-1", change)
    assert refused.value.field == "goals[0].target_date"


SET = [smart_goal(TODAY, "g1", milestones=4), smart_goal(TODAY, "g2", milestones=2)]
"""The goals as set on TODAY, each with a target date 26 weeks on."""
LATER = NOW + timedelta(days=60)
"""By then g1's first milestone (due in 45 days) is past; g2's (in 91 days) is not."""


async def test_an_unchanged_goal_with_a_past_milestone_passes_a_change_of_another() -> None:
    desk = desk_on(LATER, SET)
    edited = {**SET[1], "statement": "Ship two services"}
    change = GoalsChange.model_validate({"goals": [SET[0], edited]})
    changed = await desk.change_goals("p-1", change)
    assert changed["profiles"]["mentee"]["goals"][1]["statement"] == "Ship two services"


async def test_a_changed_goal_keeps_its_past_milestone_but_new_dates_meet_today() -> None:
    desk = desk_on(LATER, SET)
    kept_past = {**SET[0], "statement": "Ship a service and run it"}
    await desk.change_goals("p-1", GoalsChange.model_validate({"goals": [kept_past, SET[1]]}))
    moved = [
        {**m, "due_date": (TODAY + timedelta(days=1)).isoformat()} for m in SET[0]["milestones"][:1]
    ]
    new_past = {**SET[0], "milestones": moved + SET[0]["milestones"][1:]}
    earlier = {**SET[1], "target_date": (LATER.date() - timedelta(days=1)).isoformat()}
    change = GoalsChange.model_validate({"goals": [new_past, earlier]})
    with pytest.raises(NotSmart) as refused:
        await desk.change_goals("p-1", change)
    assert [p["field"] for p in refused.value.problems] == [
        "goals[0].milestones[0].due_date",
        "goals[1].target_date",
    ]


def test_a_goal_as_it_was_passes_whatever_today_is() -> None:
    """Only what changed meets today: an edited statement keeps the dates as they were,
    a new target date is checked."""
    before = [goal(), goal(goal_id="g2")]
    far = TODAY + timedelta(days=1000)
    assert smart.problems(before, far, before=before) == []
    edited = goal(goal_id="g2", statement="New")
    assert smart.problems([goal(), edited], far, before=before) == []
    moved = goal(goal_id="g2", target_date=(far - timedelta(days=1)).isoformat())
    found = smart.problems([goal(), moved], far, before=before)
    assert [p["field"] for p in found] == ["goals[1].target_date"]


def test_a_bulk_row_names_every_goal_problem() -> None:
    row = {
        "display_name": "Ada",
        "email": "ada@example.org",
        "languages": ["en"],
        "consent": CONSENT,
        "goals": [smart_goal(TODAY), smart_goal(TODAY, "g2", milestones=0, measurable_outcome="")],
    }
    result = validate(4, row, "prog-1", "mentee", NOW)
    assert isinstance(result, RowError)
    assert [e["field"] for e in result.errors] == [
        "goals[1].measurable_outcome",
        "goals[1].milestones",
    ]
    assert isinstance(
        validate(5, {**row, "goals": [smart_goal(TODAY)]}, "p", "mentee", NOW), MenteeRegistration
    )
