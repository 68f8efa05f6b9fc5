"""Mentee-to-mentor conversion: an invited mentee answers the invitation to mentor.
Only an invitation in this program can be answered, and only once; whether they became
a mentor shows later, from a mentor enrolment of the same person (outcome_report_facts)."""

from __future__ import annotations

from datetime import datetime

from mentornet_chassis.errors import Conflict, NotFound
from mentornet_contracts.events.qa import MentorInvitationAnswered

from .documents import Invitation, Person


def invitation_of(person: Person | None, program_id: str, participant_id: str) -> Invitation:
    invitation = person.get("invitation") if person else None
    if invitation is None or invitation["program_id"] != program_id:
        raise NotFound(
            "participant_id", f"{participant_id} was not invited to mentor in {program_id}"
        )
    return invitation


def answer(
    person: Person | None, program_id: str, participant_id: str, accept: bool, now: datetime
) -> tuple[Person, MentorInvitationAnswered]:
    """The person with their answer kept, and the answer to announce."""
    invitation = invitation_of(person, program_id, participant_id)
    assert person is not None
    if "accepted" in invitation:
        raise Conflict(
            "participant_id",
            f"{participant_id} already answered the invitation to mentor",
            invitation=dict(invitation),
        )
    answered = Invitation(**invitation, accepted=accept, answered_at=now.isoformat())
    event = MentorInvitationAnswered(
        program_id=program_id, participant_id=participant_id, accepted=accept
    )
    return {**person, "invitation": answered}, event
