"""`mentornet intake import FILE` against a live intake: progress, outcome, exit status."""

from __future__ import annotations

import asyncio
import json
import os
import sys
from pathlib import Path

import pytest
from mentornet_chassis.http.auth import DEV_KEY, mint
from mentornet_tooling.testing.services import RunningService

from tests.support.helpers import open_program
from tests.support.rows import csv_file

pytestmark = pytest.mark.integration


async def mentornet(*args: str, env: dict[str, str]) -> tuple[int, str, str]:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "mentornet_tooling.cli",
        *args,
        env={**os.environ, **env},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(process.communicate(), timeout=240)
    assert process.returncode is not None
    return process.returncode, out.decode(), err.decode()


async def test_import_shows_progress_and_the_rejected_rows(
    intake: RunningService, unique: str, tmp_path: Path
) -> None:
    program_id, _ = await open_program(intake, unique)
    content, bad_rows = csv_file(unique, count=300)
    path = tmp_path / "people.csv"
    path.write_bytes(content)
    env = {
        "MENTORNET_TOKEN": mint(DEV_KEY, f"c-{unique}", ["coordinator"]),
        "MENTORNET_INTAKE_URL": str(intake.http.base_url).rstrip("/"),
    }
    args = ("intake", "import", str(path), "--program", program_id, "--role", "mentee")
    code, out, err = await mentornet(*args, "--poll", "0.1", env=env)
    assert code == 0, err
    bars = [line for line in err.splitlines() if line.startswith("[")]
    assert bars[-1].startswith(f"[{'#' * 30}] 300/300 rows 100.0%")
    assert "registered 285  skipped 0  rejected 15" in bars[-1]
    assert "285 registered, 0 already there, 15 rejected" in out
    assert [int(line.split()[1].rstrip(":")) for line in out.splitlines()[1:16]] == sorted(bad_rows)

    again = await mentornet(*args, env=env)
    assert again[0] == 0
    assert "0 registered, 285 already there, 15 rejected" in again[1]
    code, out, err = await mentornet(*args, "--json", env=env)
    assert code == 0, err
    job, *rows = [json.loads(line) for line in out.splitlines()]
    assert (job["status"], job["registered"], job["skipped"], job["rejected"]) == (
        "done",
        0,
        285,
        15,
    )
    assert sorted(row["row"] for row in rows) == sorted(bad_rows)
    assert all(row["errors"] for row in rows)

    refused = await mentornet(*args[:-1], "mentor", "--program", "prog-missing", env=env)
    assert refused[0] == 1, "a refusal is a failure"
    assert refused[2].startswith("mentornet intake import: refused: 404 program_id")
    assert len(refused[2].splitlines()) == 1
    no_token = await mentornet(*args, env={"MENTORNET_TOKEN": ""})
    assert (no_token[0], "set MENTORNET_TOKEN" in no_token[2]) == (2, True), "a usage error"
    missing = ("intake", "import", str(tmp_path / "gone.csv"), "--program", program_id)
    gone = await mentornet(*missing, "--role", "mentee", env=env)
    assert gone[0] == 1
    assert (
        gone[2] == f"mentornet intake import: {tmp_path / 'gone.csv'}: No such file or directory\n"
    )
