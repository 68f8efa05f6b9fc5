"""QA's read models (documents.Match, documents.Person) as the unit tests build them:
every key a document carries, with defaults each one overrides by keyword."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

from mentornet_qa.domain.documents import Match, Person, Role, Session, SessionStatus

SINCE = "2027-01-01T00:00:00+00:00"
"""When a person's role began, unless told otherwise."""
CONFIRMED_AT = "2027-01-05T10:00:00+00:00"
"""When a match was confirmed, unless told otherwise."""


def match_doc(match_id: str = "m1", mentee_id: str | None = None, **facts: Any) -> Match:
    """A confirmed match of p1 between mentor-1 and `mentee_id` (mentee-<match_id> when
    not named), with no sessions, answers, items, goals or cases; `facts` replace or add
    any key (confirmed_at=None for one never confirmed)."""
    found: dict[str, Any] = {
        "match_id": match_id,
        "program_id": "p1",
        "mentor_id": "mentor-1",
        "mentee_id": mentee_id or f"mentee-{match_id}",
        "status": "confirmed",
        "sessions": {},
        "feedback": {},
        "items": 0,
        "items_done": 0,
        "goals": {},
        "closed_cases": [],
        "case": None,
        "due_epoch": None,
        "confirmed_at": CONFIRMED_AT,
    }
    return cast(Match, found | facts)


def role_doc(program_id: str = "p1", since: str = SINCE, **facts: Any) -> Role:
    """A role held in a program since `since`; `facts` add capacity, skills, goal_skills."""
    return cast(Role, {"program_id": program_id, "since": since, **facts})


def person_doc(
    participant_id: str,
    kind: str = "mentee",
    *,
    role: Role | None = None,
    status: str = "active",
    **facts: Any,
) -> Person:
    """An active person holding one role (`kind`: mentee or mentor, in p1 since SINCE
    unless `role` says otherwise) and in no groups; `facts` replace or add any key
    (segment, person_id, waitlisted_at, roles ...)."""
    roles: Mapping[str, Role] = {kind: role if role is not None else role_doc()}
    found: dict[str, Any] = {
        "participant_id": participant_id,
        "roles": roles,
        "status": status,
        "groups": {},
    }
    return cast(Person, found | facts)


def sessions(*statuses: str, prefix: str = "s") -> dict[str, Session]:
    """A session per status, with ids <prefix>0, <prefix>1, ... in order."""
    return {
        f"{prefix}{i}": {"session_id": f"{prefix}{i}", "status": SessionStatus(status)}
        for i, status in enumerate(statuses)
    }
