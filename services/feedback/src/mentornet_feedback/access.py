"""Who reads and writes what: each party their own match's feedback (the other party's
private answers and the report's notes excepted); the program's coordinators, QA
reviewers and service accounts all of it."""

from __future__ import annotations

from typing import Any

from mentornet_chassis.auth import Principal, Role, forbidden

from .domain.visibility import Reader


def overseer(principal: Principal, program_id: str) -> bool:
    return principal.has(Role.SERVICE, Role.REVIEWER) or principal.runs(program_id)


def reader(principal: Principal, match: dict[str, Any]) -> Reader:
    if overseer(principal, match["program_id"]):
        return "overseer"
    if principal.subject == match["mentor_id"]:
        return "mentor"
    if principal.subject == match["mentee_id"]:
        return "mentee"
    raise forbidden(f"you were not part of match {match['match_id']}")


def self_or_overseer(principal: Principal, participant_id: str) -> None:
    if not (
        principal.is_self(participant_id)
        or principal.has(Role.SERVICE, Role.REVIEWER, Role.COORDINATOR)
    ):
        raise forbidden("a participant sees only their own")
