"""Batch matching per program, then everyone's decisions by the program's approval
mode: coordinators approve what is in review, mentees pick one of their shortlisted
options (approve), mentors accept (a few decline, and the matcher places those
mentees again)."""

from __future__ import annotations

import random
import time
from functools import partial
from typing import Any

from mentornet_tooling.demo.client import Api, Json, until
from mentornet_tooling.demo.enrolment import Program

DECLINE_SHARE = 0.05
PAUSE_S = 0.5
"""Between two rounds of decisions: time for the matcher to propose again."""


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
        time.sleep(PAUSE_S)


def _decide(api: Api, program: Program, rng: random.Random) -> int:
    """Every decision the board waits for, made at once; how many there were."""
    picked: set[str] = set()
    decisions: list[tuple[Json, float]] = []
    for match in board(api, program)["matches"]:
        if match["status"] == "shortlisted":
            if match["mentee_id"] in picked:
                continue
            picked.add(match["mentee_id"])
        if match["status"] in ("in_review", "shortlisted", "proposed"):
            decisions.append((match, rng.random()))
    api.each(partial(_make, api), decisions)
    return len(decisions)


def _make(api: Api, decision: tuple[Json, float]) -> None:
    match, draw = decision
    path = f"/matches/{match['match_id']}"
    if match["status"] == "in_review":
        refused = api.post("matcher", f"{path}/approve", allow=(409,))
        if refused.get("error") == "conflict" and refused.get("field") == "mentor_id":
            # the mentor filled up since the proposal: the coordinator rejects it and
            # the matcher places the mentee again
            body = {"reason": "the mentor has no capacity left"}
            api.post("matcher", f"{path}/decline", body, allow=(409, 422))
    elif match["status"] == "shortlisted":
        api.post("matcher", f"{path}/approve", as_=_as(match, "mentee"), allow=(409,))
    elif draw < DECLINE_SHARE:
        body = {"reason": "no room this quarter"}
        api.post("matcher", f"{path}/decline", body, as_=_as(match, "mentor"), allow=(409, 422))
    else:
        api.post("matcher", f"{path}/accept", as_=_as(match, "mentor"), allow=(409,))


def _as(match: dict[str, Any], side: str) -> tuple[str, str]:
    return match[f"{side}_id"], side


def confirmed(api: Api, program: Program) -> list[Json]:
    return [m for m in board(api, program)["matches"] if m["status"] == "confirmed"]
