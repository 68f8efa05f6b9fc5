"""A program as QA uses it: its published rules, its coordinators (who own cases), and
the QA settings coordinators keep here (playbook, recognition thresholds)."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from mentornet_contracts.events.matches import CoverageGapClosed, CoverageGapReported
from mentornet_contracts.events.programs import ProgramPublished

from .domain import playbook, recognition
from .domain.sampling import SamplingRules
from .store import QaStores

State = dict[str, Any]


def on_published(current: State | None, event: ProgramPublished) -> State:
    """The rules as published, keeping what QA holds about the program."""
    return {**(current or {}), **event.model_dump(mode="json")}


def on_gaps(current: State | None, event: CoverageGapReported) -> State:
    return {**(current or {}), "coverage": event.model_dump(mode="json")}


def on_gaps_closed(current: State | None, event: CoverageGapClosed) -> State:
    coverage = {"program_id": event.program_id, "skill_ids": [], "waiting_mentees": 0}
    return {**(current or {}), "coverage": coverage}


@dataclass(frozen=True)
class Program:
    state: State

    @property
    def program_id(self) -> str:
        return str(self.state["program_id"])

    @property
    def playbook(self) -> playbook.Playbook:
        saved = (self.state.get("qa") or {}).get("playbook")
        return playbook.Playbook.model_validate(saved) if saved else playbook.DEFAULT

    @property
    def awards(self) -> tuple[recognition.Threshold, ...]:
        saved = (self.state.get("qa") or {}).get("awards")
        if saved is None:
            return recognition.DEFAULT_AWARDS
        return tuple(recognition.Threshold.model_validate(a) for a in saved)

    @property
    def accept_days(self) -> int:
        return int((self.state.get("escalation") or {}).get("days_to_accept_proposal") or 7)

    def sampling(self, double_share: float, new_mentor_days: int) -> SamplingRules:
        return SamplingRules(
            rate=float(self.state.get("qa_sample_rate") or 0.0),
            new_mentor_for=timedelta(days=new_mentor_days),
            double_share=double_share,
        )

    def owner(self, match_id: str) -> str:
        """One of the program's coordinators, the same one for a match every time."""
        coordinators = list(self.state.get("coordinator_ids") or ())
        if not coordinators:
            return as_owner(f"coordinators:{self.program_id}")
        index = int(hashlib.sha256(match_id.encode()).hexdigest(), 16) % len(coordinators)
        return as_owner(str(coordinators[index]))


def as_owner(subject: str) -> str:
    """An account id as an event id field takes it (letters, digits, `_.:-`)."""
    return re.sub(r"[^A-Za-z0-9_.:-]", "_", subject)[:64] or "unassigned"


async def load(stores: QaStores, program_id: str | None) -> Program | None:
    if not program_id:
        return None
    state = await stores.programs.get_state(program_id)
    return Program(state) if state and state.get("name") else None
