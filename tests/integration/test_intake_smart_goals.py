"""SMART goals at intake's edge on the real stack: a goal without milestones is refused
naming its field, a SMART goal's milestones travel on mentee.registered and
goals.updated, a change of goals holds only new dates to today, a bulk row names every
goal problem; programs carry the outcomes they
collect."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta
from functools import partial

import pytest
from mentornet_contracts.catalogue import PARTICIPANTS, PROGRAMS
from mentornet_intake.app import build as build_intake
from mentornet_intake.settings import IntakeSettings
from mentornet_tooling.testing.backends import Endpoints
from mentornet_tooling.testing.clock import MovableClock
from mentornet_tooling.testing.examples import smart_goal
from mentornet_tooling.testing.kafka import find_records, header
from mentornet_tooling.testing.services import RunningService, running, service_settings

from tests.support.helpers import PROGRAM, mentee_body, open_program, token

pytestmark = pytest.mark.integration


def today() -> date:
    """Intake's today: the fixture runs it on the wall clock."""
    return datetime.now(UTC).date()


async def test_a_goal_without_milestones_is_refused_and_a_smart_one_travels(
    stack: Endpoints, intake: RunningService, unique: str
) -> None:
    program_id, coordinator = await open_program(intake, unique)
    bare = smart_goal(today(), milestones=0)
    refused = await intake.http.post(
        "/participants/mentees",
        headers=coordinator,
        json=mentee_body(unique, program_id, goals=[bare]),
    )
    assert refused.status_code == 422, refused.text
    assert refused.json()["field"] == "goals[0].milestones"
    assert "milestones" in refused.json()["reason"]

    goal = smart_goal(today(), milestones=3)
    created = await intake.http.post(
        "/participants/mentees",
        headers=coordinator,
        json=mentee_body(unique, program_id, goals=[goal]),
    )
    assert created.status_code == 201, created.text
    pid = created.json()["participant_id"]
    [record] = await find_records(
        stack.bootstrap_servers, PARTICIPANTS.name, lambda r: r.key == pid.encode(), count=1
    )
    assert header(record, "ce_type") == "mentornet.mentee.registered.v2"
    [sent] = json.loads(record.value)["goals"]
    assert sent["milestones"] == goal["milestones"]
    assert (sent["measurable_outcome"], sent["target_date"]) == (
        goal["measurable_outcome"],
        goal["target_date"],
    )


async def test_goals_set_later_are_smart_too(
    stack: Endpoints, intake: RunningService, unique: str
) -> None:
    program_id, coordinator = await open_program(intake, unique)
    created = await intake.http.post(
        "/participants/mentees", headers=coordinator, json=mentee_body(unique, program_id)
    )
    pid = created.json()["participant_id"]
    url = f"/participants/{pid}/goals"
    past = smart_goal(today(), "g2", target_date=(today() - timedelta(days=1)).isoformat())
    refused = await intake.http.put(
        url, headers=coordinator, json={"goals": [smart_goal(today()), past]}
    )
    assert refused.status_code == 422, refused.text
    assert refused.json()["field"] == "goals[1].target_date"
    assert [e["field"] for e in refused.json()["errors"]] == ["goals[1].target_date"]

    goal = smart_goal(today(), milestones=1)
    changed = await intake.http.put(url, headers=coordinator, json={"goals": [goal]})
    assert changed.status_code == 200, changed.text
    assert changed.json()["profiles"]["mentee"]["goals"][0]["milestones"] == goal["milestones"]
    records = await find_records(
        stack.bootstrap_servers, PARTICIPANTS.name, lambda r: r.key == pid.encode(), count=2
    )
    assert header(records[1], "ce_type") == "mentornet.goals.updated.v2"
    assert json.loads(records[1].value)["goals"][0]["milestones"] == goal["milestones"]


@pytest.fixture
async def intake_on_clock(stack: Endpoints) -> AsyncIterator[tuple[RunningService, MovableClock]]:
    """Intake on a clock the test moves (its "today" for SMART goals)."""
    clock = MovableClock(datetime.now(UTC))
    settings = service_settings(stack, IntakeSettings, "intake")
    async with running("intake", settings, partial(build_intake, clock=clock)) as service:
        yield service, clock


async def test_a_mid_programme_edit_holds_only_new_dates_to_today(
    intake_on_clock: tuple[RunningService, MovableClock], unique: str
) -> None:
    """Two months in, g1's first milestone is past: editing g2 (g1 sent back as it was)
    is taken; a new milestone due before today is refused naming it."""
    intake, clock = intake_on_clock
    start = clock().date()
    program_id, coordinator = await open_program(intake, unique)
    first, second = smart_goal(start, "g1", milestones=4), smart_goal(start, "g2")
    created = await intake.http.post(
        "/participants/mentees",
        headers=coordinator,
        json=mentee_body(unique, program_id, goals=[first, second]),
    )
    assert created.status_code == 201, created.text
    url = f"/participants/{created.json()['participant_id']}/goals"
    clock.advance(days=60)
    edited = {**second, "statement": "Ship two services on my own"}
    changed = await intake.http.put(url, headers=coordinator, json={"goals": [first, edited]})
    assert changed.status_code == 200, changed.text
    assert changed.json()["profiles"]["mentee"]["goals"][1]["statement"] == edited["statement"]

    late = {"milestone_id": "m9", "statement": "A step", "due_date": start.isoformat()}
    added = {**first, "milestones": [*first["milestones"], late]}
    refused = await intake.http.put(url, headers=coordinator, json={"goals": [added, edited]})
    assert refused.status_code == 422, refused.text
    assert refused.json()["field"] == "goals[0].milestones[4].due_date"


async def test_an_imported_row_names_every_goal_problem(
    intake: RunningService, unique: str
) -> None:
    program_id, coordinator = await open_program(intake, unique)
    row = {k: v for k, v in mentee_body(unique, program_id).items() if k != "program_id"}
    vague = smart_goal(today(), "g2", measurable_outcome="", milestones=0)
    lines = "\n".join(
        [
            json.dumps({**row, "goals": [smart_goal(today())]}),
            json.dumps({**row, "email": f"bea-{unique}@example.org", "goals": [vague]}),
        ]
    ).encode()
    answer = await intake.http.post(
        f"/programs/{program_id}/imports/mentee",
        content=lines,
        headers={**coordinator, "Content-Type": "application/x-ndjson"},
    )
    assert answer.status_code == 200, answer.text
    report = answer.json()
    assert (report["registered"], report["rejected"]) == (1, 1)
    [rejected] = report["rejected_rows"]
    assert [e["field"] for e in rejected["errors"]] == [
        "goals[0].measurable_outcome",
        "goals[0].milestones",
    ]


async def test_a_program_says_which_outcomes_it_collects(
    stack: Endpoints, intake: RunningService, unique: str
) -> None:
    coordinator = token(f"c-{unique}", "coordinator")
    spec = {**PROGRAM, "outcome_measures": ["skill_growth", "retention"]}
    created = await intake.http.post("/programs", json=spec, headers=coordinator)
    assert created.status_code == 201, created.text
    program_id = created.json()["program_id"]
    assert created.json()["outcome_measures"] == ["skill_growth", "retention"]
    await intake.http.post(f"/programs/{program_id}/publish", headers=coordinator)
    unknown = await intake.http.patch(
        f"/programs/{program_id}", headers=coordinator, json={"outcome_measures": ["promotion"]}
    )
    assert unknown.status_code == 422
    assert unknown.json()["field"].startswith("body.outcome_measures")
    every = await intake.http.patch(
        f"/programs/{program_id}", headers=coordinator, json={"outcome_measures": None}
    )
    assert every.status_code == 200, every.text
    shown = await intake.http.get(f"/programs/{program_id}", headers=coordinator)
    assert shown.json()["outcome_measures"] is None
    published, updated = await find_records(
        stack.bootstrap_servers, PROGRAMS.name, lambda r: r.key == program_id.encode(), count=2
    )
    assert json.loads(published.value)["outcome_measures"] == ["skill_growth", "retention"]
    assert header(updated, "ce_type") == "mentornet.program.updated.v2"
    assert len(json.loads(updated.value)["outcome_measures"]) == 6
