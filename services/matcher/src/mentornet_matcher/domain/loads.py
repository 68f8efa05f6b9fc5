"""A mentor's load: the matches holding their capacity, across every program.

A load belongs to the person, not the enrolment: someone mentoring in two programs has
one load, so their own limit and their monthly hours hold across both. Reserving is a
check and a write on one aggregate, so concurrent proposals and approvals for the same
person serialise on its version: capacity is never exceeded.
"""

from __future__ import annotations

from mentornet_contracts.events.participants import MentorRegistered

from .documents import Hold, Load
from .rules import MentorLoad, Rules


class NoCapacity(Exception):
    """The mentor's capacity was taken in the meantime."""


def holder(mentor: MentorRegistered) -> str:
    """Whose load a mentor's places are held on: their person's (records from before
    person ids name the enrolment instead)."""
    return mentor.person_id or mentor.participant_id


def empty(mentor_id: str) -> Load:
    return {"mentor_id": mentor_id, "holds": {}}


def load_in(load: Load | None, program_id: str) -> MentorLoad:
    """A cohort's members share their sessions, so a cohort's hours count once."""
    holds = list(load["holds"].values()) if load else []
    own = sum(float(h["hours"]) for h in holds if not h.get("shared"))
    shared = {h["program_id"]: float(h["hours"]) for h in holds if h.get("shared")}
    return MentorLoad(
        active_in_program=sum(1 for h in holds if h["program_id"] == program_id),
        monthly_hours=own + sum(shared.values()),
        active_everywhere=len(holds),
    )


def reserve(
    load: Load | None,
    mentor_id: str,
    match_id: str,
    program_id: str,
    hours: float,
    room: int,
    *,
    shared: bool = False,
) -> Load:
    """Hold one place for the match; `room` is the capacity left before this one.
    `shared`: a cohort member, whose group's hours count once for the mentor.
    Holding the same match twice changes nothing (and returns `load` itself)."""
    current = load or empty(mentor_id)
    if match_id in current["holds"]:
        return current
    if room <= 0:
        raise NoCapacity(f"mentor {mentor_id} has no capacity left in {program_id}")
    hold: Hold = {"program_id": program_id, "hours": hours}
    if shared:
        hold["shared"] = True
    return {**current, "holds": {**current["holds"], match_id: hold}}


def hold_place(
    load: Load | None,
    mentor_id: str,
    match_id: str,
    program_id: str,
    rules: Rules,
    capacity: int | None,
) -> Load:
    """`reserve` with the room the program's rules and the mentor's own limit
    (`capacity`) leave; NoCapacity when there is none."""
    room = rules.capacity_left(capacity, load_in(load, program_id))
    return reserve(
        load,
        mentor_id,
        match_id,
        program_id,
        rules.hours_per_match,
        room,
        shared=rules.shared_hours,
    )


def release(load: Load | None, mentor_id: str, match_id: str) -> Load:
    current = load or empty(mentor_id)
    return {**current, "holds": {k: v for k, v in current["holds"].items() if k != match_id}}
