"""Bulk onboarding on the real stack: 1,000 rows, 50 bad; importing again adds nothing."""

from __future__ import annotations

import json

import pytest
from mentornet_tooling.testing.services import RunningService

from tests.support.helpers import open_program, token
from tests.support.rows import csv_file

pytestmark = pytest.mark.integration


async def test_thousand_rows_fifty_bad_then_reimport_registers_nothing(
    intake: RunningService, unique: str
) -> None:
    program_id, coordinator = await open_program(intake, unique)
    content, bad_rows = csv_file(unique)
    headers = {**coordinator, "Content-Type": "text/csv"}
    url = f"/programs/{program_id}/imports/mentee"
    first = await intake.http.post(url, content=content, headers=headers, timeout=300)
    assert first.status_code == 200, first.text
    report = first.json()
    assert (report["rows"], report["registered"], report["rejected"]) == (1000, 950, 50)
    assert {
        r["row"]: r["errors"][0]["field"].split(".")[0] for r in report["rejected_rows"]
    } == bad_rows
    assert all(r["errors"][0]["reason"] for r in report["rejected_rows"])
    again = (await intake.http.post(url, content=content, headers=headers, timeout=300)).json()
    assert (again["registered"], again["skipped"], again["rejected"]) == (0, 950, 50)
    assert again["skipped_rows"][0]["reason"] == "already registered as mentee in this program"


async def test_json_lines_and_refusals(intake: RunningService, unique: str) -> None:
    program_id, coordinator = await open_program(intake, unique)
    mentor = {
        "display_name": "Grace",
        "email": f"grace-{unique}@example.org",
        "languages": ["en"],
        "skills": [{"skill_id": "python", "level": 5}],
        "consent": {"version": "2026-10", "accepted_at": "2026-11-01T09:00:00Z"},
    }
    lines = "\n".join([json.dumps(mentor), "{broken", json.dumps([1, 2])]).encode()
    url = f"/programs/{program_id}/imports/mentor"
    report = (
        await intake.http.post(
            url, content=lines, headers={**coordinator, "Content-Type": "application/x-ndjson"}
        )
    ).json()
    assert (report["registered"], report["rejected"]) == (1, 2)
    assert report["rejected_rows"][0]["errors"][0]["reason"].startswith("not JSON")
    wrong_type = await intake.http.post(
        url, content=lines, headers={**coordinator, "Content-Type": "application/pdf"}
    )
    assert wrong_type.status_code == 415
    assert wrong_type.json()["field"] == "Content-Type"
    stranger = await intake.http.post(
        url,
        content=lines,
        headers={**token("c-other", "coordinator"), "Content-Type": "application/x-ndjson"},
    )
    assert stranger.status_code == 403
