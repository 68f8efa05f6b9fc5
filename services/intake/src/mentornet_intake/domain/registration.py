"""Registering participants: what intake keeps, and the facts it publishes.

Names and e-mail addresses stay in intake's state; the published events carry only ids
and the attributes other services need. One person may hold both roles: registering the
second role adds it to the same participant.
"""

from __future__ import annotations

from typing import Any, cast

from mentornet_chassis.errors import Conflict, Invalid
from mentornet_contracts.events.audit import AuditGroupsRecorded
from mentornet_contracts.events.common import (
    Goal,
    SkillLevel,
)
from mentornet_contracts.events.participants import (
    MenteeRegistered,
    MentorRegistered,
)

from .forms import MenteeRegistration, MentorRegistration
from .participant import ConsentRecord, DiversityRecord, ParticipantState, ParticipantStatus
from .taxonomy import Taxonomy, UnknownSkillError

ALREADY_REGISTERED = "already_registered"
"""The error code of a 409 for an e-mail that already holds the role."""


class RegistrationConflict(Conflict):
    """Valid input that clashes with what intake holds about the participant: their
    status by default, or (registering) the e-mail address."""

    def __init__(self, reason: str, *, field: str = "status", error: str | None = None) -> None:
        super().__init__(field, reason, error=error)


class AlreadyRegistered(RegistrationConflict):
    """This e-mail already holds this role in the program (an import skips the row)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason, field="email", error=ALREADY_REGISTERED)


PERSONAL = ("display_name", "email", "consent", "consents", "level", "diversity")


def email_key(program_id: str, email: str) -> str:
    """One person per e-mail address and program."""
    return f"{program_id}:{email.strip().lower()}"


def _event_fields(
    request: MenteeRegistration | MentorRegistration, participant_id: str, person_id: str | None
) -> dict[str, Any]:
    fields = request.model_dump(exclude=set(PERSONAL))
    return {**fields, "participant_id": participant_id, "person_id": person_id}


def _new_participant(
    request: MenteeRegistration | MentorRegistration, participant_id: str
) -> ParticipantState:
    """The first role's registration: name, e-mail, consent and level as given."""
    return {
        "participant_id": participant_id,
        "program_id": request.program_id,
        "status": ParticipantStatus.ACTIVE,
        "roles": [],
        "profiles": {},
        "email_key": email_key(request.program_id, str(request.email)),
        "display_name": request.display_name,
        "email": str(request.email),
        "consent": cast(ConsentRecord, request.consent.model_dump(mode="json")),
        "level": request.level,
    }


def register(
    current: ParticipantState | None,
    request: MenteeRegistration | MentorRegistration,
    participant_id: str,
    person_id: str | None = None,
) -> tuple[ParticipantState, MenteeRegistered | MentorRegistered]:
    """The new participant state and the event. A second role joins the same person:
    their name, e-mail and level stay as first given (whoever registers the new role),
    and the consent given for each role is kept with it. `person_id`: the person behind
    this enrolment (store/people.py); an enrolment keeps the person it was first given."""
    role = "mentee" if isinstance(request, MenteeRegistration) else "mentor"
    if current is not None and current.get("status") != ParticipantStatus.ACTIVE:
        raise RegistrationConflict(
            f"this e-mail belongs to a participant who is {current.get('status')} in this "
            "program; they cannot take a new role",
            field="email",
        )
    if current is not None and role in current["roles"]:
        raise AlreadyRegistered(f"already registered as {role} in this program")
    person_id = (current.get("person_id") if current else None) or person_id
    fields = _event_fields(request, participant_id, person_id)
    event = MenteeRegistered(**fields) if role == "mentee" else MentorRegistered(**fields)
    state = current.copy() if current else _new_participant(request, participant_id)
    if person_id is not None:
        state["person_id"] = person_id
    if request.diversity is not None:
        state["diversity"] = cast(DiversityRecord, request.diversity.model_dump(mode="json"))
    consent = cast(ConsentRecord, request.consent.model_dump(mode="json"))
    state["consents"] = {**state.get("consents", {}), role: consent}
    state["roles"] = sorted({*state["roles"], role})
    state["profiles"] = {**state["profiles"], role: event.model_dump(mode="json")}
    return state, event


def audit_groups(state: ParticipantState) -> AuditGroupsRecorded | None:
    """The consent-gated attributes QA's fairness audit reads, if the person consented."""
    diversity = state.get("diversity")
    if not diversity:
        return None
    return AuditGroupsRecorded(
        participant_id=state["participant_id"],
        program_id=state["program_id"],
        groups=diversity["attributes"],
    )


class SkillError(Invalid):
    """An unknown or deprecated skill, naming its field."""


def canonical_skills(levels: list[SkillLevel], taxonomy: Taxonomy, path: str) -> list[SkillLevel]:
    result = []
    for index, level in enumerate(levels):
        field = f"{path}.{index}.skill_id"
        try:
            skill = taxonomy.resolve(level.skill_id)
        except UnknownSkillError as exc:
            raise SkillError(field, str(exc)) from None
        if skill.deprecated:
            raise SkillError(field, f"skill {skill.id!r} is deprecated")
        result.append(level.model_copy(update={"skill_id": skill.id}))
    return result


def canonical_goals(goals: list[Goal], taxonomy: Taxonomy) -> list[Goal]:
    return [
        goal.model_copy(
            update={
                "target_skills": tuple(
                    canonical_skills(list(goal.target_skills), taxonomy, f"goals.{i}.target_skills")
                )
            }
        )
        for i, goal in enumerate(goals)
    ]


def with_canonical_skills(
    request: MenteeRegistration | MentorRegistration, taxonomy: Taxonomy
) -> MenteeRegistration | MentorRegistration:
    """Aliases become taxonomy ids; an unknown or deprecated skill names its field."""
    if isinstance(request, MentorRegistration):
        return request.model_copy(
            update={"skills": canonical_skills(request.skills, taxonomy, "skills")}
        )
    return request.model_copy(
        update={
            "goals": canonical_goals(request.goals, taxonomy),
            "skill_baseline": canonical_skills(request.skill_baseline, taxonomy, "skill_baseline"),
        }
    )
