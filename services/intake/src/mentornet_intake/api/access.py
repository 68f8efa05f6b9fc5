"""What intake's routes act on, for the policy (mentornet_chassis.http.policy): a program is
its coordinators' (those whose token names it, and whoever created it); a participant is
theirs and their program's coordinators'; an import job is its program's coordinators'.

Also the caller as intake's use cases know them (domain/caller.py), made from a token's
principal here, so no use case reads a token.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial

from mentornet_chassis.http.auth import Principal, Role
from mentornet_chassis.http.guard import Resolver
from mentornet_chassis.http.policy import Grant, Resource

from ..domain.caller import Caller
from ..domain.import_job import ImportJob
from ..domain.participant import themselves
from ..domain.programs import ProgramState
from ..store.import_jobs import ImportJobs
from ..store.participants import ParticipantStore
from ..store.programs import ProgramStore


def runs(principal: Principal, program: ProgramState) -> bool:
    """A coordinator of this program: named for it in the token, or its creator."""
    return principal.runs(program["program_id"]) or (
        principal.has(Role.COORDINATOR) and principal.subject in program["coordinators"]
    )


def acts_for_program(principal: Principal, program: ProgramState) -> bool:
    return principal.has(Role.SERVICE) or runs(principal, program)


def caller_of(principal: Principal) -> Caller:
    return Caller(
        subject=principal.subject,
        roles=frozenset(principal.roles),
        programs=principal.programs,
        enrolments=principal.enrolments,
        verified_email=principal.verified_email,
        is_service=principal.has(Role.SERVICE),
        acts_for=partial(acts_for_program, principal),
    )


def job_owner(job: ImportJob) -> Caller:
    """Who started an import job: its rows are registered as if they sent each one."""
    owner = job["owner"]
    principal = Principal(
        subject=owner["subject"],
        roles=frozenset(Role(r) for r in owner["roles"]),
        programs=frozenset(owner["programs"]),
    )
    return caller_of(principal)


def _program(state: ProgramState) -> Resource:
    return Resource(
        programs=frozenset({state["program_id"]}),
        people={Grant.COORDINATOR: frozenset(state["coordinators"])},
    )


def resolvers(
    participants: ParticipantStore, programs: ProgramStore, jobs: ImportJobs
) -> Mapping[str, Resolver]:
    async def program(path: Mapping[str, str]) -> Resource | None:
        found = await programs.get(path["program_id"])
        return _program(found) if found is not None else None

    async def participant(path: Mapping[str, str]) -> Resource | None:
        found = await participants.get(path["participant_id"])
        if found is None:
            return None
        owners = await programs.get(found["program_id"])
        people = {Grant.SELF: themselves(found)}
        if owners is not None:
            people[Grant.COORDINATOR] = frozenset(owners["coordinators"])
        return Resource(programs=frozenset({found["program_id"]}), people=people)

    async def job(path: Mapping[str, str]) -> Resource | None:
        found = await jobs.get(path["job_id"])
        if found is None:
            return None
        owners = await programs.get(found["program_id"])
        creators = frozenset(owners["coordinators"]) if owners else frozenset()
        return Resource(
            programs=frozenset({found["program_id"]}),
            people={Grant.COORDINATOR: creators | {found["owner"]["subject"]}},
        )

    return {"program": program, "participant": participant, "job": job}
