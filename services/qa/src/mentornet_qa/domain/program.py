"""A program as QA uses it: its published rules, its coordinators (who own cases), and
the QA settings coordinators keep here (playbook, recognition thresholds)."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import timedelta
from typing import NotRequired, TypedDict, cast

from mentornet_contracts.events.matches import CoverageGapClosed, CoverageGapReported
from mentornet_contracts.events.programs import OutcomeMeasure, ProgramPublished

from . import playbook, recognition
from .audits import AuditRecord
from .sampling import SamplingRules


class Coverage(TypedDict):
    """The matcher's latest coverage report (or its all-clear)."""

    program_id: str
    skill_ids: list[str]
    waiting_mentees: int
    mentors_with_capacity: NotRequired[int]


class QaRules(TypedDict, total=False):
    """What coordinators set here: the playbook and the recognition thresholds, as
    their models dump them."""

    playbook: dict[str, object]
    awards: list[dict[str, object]]


class Escalation(TypedDict, total=False):
    days_to_accept_proposal: int


class ProgramState(TypedDict, total=False):
    """The program as published (every field of program.published, of which QA reads
    the few below), with what QA keeps about it. A program without a `name` is one QA
    has heard of (a coverage report, say) but not seen published."""

    program_id: str
    name: str
    coordinator_ids: list[str]
    qa_sample_rate: float
    escalation: Escalation
    max_active_mentees_per_mentor: int
    outcome_measures: list[str] | None
    """Outcomes the program collects; None: every outcome."""
    coverage: Coverage
    qa: QaRules
    audit: AuditRecord
    due_epoch: float | None


def on_published(current: ProgramState | None, event: ProgramPublished) -> ProgramState:
    """The rules as published, keeping what QA holds about the program."""
    published = cast(ProgramState, event.model_dump(mode="json"))
    return {**(current or {}), **published}


def on_gaps(current: ProgramState | None, event: CoverageGapReported) -> ProgramState:
    return {**(current or {}), "coverage": cast(Coverage, event.model_dump(mode="json"))}


def on_gaps_closed(current: ProgramState | None, event: CoverageGapClosed) -> ProgramState:
    coverage = Coverage(program_id=event.program_id, skill_ids=[], waiting_mentees=0)
    return {**(current or {}), "coverage": coverage}


def with_rules(state: ProgramState, rules: QaRules) -> ProgramState:
    """The program with some of its QA settings replaced."""
    return {**state, "qa": {**(state.get("qa") or {}), **rules}}


@dataclass(frozen=True)
class Program:
    state: ProgramState

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
    def outcome_measures(self) -> tuple[OutcomeMeasure, ...]:
        """The outcomes the program collects (every one when it names none)."""
        named = self.state.get("outcome_measures")
        if named is None:
            return tuple(OutcomeMeasure)
        return tuple(m for m in OutcomeMeasure if m.value in named)

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


def published(state: ProgramState | None) -> Program | None:
    """The program, if it has been published (not only heard of)."""
    return Program(state) if state and state.get("name") else None


def as_owner(subject: str) -> str:
    """An account id as an event id field takes it (letters, digits, `_.:-`)."""
    return re.sub(r"[^A-Za-z0-9_.:-]", "_", subject)[:64] or "unassigned"


def playbook_of(program: Program | None) -> playbook.Playbook:
    """The program's playbook; the default one for a program QA has not seen."""
    return program.playbook if program is not None else playbook.DEFAULT
