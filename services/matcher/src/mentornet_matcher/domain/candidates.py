"""The candidate read model: what the matcher knows about each participant.

Pure functions from (current candidate, event) to the next candidate. Registration
of a second role (a mentee who later mentors) merges into the same candidate.
"""

from __future__ import annotations

from typing import Any

from mentornet_contracts.events.participants import (
    MenteeRegistered,
    MentorRegistered,
    ParticipantErased,
    ParticipantWithdrawn,
)

Candidate = dict[str, Any]


def _base(current: Candidate | None, participant_id: str) -> Candidate:
    return (
        dict(current)
        if current
        else {"participant_id": participant_id, "roles": {}, "status": "active"}
    )


def _with_role(
    current: Candidate | None, role: str, event: MenteeRegistered | MentorRegistered
) -> Candidate:
    candidate = _base(current, event.participant_id)
    profile = event.model_dump(mode="json", exclude={"participant_id"})
    candidate["roles"] = {**candidate["roles"], role: profile}
    candidate["status"] = "active"
    return candidate


def on_mentee_registered(current: Candidate | None, event: MenteeRegistered) -> Candidate:
    return _with_role(current, "mentee", event)


def on_mentor_registered(current: Candidate | None, event: MentorRegistered) -> Candidate:
    return _with_role(current, "mentor", event)


def on_withdrawn(current: Candidate | None, event: ParticipantWithdrawn) -> Candidate:
    candidate = _base(current, event.participant_id)
    candidate["status"] = "withdrawn"
    return candidate


def on_erased(current: Candidate | None, event: ParticipantErased) -> Candidate:
    """Keep only the id and the fact of erasure, so a late event cannot resurrect data."""
    return {"participant_id": event.participant_id, "roles": {}, "status": "erased"}


def is_matchable(candidate: Candidate, role: str) -> bool:
    return candidate.get("status") == "active" and role in candidate.get("roles", {})
