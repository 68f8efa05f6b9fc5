"""Programs published and people registered, as a coordinator onboards them."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from mentornet_tooling.demo.client import Api, until
from mentornet_tooling.demo.network import PROGRAMS, ProgramPlan, mentee, mentor


@dataclass
class Program:
    plan: ProgramPlan
    program_id: str
    mentors: list[str] = field(default_factory=list)
    mentees: list[str] = field(default_factory=list)

    @property
    def people(self) -> list[str]:
        return [*self.mentors, *self.mentees]


def enrol(api: Api, rng: random.Random, run: str, scale: float = 1.0) -> list[Program]:
    """`scale` shrinks or grows every program's head count (a quick run: 0.2)."""
    programs = []
    for plan in PROGRAMS:
        program_id = api.post("intake", "/programs", plan.spec)["program_id"]
        api.programs.append(program_id)
        api.post("intake", f"/programs/{program_id}/publish")
        programs.append(Program(plan, program_id))
    for program in programs:
        plan, pid = program.plan, program.program_id
        for n in range(max(2, round(plan.mentors * scale))):
            body = {**mentor(rng, n, plan, run), "program_id": pid}
            program.mentors.append(
                api.post("intake", "/participants/mentors", body)["participant_id"]
            )
        for n in range(max(2, round(plan.mentees * scale))):
            body = {**mentee(rng, n, plan, run), "program_id": pid}
            program.mentees.append(
                api.post("intake", "/participants/mentees", body)["participant_id"]
            )
    return programs


def _register(api: Api, role: str, body: dict[str, object]) -> str:
    return str(api.post("intake", f"/participants/{role}", body)["participant_id"])


def wait_until_matcher_knows(api: Api, programs: list[Program]) -> None:
    """Each program's last mentor and mentee: a partition's events arrive in order,
    so the matcher having the last ones of a few partitions means it caught up."""
    tail = [p for program in programs for p in (*program.mentors[-6:], *program.mentees[-6:])]

    def known() -> bool:
        return all(
            "error" not in api.call("GET", "matcher", f"/candidates/{pid}", allow=(404,))
            for pid in tail
        )

    until("the matcher's read model to hold everyone", known, timeout_s=120)
