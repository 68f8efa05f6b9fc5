"""Programs published and people registered, as a coordinator onboards them."""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from mentornet_chassis.process.clock import FileClock

from mentornet_tooling.demo.client import Api, until
from mentornet_tooling.demo.network import PROGRAMS, ProgramPlan, mentee, mentor

BATCH = 25
"""People registered between two progress counts, CONCURRENCY of them at a time."""


@dataclass
class Program:
    plan: ProgramPlan
    program_id: str
    mentors: list[str] = field(default_factory=list)
    mentees: list[str] = field(default_factory=list)
    profiles: dict[str, dict[str, Any]] = field(default_factory=dict)
    """What each person registered with, by participant id."""

    @property
    def people(self) -> list[str]:
        return [*self.mentors, *self.mentees]


def publish(api: Api) -> list[Program]:
    programs = []
    for plan in PROGRAMS:
        program_id = api.post("intake", "/programs", plan.spec)["program_id"]
        api.programs.append(program_id)
        api.post("intake", f"/programs/{program_id}/publish")
        programs.append(Program(plan, program_id))
    return programs


def head_counts(programs: list[Program], scale: float) -> list[tuple[int, int]]:
    """Mentors and mentees each program enrols; `scale` shrinks or grows them (the quick
    run: 0.25), at least two of each. Scaled down, a program keeps enough mentors in each
    time zone for that zone's mentees: otherwise a few mentees have no mentor within
    reach, wait for good, and an experiment that drew them never completes."""
    counts = []
    for program in programs:
        plan = program.plan
        mentees = max(2, round(plan.mentees * scale))
        mentors = max(2, round(plan.mentors * scale))
        if scale < 1:
            per_zone = math.ceil(mentees / len(plan.zones))
            room = math.ceil(per_zone / int(plan.spec["max_active_mentees_per_mentor"]))
            mentors = max(mentors, room * len(plan.zones))
        counts.append((mentors, mentees))
    return counts


def enrol(
    api: Api,
    programs: list[Program],
    rng: random.Random,
    run: str,
    scale: float,
    registered: Callable[[int], None] = lambda done: None,
) -> None:
    """Register every program's people; `registered` hears how many so far."""
    today = FileClock(api.cfg.clock_file)().date()
    done = 0
    for program, (mentors, mentees) in zip(programs, head_counts(programs, scale), strict=True):
        plan, pid = program.plan, program.program_id
        mentor_bodies = [mentor(rng, n, plan, run) for n in range(mentors)]
        mentee_bodies = [mentee(rng, n, plan, run, today) for n in range(mentees)]
        for role, people, bodies in (
            ("mentors", program.mentors, mentor_bodies),
            ("mentees", program.mentees, mentee_bodies),
        ):
            for start in range(0, len(bodies), BATCH):
                chunk = [{**body, "program_id": pid} for body in bodies[start : start + BATCH]]
                people.extend(api.each(partial(_register, api, program, role), chunk))
                done += len(chunk)
                registered(done)


def _register(api: Api, program: Program, role: str, body: dict[str, Any]) -> str:
    participant_id = str(api.post("intake", f"/participants/{role}", body)["participant_id"])
    program.profiles[participant_id] = body
    return participant_id


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
