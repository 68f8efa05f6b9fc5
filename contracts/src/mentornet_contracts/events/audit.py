"""Events on mentornet.audit, keyed by participant id: self-identified group attributes,
published by intake only with the person's explicit consent, read only by QA for the
fairness audit. An empty `groups` means consent was withdrawn: forget what you hold.
"""

from __future__ import annotations

from enum import StrEnum
from typing import ClassVar

from pydantic import Field

from ..event import Event
from ..registry import BOUNDED, Superseded
from .common import Id, Label


class AuditAttribute(StrEnum):
    """The self-identified attributes a person may consent to share for fairness audits."""

    GENDER = "gender"
    AGE_BAND = "age_band"
    ETHNICITY = "ethnicity"
    DISABILITY = "disability"
    CAREGIVER = "caregiver"
    FIRST_GENERATION = "first_generation"
    REGION = "region"


class AuditGroupsRecorded(Event):
    event_type: ClassVar[str] = "mentornet.audit.groups.recorded.v2"
    key_field: ClassVar[str] = "participant_id"

    participant_id: Id = Field(description="Participant id (the record key).", examples=["p-7f3a"])
    program_id: Id = Field(description="Program the participant is in.", examples=["prog-eng-2027"])
    groups: dict[AuditAttribute, Label] = Field(
        max_length=len(AuditAttribute),
        description="Consented attribute -> self-identified group; empty when consent ends.",
        examples=[{"gender": "woman", "age_band": "35-44"}],
    )


EVENTS = (AuditGroupsRecorded,)
SUPERSEDED = (Superseded("mentornet.audit.groups.recorded.v1", AuditGroupsRecorded, BOUNDED),)
