"""Programs over HTTP on the real broker: roles, publish, update, and error bodies."""

from __future__ import annotations

import json
from typing import Any

import pytest
from mentornet_contracts.catalogue import PROGRAMS
from mentornet_tooling.testing.backends import Endpoints
from mentornet_tooling.testing.kafka import find_records, header
from mentornet_tooling.testing.services import RunningService

from tests.support.helpers import PROGRAM, token

pytestmark = pytest.mark.integration

SPEC = PROGRAM


async def create(intake: RunningService, coordinator: str) -> dict[str, Any]:
    response = await intake.http.post(
        "/programs", json=SPEC, headers=token(coordinator, "coordinator")
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


async def test_publish_then_update_emits_both_events(
    stack: Endpoints, intake: RunningService, unique: str
) -> None:
    coordinator = token(f"c-{unique}", "coordinator")
    program_id = (await create(intake, f"c-{unique}"))["program_id"]
    published = await intake.http.post(f"/programs/{program_id}/publish", headers=coordinator)
    assert published.status_code == 200
    assert published.json()["status"] == "published"
    patched = await intake.http.patch(
        f"/programs/{program_id}", headers=coordinator, json={"qa_sample_rate": 0.3}
    )
    assert patched.status_code == 200
    records = await find_records(
        stack.bootstrap_servers, PROGRAMS.name, lambda r: r.key == program_id.encode(), count=2
    )
    assert [header(r, "ce_type") for r in records] == [
        "mentornet.program.published.v2",
        "mentornet.program.updated.v2",
    ]
    assert json.loads(records[0].value)["cadence"] == SPEC["cadence"]
    assert json.loads(records[1].value) == {
        **{k: None for k in json.loads(records[1].value)},
        "program_id": program_id,
        "qa_sample_rate": 0.3,
    }


async def test_roles_and_errors(intake: RunningService, unique: str) -> None:
    program_id = (await create(intake, f"c-{unique}"))["program_id"]
    http = intake.http
    no_token = await http.post("/programs", json=SPEC)
    assert no_token.status_code == 401
    assert no_token.json()["error"] == "unauthorized"
    mentor = await http.post("/programs", json=SPEC, headers=token("m-1", "mentor"))
    assert mentor.status_code == 403
    stranger = await http.get(f"/programs/{program_id}", headers=token("c-x", "coordinator"))
    assert stranger.status_code == 403
    claimed = await http.get(
        f"/programs/{program_id}", headers=token("c-x", "coordinator", programs=[program_id])
    )
    assert claimed.status_code == 200
    owner = token(f"c-{unique}", "coordinator")
    missing = await http.get("/programs/prog-nope", headers=owner)
    assert missing.status_code == 404
    assert missing.json()["field"] == "program_id"
    bad = await http.patch(f"/programs/{program_id}", headers=owner, json={"cohort_size": 3})
    assert bad.status_code == 422
    assert "only to cohort programs" in bad.json()["errors"][0]["reason"]
    unknown_field = await http.post("/programs", headers=owner, json={**SPEC, "colour": "red"})
    assert unknown_field.status_code == 422
    assert unknown_field.json()["errors"][0]["field"] == "body.colour"
    assert (await http.post(f"/programs/{program_id}/publish", headers=owner)).status_code == 200
    again = await http.post(f"/programs/{program_id}/publish", headers=owner)
    assert again.status_code == 409
    assert again.json() == {
        "error": "conflict",
        "field": "status",
        "reason": "program is already published",
        "errors": [{"field": "status", "reason": "program is already published"}],
    }


async def test_session_format_and_longest_pause_are_published_and_updated(
    stack: Endpoints, intake: RunningService, unique: str
) -> None:
    owner = token(f"c-{unique}", "coordinator")
    http = intake.http
    bad = await http.post("/programs", headers=owner, json={**SPEC, "max_pause_weeks": 27})
    assert bad.status_code == 422
    assert bad.json()["field"] == "body.max_pause_weeks"
    odd = await http.post("/programs", headers=owner, json={**SPEC, "session_format": "fax"})
    assert odd.status_code == 422
    assert odd.json()["field"] == "body.session_format"
    created = await http.post(
        "/programs", headers=owner, json={**SPEC, "session_format": "async", "max_pause_weeks": 6}
    )
    assert created.status_code == 201, created.text
    assert created.json()["session_format"] == "async"
    assert created.json()["max_pause_weeks"] == 6
    program_id = created.json()["program_id"]
    assert (await http.post(f"/programs/{program_id}/publish", headers=owner)).status_code == 200
    removed = await http.patch(
        f"/programs/{program_id}", headers=owner, json={"session_format": None}
    )
    assert removed.status_code == 422
    assert removed.json()["field"] == "session_format"
    too_long = await http.patch(
        f"/programs/{program_id}", headers=owner, json={"max_pause_weeks": 0}
    )
    assert too_long.status_code == 422
    assert too_long.json()["field"] == "body.max_pause_weeks"
    patched = await http.patch(
        f"/programs/{program_id}",
        headers=owner,
        json={"session_format": "video", "max_pause_weeks": 10},
    )
    assert patched.status_code == 200, patched.text
    assert (await http.get(f"/programs/{program_id}", headers=owner)).json()[
        "max_pause_weeks"
    ] == 10
    records = await find_records(
        stack.bootstrap_servers, PROGRAMS.name, lambda r: r.key == program_id.encode(), count=2
    )
    published, updated = (json.loads(r.value) for r in records)
    assert (published["session_format"], published["max_pause_weeks"]) == ("async", 6)
    assert (updated["session_format"], updated["max_pause_weeks"]) == ("video", 10)
