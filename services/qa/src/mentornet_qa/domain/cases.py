"""Escalation cases as coordinators see them: each with its match's pair (and whether
the match is on hold now), the most urgent first; and the rule that only a match's
open case can be acted on."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

from mentornet_chassis.errors import Conflict

from .documents import Case, CaseStatus, Match
from .pauses import paused_now
from .playbook import SEVERITIES

Listed = Literal["open", "resolved", "all"]


class SeenCase(Case):
    """A case with the match it is about."""

    match_id: str
    program_id: str | None
    mentor_id: str | None
    mentee_id: str | None
    match_paused: bool


def seen(match: Match, case: Case) -> SeenCase:
    return {
        **case,
        "match_id": match["match_id"],
        "program_id": match["program_id"],
        "mentor_id": match["mentor_id"],
        "mentee_id": match["mentee_id"],
        "match_paused": paused_now(match),
    }


def listed(matches: Iterable[Match], status: Listed) -> list[SeenCase]:
    """The cases of these matches, the most urgent first (open, by severity, by due)."""
    found = []
    for match in matches:
        case = match.get("case")
        if status in ("open", "all") and case:
            found.append(seen(match, case))
        if status in ("resolved", "all"):
            found += [seen(match, c) for c in match.get("closed_cases", [])]
    rank = {s: i for i, s in enumerate(reversed(SEVERITIES))}
    found.sort(
        key=lambda c: (c["status"] != CaseStatus.OPEN, rank.get(c["severity"], 9), c["due_at"])
    )
    return found


def found_in(match: Match, case_id: str) -> Case:
    """The case, open or closed, of the match that holds it."""
    case = match.get("case")
    if case is not None and case["case_id"] == case_id:
        return case
    return next(c for c in match.get("closed_cases", []) if c["case_id"] == case_id)


def still_open(match: Match, case_id: str) -> None:
    """The case must be the match's open one; otherwise it was closed (409)."""
    case = match.get("case")
    if case is None or case["case_id"] != case_id:
        closed = next((c for c in match.get("closed_cases", []) if c["case_id"] == case_id), None)
        raise Conflict("state", f"case {case_id} is closed", current=closed)
