"""QA's participants: roles and since when, capacity, the waitlist, and the group
attributes a person chose to share for the fairness audit (only from the audit stream,
only with consent; an empty set, a withdrawal of consent or an erasure forgets them)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from mentornet_contracts.events.audit import AuditGroupsRecorded
from mentornet_contracts.events.matches import MenteeWaitlisted
from mentornet_contracts.events.participants import (
    MenteeRegistered,
    MentorRegistered,
    ParticipantErased,
    ParticipantWithdrawn,
)

Person = dict[str, Any]


def _base(current: Person | None, participant_id: str) -> Person:
    return dict(
        current or {"participant_id": participant_id, "roles": {}, "status": "active", "groups": {}}
    )


def on_mentor(current: Person | None, event: MentorRegistered, now: datetime) -> Person | None:
    person = _base(current, event.participant_id)
    if person["status"] != "active":
        return None
    role = {"program_id": event.program_id, "since": now.isoformat(), "capacity": event.capacity}
    return {**person, "roles": {**person["roles"], "mentor": role}}


def on_mentee(current: Person | None, event: MenteeRegistered, now: datetime) -> Person | None:
    person = _base(current, event.participant_id)
    if person["status"] != "active":
        return None
    skills = sorted({s.skill_id for g in event.goals for s in g.target_skills})
    role = {"program_id": event.program_id, "since": now.isoformat(), "goal_skills": skills}
    return {**person, "roles": {**person["roles"], "mentee": role}}


def on_waitlisted(current: Person | None, event: MenteeWaitlisted, now: datetime) -> Person:
    person = _base(current, event.mentee_id)
    since = person.get("waitlisted_at") or now.isoformat()
    return {**person, "waitlisted_at": since, "waitlist_reasons": [str(r) for r in event.reasons]}


def placed(person: Person) -> Person:
    return {k: v for k, v in person.items() if k not in ("waitlisted_at", "waitlist_reasons")}


def on_groups(current: Person | None, event: AuditGroupsRecorded) -> Person:
    person = _base(current, event.participant_id)
    return {**person, "groups": dict(event.groups) if person["status"] == "active" else {}}


def on_left(current: Person | None, event: ParticipantWithdrawn | ParticipantErased) -> Person:
    if isinstance(event, ParticipantErased):
        return {
            "participant_id": event.participant_id,
            "roles": {},
            "status": "erased",
            "groups": {},
        }
    return {**_base(current, event.participant_id), "status": "withdrawn"}
