"""A participant: one person's enrolment in one program, as intake keeps it.

The document is the state the chassis aggregate store keeps for the enrolment; names
and e-mail addresses live only here (published events carry ids and attributes).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any, Required, TypedDict

Profile = dict[str, Any]
"""One role's profile: the registration event's fields as JSON, changed in place by
later profile, goals and availability changes."""


class ParticipantStatus(StrEnum):
    ACTIVE = "active"
    WITHDRAWN = "withdrawn"
    ERASED = "erased"


class ConsentRecord(TypedDict):
    version: str
    accepted_at: str


class DiversityRecord(TypedDict):
    consent: ConsentRecord
    attributes: dict[str, str]


class ParticipantState(TypedDict, total=False):
    """An erased participant keeps only the three required keys (a tombstone)."""

    participant_id: Required[str]
    program_id: Required[str]
    status: Required[ParticipantStatus]
    roles: list[str]
    profiles: dict[str, Profile]
    email_key: str
    """One per program and address (registration.email_key); never shown."""
    person_id: str
    """The person behind the enrolment, the same in every program (store/people.py)."""
    display_name: str
    email: str
    consent: ConsentRecord
    consents: dict[str, ConsentRecord]
    level: str | None
    diversity: DiversityRecord
    """Self-identified attributes, shown only to the person themself."""
    account: str
    """The subject of a person who registered themself."""
    linked: list[str]
    """Sign-ins linked to the person (domain/linking.py)."""
    withdrawal_reason: str


def themselves(participant: ParticipantState) -> frozenset[str]:
    """Who is this participant: the account that registered itself, the person behind
    the enrolment, and the participant id (someone a coordinator registered is themself
    too)."""
    named = (
        participant.get("account"),
        participant["participant_id"],
        participant.get("person_id"),
    )
    return frozenset(s for s in named if s)


def seen_by(viewer_ids: frozenset[str], participant: ParticipantState) -> ParticipantState:
    """The participant as a caller named by these ids may see them: without the e-mail
    key, and without self-identified attributes (diversity) unless the caller is the
    person (docs/privacy.md)."""
    seen = participant.copy()
    seen.pop("email_key", None)
    if not viewer_ids & themselves(participant):
        seen.pop("diversity", None)
    return seen
