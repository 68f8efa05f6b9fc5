"""QA's participants: roles and since when, capacity, the waitlist, and the group
attributes a person chose to share for the fairness audit (only from the audit stream,
only with consent; an empty set, a withdrawal of consent or an erasure forgets them)."""

from __future__ import annotations

from datetime import datetime

from mentornet_contracts.events.audit import AuditGroupsRecorded
from mentornet_contracts.events.common import Goal
from mentornet_contracts.events.matches import MenteeWaitlisted
from mentornet_contracts.events.participants import (
    GoalsUpdated,
    MenteeRegistered,
    MentorRegistered,
    ParticipantErased,
    ParticipantWithdrawn,
    ProfileUpdated,
)

from .documents import Person, PersonStatus, Role


def _base(current: Person | None, participant_id: str) -> Person:
    if current is not None:
        return current.copy()
    return Person(participant_id=participant_id, roles={}, status=PersonStatus.ACTIVE, groups={})


def on_mentor(current: Person | None, event: MentorRegistered, now: datetime) -> Person | None:
    person = _base(current, event.participant_id)
    if person["status"] != PersonStatus.ACTIVE:
        return None
    role = Role(
        program_id=event.program_id,
        since=now.isoformat(),
        capacity=event.capacity,
        skills=sorted({s.skill_id for s in event.skills}),
    )
    person_id = event.person_id or event.participant_id
    return {**person, "roles": {**person["roles"], "mentor": role}, "person_id": person_id}


def on_mentee(current: Person | None, event: MenteeRegistered, now: datetime) -> Person | None:
    person = _base(current, event.participant_id)
    if person["status"] != PersonStatus.ACTIVE:
        return None
    role = Role(program_id=event.program_id, since=now.isoformat(), goal_skills=[])
    return {
        **_with_goals({**person, "roles": {**person["roles"], "mentee": role}}, event.goals),
        "person_id": event.person_id or event.participant_id,
        "segment": event.segment,
    }


def on_profile(current: Person | None, event: ProfileUpdated) -> Person | None:
    """A mentor's profile changed (profile.updated): their skills and capacity, when the
    event names them; the rest of the profile QA does not keep."""
    if current is None or current["status"] != PersonStatus.ACTIVE:
        return None
    role = current["roles"].get("mentor")
    if role is None or (event.skills is None and event.capacity is None):
        return None
    changed = role.copy()
    if event.skills is not None:
        changed["skills"] = sorted({s.skill_id for s in event.skills})
    if event.capacity is not None:
        changed["capacity"] = event.capacity
    return {**current, "roles": {**current["roles"], "mentor": changed}}


def _with_goals(person: Person, goals: tuple[Goal, ...]) -> Person:
    """The mentee's target skills and each goal's milestone ids, as the goals stand."""
    role = person["roles"].get("mentee")
    assert role is not None
    skills = sorted({s.skill_id for g in goals for s in g.target_skills})
    milestones = {g.goal_id: [m.milestone_id for m in g.milestones] for g in goals}
    return {
        **person,
        "roles": {**person["roles"], "mentee": {**role, "goal_skills": skills}},
        "goal_milestone_ids": milestones,
    }


def on_goals(current: Person | None, event: GoalsUpdated) -> Person | None:
    """The mentee's goals changed (goals.updated): their target skills and milestones
    are the new goals'."""
    if current is None or current["status"] != PersonStatus.ACTIVE:
        return None
    if current["roles"].get("mentee") is None:
        return None
    return _with_goals(current, event.goals)


def on_waitlisted(current: Person | None, event: MenteeWaitlisted, now: datetime) -> Person:
    person = _base(current, event.mentee_id)
    since = person.get("waitlisted_at") or now.isoformat()
    return {**person, "waitlisted_at": since, "waitlist_reasons": [str(r) for r in event.reasons]}


def placed(person: Person) -> Person:
    """Off the waitlist."""
    kept = person.copy()
    kept.pop("waitlisted_at", None)
    kept.pop("waitlist_reasons", None)
    return kept


def on_groups(current: Person | None, event: AuditGroupsRecorded) -> Person:
    person = _base(current, event.participant_id)
    if person["status"] != PersonStatus.ACTIVE:
        return {**person, "groups": {}}
    return {**person, "groups": {str(k): v for k, v in event.groups.items()}}


def on_left(current: Person | None, event: ParticipantWithdrawn | ParticipantErased) -> Person:
    if isinstance(event, ParticipantErased):
        return Person(
            participant_id=event.participant_id, roles={}, status=PersonStatus.ERASED, groups={}
        )
    return {**_base(current, event.participant_id), "status": PersonStatus.WITHDRAWN}
