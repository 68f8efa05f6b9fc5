"""Bulk onboarding on the real stack: 1,000 rows, 50 bad; importing again adds nothing."""

from __future__ import annotations

import csv
import io
import json

import pytest
from mentornet_chassis.testing.services import RunningService

from tests.support.helpers import open_program, token

pytestmark = pytest.mark.integration

COLUMNS = [
    "display_name",
    "email",
    "languages",
    "formats",
    "timezone",
    "weekly",
    "consent_version",
    "consent_accepted_at",
    "urgency",
]
BAD = [
    ("email", {"email": "not-an-address"}),
    ("consent", {"consent_version": "", "consent_accepted_at": ""}),
    ("languages", {"languages": "english"}),
    ("availability", {"timezone": "Mars/Olympus"}),
    ("availability", {"weekly": "mon 09:00-11:00;mon 10:00-12:00"}),
]


def row(n: int, unique: str) -> dict[str, str]:
    return {
        "display_name": f"Person {n}",
        "email": f"p{n}-{unique}@example.org",
        "languages": "en;de",
        "formats": "video",
        "timezone": "Europe/Berlin",
        "weekly": "tue 09:00-11:00;thu 15:00-17:00",
        "consent_version": "2026-10",
        "consent_accepted_at": "2026-11-01T09:00:00Z",
        "urgency": str(1 + n % 5),
    }


def csv_file(unique: str) -> tuple[bytes, dict[int, str]]:
    """1,000 rows; every 20th is bad in one of five ways. Returns the file and bad rows."""
    out, bad_rows = io.StringIO(), {}
    writer = csv.DictWriter(out, fieldnames=COLUMNS)
    writer.writeheader()
    for n in range(1, 1001):
        values = row(n, unique)
        if n % 20 == 0:
            field, change = BAD[(n // 20) % len(BAD)]
            values.update(change)
            bad_rows[n] = field
        writer.writerow(values)
    return out.getvalue().encode(), bad_rows


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
