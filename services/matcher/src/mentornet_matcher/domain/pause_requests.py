"""The pair's open requests: to pause a confirmed match, or to end early a pause they
took together. Pure bookkeeping; the transitions are in domain/pauses.py.

A request counts for REQUEST_LIFETIME (7 days) after it was made: a stale one is
ignored when counting who has asked, and dropped on the next write. A person may
withdraw their own open request; withdrawing one they do not have is a 409 carrying
the match.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Literal, TypeVar

from mentornet_contracts.events.matches import Decider

from .documents import Match, MatchStatus
from .matches import Refused

REQUEST_LIFETIME = timedelta(days=7)
PARTIES = (str(Decider.MENTEE), str(Decider.MENTOR))

Kind = Literal["pause", "resume"]
R = TypeVar("R", bound=Mapping[str, object])
OPEN_WHILE: dict[Kind, MatchStatus] = {"pause": MatchStatus.CONFIRMED, "resume": MatchStatus.PAUSED}
"""The match status a request of each kind is open in."""


class NoOpenRequest(Refused):
    def __init__(self, match: Match, role: Decider, kind: Kind) -> None:
        reason = f"the {role} has no open request to {kind} match {match['match_id']}"
        super().__init__(f"{kind}_request", reason, match)


def fresh(requests: Mapping[str, R], now: datetime) -> dict[str, R]:
    """The requests made less than REQUEST_LIFETIME ago."""
    return {
        role: asked
        for role, asked in requests.items()
        if now < datetime.fromisoformat(str(asked["at"])) + REQUEST_LIFETIME
    }


def missing(requests: Mapping[str, object]) -> list[str]:
    """Who of the pair has not asked (in PARTIES order)."""
    return [party for party in PARTIES if party not in requests]


def open_requests(match: Match, kind: Kind, now: datetime) -> dict[str, dict[str, object]]:
    """The fresh requests of a kind, while the match is in the state they apply to."""
    if match["status"] != OPEN_WHILE[kind]:
        return {}
    held = match.get("pause_requests", {}) if kind == "pause" else match.get("resume_requests", {})
    return {role: dict(asked) for role, asked in fresh(held, now).items()}


def waiting_for(match: Match, now: datetime) -> list[str]:
    """Who of the match has yet to ask, while a fresh request of the pair is open: to
    pause (a confirmed match) or to resume (a pause the pair took)."""
    kind: Kind = "resume" if match["status"] == MatchStatus.PAUSED else "pause"
    requests = open_requests(match, kind, now)
    return missing(requests) if requests else []


def withdraw(match: Match, role: Decider, kind: Kind, now: datetime) -> Match:
    """The person's own open request is gone (stale ones with it)."""
    if str(role) not in open_requests(match, kind, now):
        raise NoOpenRequest(match, role, kind)
    state: Match = {**match}
    if kind == "pause":
        state["pause_requests"] = fresh(match.get("pause_requests", {}), now)
        del state["pause_requests"][str(role)]
    else:
        state["resume_requests"] = fresh(match.get("resume_requests", {}), now)
        del state["resume_requests"][str(role)]
    return state
