"""Who may see and change what: the pair sees and changes its own sessions, a
coordinator those of their programs, a service account everything."""

from __future__ import annotations

from typing import Any

from mentornet_chassis.auth import Principal, Role, forbidden


def party(principal: Principal, match: dict[str, Any]) -> bool:
    return principal.subject in (match["mentor_id"], match["mentee_id"])


def oversees(principal: Principal, match: dict[str, Any]) -> bool:
    return principal.has(Role.SERVICE) or principal.runs(match["program_id"])


def may_see(principal: Principal, match: dict[str, Any]) -> None:
    if not (party(principal, match) or oversees(principal, match)):
        raise forbidden(f"you are not part of match {match['match_id']}")


def may_book(principal: Principal, match: dict[str, Any]) -> None:
    """Extra sessions: the mentor or a coordinator."""
    if not (principal.subject == match["mentor_id"] or oversees(principal, match)):
        raise forbidden("the mentor or a coordinator books extra sessions")


def may_see_person(principal: Principal, participant_id: str) -> None:
    if not (principal.is_self(participant_id) or principal.has(Role.SERVICE, Role.COORDINATOR)):
        raise forbidden("a participant sees only their own sessions")
