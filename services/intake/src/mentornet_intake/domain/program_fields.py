"""Parts of a program's rules checked on their own (programs.py's ProgramSpec and
ProgramPatch use them): the outcomes it collects, its matching weights, who is eligible.

Outcome measures: each listed once; None means every outcome. program.updated's None
means "unchanged", so a program set back to every outcome announces them all.
"""

from __future__ import annotations

from typing import Annotated, Any

from mentornet_contracts.events.common import Label
from mentornet_contracts.events.programs import MATCHING_SIGNALS, OutcomeMeasure
from pydantic import BaseModel, ConfigDict, Field

MAX_ELIGIBLE = 100
"""Org units or levels one program's eligibility may list."""
Level = Annotated[str, Field(min_length=1, max_length=32)]
SignalName = Annotated[str, Field(min_length=1, max_length=32)]

DEFAULT_WEIGHTS = {
    "skills": 0.4,
    "availability": 0.25,
    "timezone": 0.1,
    "format": 0.1,
    "style": 0.1,
    "pace": 0.05,
    "channel": 0.05,
}
EVERY_OUTCOME = [measure.value for measure in OutcomeMeasure]


def once_each(measures: list[OutcomeMeasure] | None) -> list[OutcomeMeasure] | None:
    if measures is not None and len(set(measures)) != len(measures):
        raise ValueError("each outcome may be listed once")
    return measures


def outcomes_field(description: str) -> Any:
    return Field(
        default=None, min_length=1, max_length=len(OutcomeMeasure), description=description
    )


def announced_outcomes(changed: dict[str, Any]) -> dict[str, Any]:
    """A published program's changed fields as program.updated carries them: back to
    every outcome (None in the spec), it lists them all (its None means "unchanged")."""
    if "outcome_measures" in changed and changed["outcome_measures"] is None:
        return {**changed, "outcome_measures": EVERY_OUTCOME}
    return changed


def known_weights(weights: dict[str, float]) -> dict[str, float]:
    """Weights of known signals only, >= 0 and not all zero."""
    unknown = sorted(set(weights) - set(MATCHING_SIGNALS))
    if unknown:
        raise ValueError(
            f"unknown signal(s) {', '.join(unknown)}; known: {', '.join(MATCHING_SIGNALS)}"
        )
    if any(w < 0 for w in weights.values()) or sum(weights.values()) <= 0:
        raise ValueError("weights must be >= 0 and not all zero")
    return weights


class Eligibility(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    org_units: list[Label] = Field(
        default_factory=list, max_length=MAX_ELIGIBLE, description="Empty: every org unit."
    )
    levels: list[Level] = Field(
        default_factory=list, max_length=MAX_ELIGIBLE, description="Empty: every level."
    )

    def admits(self, org_unit: str | None, level: str | None) -> bool:
        unit_ok = not self.org_units or org_unit in self.org_units
        level_ok = not self.levels or level in self.levels
        return unit_ok and level_ok
