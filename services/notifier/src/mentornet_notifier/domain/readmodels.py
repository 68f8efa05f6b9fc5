"""The read models the notifier keeps from other services' facts: who a participant is
(program, role, time zone), a program's name, a match's two people."""

from __future__ import annotations

from typing import Any

from mentornet_contracts.events.matches import MatchConfirmed, MatchProposed
from mentornet_contracts.events.participants import (
    AvailabilityUpdated,
    MenteeRegistered,
    MentorRegistered,
    ParticipantErased,
    ParticipantWithdrawn,
)
from mentornet_contracts.events.programs import ProgramPublished, ProgramUpdated

from .documents import Match, Person, Program

UTC_ZONE = "UTC"


def _registered(state: Person | None, event: Any, role: str) -> Person | None:
    if state is not None and state.get("erased"):
        return None
    zone = event.availability.timezone if event.availability is not None else UTC_ZONE
    return Person(
        participant_id=event.participant_id,
        person_id=event.person_id or event.participant_id,
        program_id=event.program_id,
        role=role,
        time_zone=zone,
        status="active",
    )


def on_mentor(state: Person | None, event: MentorRegistered) -> Person | None:
    return _registered(state, event, "mentor")


def on_mentee(state: Person | None, event: MenteeRegistered) -> Person | None:
    return _registered(state, event, "mentee")


def on_availability(state: Person | None, event: AvailabilityUpdated) -> Person | None:
    if state is None or state.get("erased"):
        return None
    return {**state, "time_zone": event.availability.timezone}


def on_withdrawn(state: Person | None, event: ParticipantWithdrawn) -> Person | None:
    if state is None or state.get("erased"):
        return None
    return {**state, "status": "withdrawn"}


def on_erased(state: Person | None, event: ParticipantErased) -> Person:
    """What is left of an erased person: that they were erased, nothing else."""
    return Person(participant_id=event.participant_id, erased=True)


def on_program(state: Program | None, event: ProgramPublished) -> Program:
    return Program(program_id=event.program_id, name=event.name)


def on_program_updated(state: Program | None, event: ProgramUpdated) -> Program | None:
    if state is None or event.name is None:
        return None
    return {**state, "name": event.name}


def on_match(state: Match | None, event: MatchProposed | MatchConfirmed) -> Match:
    return Match(
        match_id=event.match_id,
        mentor_id=event.mentor_id,
        mentee_id=event.mentee_id,
        program_id=event.program_id,
    )


def reachable(person: Person) -> bool:
    """Someone the notifier may still write to: not erased, not withdrawn (intake
    gives no contact for either)."""
    return not person.get("erased") and person.get("status") != "withdrawn"
