"""The candidate read model: what the matcher knows about each participant.

Pure functions from (current candidate, event) to the next candidate. Registration
of a second role (a mentee who later mentors) merges into the same candidate.
"""

from __future__ import annotations

from mentornet_contracts.errors import UnknownEntity
from mentornet_contracts.events.participants import (
    AvailabilityUpdated,
    GoalsUpdated,
    MenteeRegistered,
    MentorRegistered,
    ParticipantErased,
    ParticipantWithdrawn,
    ProfileUpdated,
)

from .documents import Candidate, CandidateStatus, Profile


def _base(current: Candidate | None, participant_id: str) -> Candidate:
    if current:
        return {**current}
    return {"participant_id": participant_id, "roles": {}, "status": CandidateStatus.ACTIVE}


def _with_role(
    current: Candidate | None, role: str, event: MenteeRegistered | MentorRegistered
) -> Candidate:
    candidate = _base(current, event.participant_id)
    profile = event.model_dump(mode="json", exclude={"participant_id"})
    candidate["roles"] = {**candidate["roles"], role: profile}
    candidate["status"] = CandidateStatus.ACTIVE
    return candidate


def profile_formats(candidate: Candidate | None, role: str) -> list[str]:
    """The formats the person accepts in a role (none listed: any)."""
    roles = candidate["roles"] if candidate is not None else {}
    profile = roles.get(role) or {}
    return [str(f) for f in profile.get("formats", [])]


def on_mentee_registered(current: Candidate | None, event: MenteeRegistered) -> Candidate:
    return _with_role(current, "mentee", event)


def on_mentor_registered(current: Candidate | None, event: MentorRegistered) -> Candidate:
    return _with_role(current, "mentor", event)


def on_withdrawn(current: Candidate | None, event: ParticipantWithdrawn) -> Candidate:
    candidate = _base(current, event.participant_id)
    candidate["status"] = CandidateStatus.WITHDRAWN
    return candidate


def on_erased(current: Candidate | None, event: ParticipantErased) -> Candidate:
    """Keep only the id, the fact of erasure and which programs the roles were in, so a
    late event cannot resurrect data and the programs' rosters can be refreshed."""
    return {
        "participant_id": event.participant_id,
        "roles": {},
        "status": CandidateStatus.ERASED,
        "programs": programs_of(current),
    }


def programs_of(candidate: Candidate | None) -> dict[str, str]:
    """Role to program id, for the roles the participant holds or held."""
    if candidate is None:
        return {}
    held = {role: str(p["program_id"]) for role, p in candidate.get("roles", {}).items()}
    return {**candidate.get("programs", {}), **held}


def is_matchable(candidate: Candidate, role: str) -> bool:
    return candidate.get("status") == CandidateStatus.ACTIVE and role in candidate.get("roles", {})


def _known(current: Candidate | None, participant_id: str) -> Candidate:
    if not current or not current.get("roles"):
        raise UnknownEntity("participant", participant_id, "an update before its registration")
    return {**current}


def _update_roles(candidate: Candidate, changes: Profile, roles: tuple[str, ...]) -> Candidate:
    candidate["roles"] = {
        role: ({**profile, **changes} if role in roles else profile)
        for role, profile in candidate["roles"].items()
    }
    return candidate


def on_profile_updated(current: Candidate | None, event: ProfileUpdated) -> Candidate:
    candidate = _known(current, event.participant_id)
    changed = event.model_dump(mode="json", exclude={"participant_id"}, exclude_none=True)
    shared = {k: v for k, v in changed.items() if k in ("languages", "formats", "channels")}
    mentor_only = {k: v for k, v in changed.items() if k in ("skills", "capacity")}
    _update_roles(candidate, shared, ("mentee", "mentor"))
    return _update_roles(candidate, mentor_only, ("mentor",))


def on_goals_updated(current: Candidate | None, event: GoalsUpdated) -> Candidate:
    candidate = _known(current, event.participant_id)
    goals = event.model_dump(mode="json")["goals"]
    return _update_roles(candidate, {"goals": goals}, ("mentee",))


def on_availability_updated(current: Candidate | None, event: AvailabilityUpdated) -> Candidate:
    candidate = _known(current, event.participant_id)
    availability = event.model_dump(mode="json")["availability"]
    return _update_roles(candidate, {"availability": availability}, ("mentee", "mentor"))


def as_mentee(candidate: Candidate) -> MenteeRegistered:
    return MenteeRegistered.model_validate(
        {**candidate["roles"]["mentee"], "participant_id": candidate["participant_id"]}
    )


def as_mentor(candidate: Candidate) -> MentorRegistered:
    return MentorRegistered.model_validate(
        {**candidate["roles"]["mentor"], "participant_id": candidate["participant_id"]}
    )
