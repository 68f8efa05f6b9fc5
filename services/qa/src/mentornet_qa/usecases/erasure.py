"""What QA forgets of an erased person (participant.erased): free text about them goes
(review comments on their sessions, notes on their cases); their open case is closed
and their sessions' samples not yet reviewed are withdrawn from review; a mentor's
recognition record is emptied; their outcome facts leave their matches and their
experiment arms no longer count them (docs/privacy.md). A match's workflow records
(reports' item counts, items completed, feedback requests: domain/workflow_docs.py)
hold times and counts only, no participant id, role or text, so nothing of them goes."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from mentornet_chassis.store.typed import Change
from mentornet_contracts import Envelope, new_envelope
from mentornet_contracts.events.qa import Resolution

from ..domain import experiments, outcome_facts, playbook, reviews, triggers
from ..domain.documents import Case, Match, Recognition, Sample
from ..store import ExperimentStores, QaStores

SERVICE = "qa"


class Erasure:
    def __init__(self, stores: QaStores, trials: ExperimentStores | None) -> None:
        self.stores = stores
        self.trials = trials

    async def forget(self, envelope: Envelope[Any], now: datetime) -> None:
        person = envelope.subject
        await self.forget_arms(person)
        for match in [
            *await self.stores.matches_of_mentee(person),
            *await self.stores.matches_of_mentor(person),
        ]:
            await self.stores.matches.apply(
                match["match_id"],
                lambda s: _case_closed(_without_notes(_without_outcomes(s, person)), now, envelope),
            )
            for sample in await self.stores.samples_of_match(match["match_id"]):
                await self.stores.samples.apply(sample["sample_id"], lambda s: _withdrawn(s, now))
            if match.get("mentor_id") == person and match.get("program_id"):
                key = f"{match['program_id']}:{person}"
                await self.stores.recognition.apply(key, _forgotten)

    async def forget_arms(self, person: str) -> None:
        if self.trials is None:
            return
        for arm in await self.trials.assignments_of_mentee(person):
            key = f"{experiments.key(arm['program_id'], arm['experiment_id'])}/{person}"
            await self.trials.assignments.apply(key, lambda s: Change(experiments.on_erased(s)))


def _without_outcomes(match: Match | None, person: str) -> Match | None:
    return outcome_facts.forget(match, person) if match is not None else None


def _withdrawn(sample: Sample | None, now: datetime) -> Change[Sample]:
    return Change(reviews.withdraw(sample, now) if sample else None)


def _forgotten(state: Recognition | None) -> Change[Recognition]:
    return Change(Recognition(erased=True) if state else None)


def _without_notes(match: Match | None) -> Match | None:
    """Closed cases lose their notes and details, a pause its reason."""
    if match is None:
        return None
    closed: list[Case] = [
        {**_without_details(c), "note": ""} for c in match.get("closed_cases", [])
    ]
    pause = match.get("paused")
    if pause:
        return {**match, "closed_cases": closed, "paused": {**pause, "reason": ""}}
    return {**match, "closed_cases": closed}


def _without_details(case: Case) -> Case:
    """A case's triggers keep what and when, not the words (a coordinator's, say)."""
    return {**case, "triggers": [{**t, "detail": ""} for t in case.get("triggers", [])]}


def _case_closed(match: Match | None, now: datetime, cause: Envelope[Any]) -> Change[Match]:
    """The match's open case ends, with no note: there is no one left to act for."""
    case = match.get("case") if match else None
    if match is None or not case:
        return Change(match)
    closed, event = playbook.resolve(
        {**match, "case": _without_details(case)},
        Resolution.ENDED,
        now,
        "system",
        "a participant was erased",
    )
    return Change(
        {**closed, "due_epoch": triggers.next_due(closed)},
        [new_envelope(event, SERVICE, caused_by=cause)],
    )
