"""Batch matching per program, then everyone's decisions by the program's approval
mode: coordinators approve what is in review, mentees pick one of their shortlisted
options (approve), mentors accept (a few decline, and the matcher places those
mentees again)."""

from __future__ import annotations

import random
import time
from typing import Any

from mentornet_tooling.demo.client import Api, Json, until
from mentornet_tooling.demo.enrolment import Program

DECLINE_SHARE = 0.05


def run_batches(api: Api, programs: list[Program]) -> dict[str, Json]:
    runs: dict[str, Json] = {}
    for program in programs:
        api.post("matcher", f"/programs/{program.program_id}/matching-runs")
    for program in programs:
        path = f"/programs/{program.program_id}/matching-runs/latest"

        def finished(path: str = path) -> bool:
            latest = api.get("matcher", path)
            return not latest["pending"] and bool(latest["last"])

        until(f"the batch run of {program.plan.key}", finished, timeout_s=120)
        runs[program.plan.key] = api.get("matcher", path)["last"]
    return runs


def board(api: Api, program: Program) -> Json:
    return api.get("matcher", f"/programs/{program.program_id}/matches")


def decide_all(api: Api, programs: list[Program], rng: random.Random, rounds: int = 20) -> None:
    """Until nothing waits for a person's decision (new proposals after declines and
    rematches included)."""
    for _ in range(rounds):
        pending = sum(_decide(api, program, rng) for program in programs)
        if pending == 0:
            return
        time.sleep(1.0)


def _decide(api: Api, program: Program, rng: random.Random) -> int:
    pending = 0
    picked: set[str] = set()
    for match in board(api, program)["matches"]:
        status, match_id = match["status"], match["match_id"]
        if status == "in_review":
            api.post("matcher", f"/matches/{match_id}/approve", allow=(409,))
        elif status == "shortlisted" and match["mentee_id"] not in picked:
            picked.add(match["mentee_id"])
            mentee = _as(match, "mentee")
            api.post("matcher", f"/matches/{match_id}/approve", as_=mentee, allow=(409,))
        elif status == "proposed":
            _answer(api, match, rng)
        else:
            continue
        pending += 1
    return pending


def _answer(api: Api, match: dict[str, Any], rng: random.Random) -> None:
    path = f"/matches/{match['match_id']}"
    if rng.random() < DECLINE_SHARE:
        body = {"reason": "no room this quarter"}
        api.post("matcher", f"{path}/decline", body, as_=_as(match, "mentor"), allow=(409, 422))
    else:
        api.post("matcher", f"{path}/accept", as_=_as(match, "mentor"), allow=(409,))


def _as(match: dict[str, Any], side: str) -> tuple[str, str]:
    return match[f"{side}_id"], side


def confirmed(api: Api, program: Program) -> list[Json]:
    return [m for m in board(api, program)["matches"] if m["status"] == "confirmed"]
