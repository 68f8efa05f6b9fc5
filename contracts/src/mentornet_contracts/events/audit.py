"""Events on mentornet.audit, keyed by participant id: self-identified group attributes,
published by intake only with the person's explicit consent, read only by QA for the
fairness audit. An empty `groups` means consent was withdrawn: forget what you hold.
"""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field

from ..event import Event
from .common import Id


class AuditGroupsRecorded(Event):
    event_type: ClassVar[str] = "mentornet.audit.groups.recorded.v1"
    key_field: ClassVar[str] = "participant_id"

    participant_id: Id = Field(description="Participant id (the record key).", examples=["p-7f3a"])
    program_id: Id = Field(description="Program the participant is in.", examples=["prog-eng-2027"])
    groups: dict[str, str] = Field(
        description="Consented attribute -> self-identified group; empty when consent ends.",
        examples=[{"gender": "woman", "age_band": "35-44"}],
    )


EVENTS = (AuditGroupsRecorded,)
