"""Who asks, and what they are shown: a session with its match, a match's booking state,
a participant's sessions as one caller may see them, and who recorded attendance."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .matches import find
from .sessions import shown
from .state import Match

View = dict[str, object]
"""An answer as JSON, checked and described by its route's response model."""


@dataclass(frozen=True)
class Viewer:
    """The caller as the scheduler's rules need them: every id naming them (their
    person and their enrolments), whether a service account, the programs they
    coordinate."""

    ids: frozenset[str]
    service: bool = False
    coordinates: frozenset[str] = frozenset()

    def one_of(self, *participant_ids: str) -> str | None:
        """Which of these enrolments is the caller's, if any."""
        return next((p for p in participant_ids if p in self.ids), None)

    def sees(self, match: Match) -> bool:
        """Which of a person's matches a caller admitted to their list sees."""
        return (
            self.one_of(match["mentor_id"], match["mentee_id"]) is not None
            or match["program_id"] in self.coordinates
            or self.service
        )


def recorded_by(match: Match, viewer: Viewer) -> str:
    """Attendance is recorded by the mentor or the mentee the caller is, else by the
    program's team ("coordinator")."""
    return viewer.one_of(match["mentor_id"], match["mentee_id"]) or "coordinator"


def session_in(match: Match, session_id: str) -> View:
    """The session as people see it, with its match and program."""
    found = find(match, session_id)
    assert found is not None
    return {**shown(found), "match_id": match["match_id"], "program_id": match["program_id"]}


def match_view(match: Match) -> View:
    """The match's booking state (waiting, booked, failed and why) and its sessions."""
    return {
        "match_id": match["match_id"],
        "program_id": match["program_id"],
        "mentor_id": match["mentor_id"],
        "mentee_id": match["mentee_id"],
        "status": match["status"],
        "booking": match["booking"],
        "waiting_for": match.get("waiting"),
        "failure": match.get("failure"),
        "cohort_id": match.get("cohort_id"),
        "missed_in_a_row": match["missed_in_a_row"],
        "stalled": sorted(k for k, v in match["stalled"].items() if v),
        "sessions": [shown(s) for s in match["sessions"]],
        "unplaced": match.get("unplaced", []),
        "pause": match.get("pause"),
    }


def sessions_seen(matches: Iterable[Match], viewer: Viewer, status: str | None) -> list[View]:
    """The sessions of these matches the viewer sees (in `status` only, when given),
    soonest first."""
    found = [
        session_in(match, s["session_id"])
        for match in matches
        if viewer.sees(match)
        for s in match["sessions"]
        if status is None or s["status"] == status
    ]
    return sorted(found, key=lambda s: str(s["starts_at"]))
