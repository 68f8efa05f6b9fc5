"""Weight calibration for a program: its ended matches with their raw signals and the
mentee's value of the outcome, fitted by the pure domain (domain/calibration*.py) with a
Generator seeded from the program and the outcome. Nothing is stored or applied: the
answer is a proposal the coordinator may try as an experiment's arm. The fitting runs
off the event loop."""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Mapping
from typing import cast

import numpy as np
from mentornet_chassis.errors import Invalid
from mentornet_contracts.events.programs import OutcomeMeasure

from ..domain.calibration import Pair
from ..domain.calibration_report import Calibration, calibrate, rule_id
from ..domain.documents import Match, MatchStatus, Person
from ..domain.outcome_values import measures
from ..store import ExperimentStores, QaStores
from .programs import ProgramRules

UNKNOWN_POOL = "unknown"


def pool_of(match: Match) -> str:
    """The pairs proposed on one day: one matching run's pool."""
    return (match.get("proposed_at") or "")[:10] or UNKNOWN_POOL


def pairs(
    matches: list[Match], people: Mapping[str, Person], outcome: OutcomeMeasure
) -> list[Pair]:
    """Ended matches (confirmed ones: a declined proposal never ran) that carry signals
    and the mentee's value of the outcome."""
    found = []
    for match in matches:
        signals = match.get("signals") or {}
        ran = match["status"] == MatchStatus.ENDED and bool(match.get("confirmed_at"))
        if not ran or not signals:
            continue
        value = measures(match, people.get(match.get("mentee_id") or "")).get(outcome)
        if value is not None:
            found.append(Pair(match["match_id"], pool_of(match), signals, float(value)))
    return found


def seed(program_id: str, outcome: OutcomeMeasure) -> int:
    return int.from_bytes(hashlib.sha256(f"{program_id}:{outcome}".encode()).digest()[:8])


class Calibrator:
    def __init__(self, stores: QaStores, experiments: ExperimentStores) -> None:
        self.stores = stores
        self.rules = ProgramRules(stores)
        self.experiments = experiments

    async def calibrate(self, program_id: str, outcome: OutcomeMeasure) -> Calibration:
        program = await self.rules.published(program_id)
        if outcome not in program.outcome_measures:
            raise Invalid("outcome", f"the program does not collect {outcome.value}")
        people = {p["participant_id"]: p for p in await self.stores.people_in(program_id)}
        found = pairs(await self.stores.matches_in(program_id), people, outcome)
        published: Mapping[str, object] = program.state
        current = cast(Mapping[str, float], published.get("matching_weights") or {})
        version = await self.next_version(program_id, outcome)
        rng = np.random.default_rng(seed(program_id, outcome))
        return await asyncio.to_thread(calibrate, program_id, outcome, found, current, version, rng)

    async def next_version(self, program_id: str, outcome: OutcomeMeasure) -> int:
        """One past the highest version of the calibrated rule the program's experiments
        have used."""
        versions = [
            int(str(arm["rule"].get("version") or 0))
            for experiment in await self.experiments.experiments_in(program_id)
            for arm in experiment["arms"]
            if arm["rule"].get("rule_id") == rule_id(outcome)
        ]
        return max(versions, default=0) + 1
