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


async def test_an_address_twice_in_a_chunk_and_a_known_person_are_each_registered_once(
    intake: RunningService, unique: str
) -> None:
    """The chunk's new people are registered together; a row the bulk write cannot
    settle (the same address again, someone enrolled already) goes one by one."""
    program_id, coordinator = await open_program(intake, unique)
    grace = {
        "program_id": program_id,
        "display_name": "Grace",
        "email": f"grace-{unique}@example.org",
        "languages": ["en"],
        "skills": [{"skill_id": "python", "level": 5}],
        "consent": {"version": "2026-10", "accepted_at": "2026-11-01T09:00:00Z"},
    }
    mentor = await intake.http.post("/participants/mentors", json=grace, headers=coordinator)
    assert mentor.status_code == 201, mentor.text
    content, _ = csv_file(unique, count=4)
    text = content.decode()
    text = text.replace(f"p2-{unique}@example.org", f"Ada-{unique}@Example.org")
    text = text.replace(f"p3-{unique}@example.org", f"ada-{unique}@example.org")
    text = text.replace(f"p4-{unique}@example.org", f"grace-{unique}@example.org")
    report = (
        await intake.http.post(
            f"/programs/{program_id}/imports/mentee",
            content=text.encode(),
            headers={**coordinator, "Content-Type": "text/csv"},
        )
    ).json()
    assert (report["registered"], report["skipped"], report["rejected"]) == (3, 1, 0), report
    assert [r["row"] for r in report["skipped_rows"]] == [3]
    accepted = {r["row"]: r["participant_id"] for r in report["accepted_rows"]}
    assert sorted(accepted) == [1, 2, 4]
    assert accepted[4] == mentor.json()["participant_id"], "the mentor joins as a mentee"
    known = await intake.http.get(f"/participants/{accepted[4]}", headers=coordinator)
    assert sorted(known.json()["roles"]) == ["mentee", "mentor"]
