"""Who reads and writes what: each party their own match's feedback (the other party's
private answers and the report's notes excepted); the program's coordinators, QA
reviewers and service accounts read all of it; the pair and the program's
coordinators (or a service account) change it, reviewers never do."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from mentornet_chassis.auth import Principal, Role, forbidden

from .domain.visibility import Reader


def overseer(principal: Principal, program_id: str) -> bool:
    return (
        principal.has(Role.SERVICE) or principal.runs(program_id) or principal.reviews(program_id)
    )


def manages(principal: Principal, program_id: str) -> bool:
    return principal.has(Role.SERVICE) or principal.runs(program_id)


def reader(principal: Principal, match: dict[str, Any]) -> Reader:
    if overseer(principal, match["program_id"]):
        return "overseer"
    if principal.subject == match["mentor_id"]:
        return "mentor"
    if principal.subject == match["mentee_id"]:
        return "mentee"
    raise forbidden(f"you were not part of match {match['match_id']}")


def may_change(principal: Principal, match: dict[str, Any], *parties: str) -> None:
    """`parties`: which of "mentor", "mentee" may; the program's coordinators always."""
    allowed = {match[f"{p}_id"] for p in parties}
    if principal.subject not in allowed and not manages(principal, match["program_id"]):
        raise forbidden(f"only the {' or '.join(parties) or 'program team'} may do this")


def may_read_person(principal: Principal, participant_id: str, programs: Iterable[str]) -> None:
    """The person, QA reviewers, service accounts, and coordinators of the person's
    programs."""
    if principal.is_self(participant_id) or principal.has(Role.SERVICE):
        return
    if not any(principal.runs(p) or principal.reviews(p) for p in programs):
        raise forbidden("a participant's own, or their program team's")
