"""What intake's routes act on, for the policy (mentornet_chassis.http.policy): a program is
its coordinators' (those whose token names it, and whoever created it); a participant is
theirs and their program's coordinators'; an import job is its program's coordinators'."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from mentornet_chassis.http.auth import Principal, Role
from mentornet_chassis.http.guard import Resolver
from mentornet_chassis.http.policy import Grant, Resource
from mentornet_chassis.store.aggregates import AggregateStore, State

if TYPE_CHECKING:
    from .import_jobs import ImportJobs
    from .store import ParticipantStore

TEAM = (Grant.COORDINATOR, Grant.SERVICE)
PERSONAL = ("diversity",)
"""Shown only to the person themself (docs/privacy.md)."""


def runs(principal: Principal, program: State) -> bool:
    """A coordinator of this program: named for it in the token, or its creator."""
    return principal.runs(program["program_id"]) or (
        principal.has(Role.COORDINATOR) and principal.subject in program["coordinators"]
    )


def acts_for_program(principal: Principal, program: State) -> bool:
    return principal.has(Role.SERVICE) or runs(principal, program)


def themselves(participant: State) -> frozenset[str]:
    """Who is this participant: the account that registered itself, the person behind
    the enrolment, and the participant id (someone a coordinator registered is themself
    too)."""
    named = (
        participant.get("account"),
        participant["participant_id"],
        participant.get("person_id"),
    )
    return frozenset(s for s in named if s)


def seen_by(principal: Principal, participant: State) -> dict[str, Any]:
    """The participant as this caller may see them: without the e-mail key, and without
    self-identified attributes unless the caller is the person."""
    mine = bool(principal.ids & themselves(participant))
    hidden = {"email_key", *([] if mine else PERSONAL)}
    return {k: v for k, v in participant.items() if k not in hidden}


def _program(state: State) -> Resource:
    return Resource(
        programs=frozenset({state["program_id"]}),
        people={Grant.COORDINATOR: frozenset(state["coordinators"])},
    )


def resolvers(
    participants: ParticipantStore, program_store: AggregateStore, jobs: ImportJobs
) -> Mapping[str, Resolver]:
    async def program(path: Mapping[str, str]) -> Resource | None:
        found = await program_store.get_state(path["program_id"])
        return _program(found) if found is not None else None

    async def participant(path: Mapping[str, str]) -> Resource | None:
        found = await participants.get(path["participant_id"])
        if found is None:
            return None
        owners = await program_store.get_state(found["program_id"])
        people = {Grant.SELF: themselves(found)}
        if owners is not None:
            people[Grant.COORDINATOR] = frozenset(owners["coordinators"])
        return Resource(programs=frozenset({found["program_id"]}), people=people)

    async def job(path: Mapping[str, str]) -> Resource | None:
        found = await jobs.get(path["job_id"])
        if found is None:
            return None
        owners = await program_store.get_state(found["program_id"])
        creators = frozenset(owners["coordinators"]) if owners else frozenset()
        return Resource(
            programs=frozenset({found["program_id"]}),
            people={Grant.COORDINATOR: creators | {found["owner"]["subject"]}},
        )

    return {"program": program, "participant": participant, "job": job}
