"""The rules an experiment compares: its arms checked as a coordinator gives them (an
unknown signal, a duplicate arm, a control that is no arm, an outcome the program does
not collect: each refused naming its field), and the rule each assigned mentee is
matched with (domain/arms.py scores with it)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from mentornet_chassis.errors import Invalid
from mentornet_contracts.events.experiments import ExperimentArm, MatchingRule
from mentornet_contracts.events.programs import MATCHING_SIGNALS, OutcomeMeasure

from .arm_assignment import ArmAssignment
from .experiments import Experiment


@dataclass(frozen=True)
class ArmRule:
    """The rule one mentee is matched with: their arm's, in their experiment. Equal and
    hashed by experiment and arm (one rule each)."""

    experiment_id: str
    arm_id: str
    rule: MatchingRule = field(compare=False, hash=False)

    @property
    def weights(self) -> dict[str, float]:
        return {str(k): float(v) for k, v in self.rule.weights.items() if v > 0}


def checked_arms(
    arms: Sequence[Mapping[str, Any]], control_arm_id: str
) -> tuple[ExperimentArm, ...]:
    """The arms as contract values; Invalid naming the field for an unknown signal, a
    duplicate arm id or a control arm that is not one of them."""
    seen: set[str] = set()
    for n, arm in enumerate(arms):
        for signal in arm["rule"]["weights"]:
            if signal not in MATCHING_SIGNALS:
                where = f"arms[{n}].rule.weights.{signal}"
                raise Invalid(
                    where, f"unknown signal {signal!r}; one of {', '.join(MATCHING_SIGNALS)}"
                )
        if arm["arm_id"] in seen:
            raise Invalid(f"arms[{n}].arm_id", f"arm id {arm['arm_id']!r} is used twice")
        seen.add(arm["arm_id"])
    if control_arm_id not in seen:
        raise Invalid("control_arm_id", f"{control_arm_id!r} is not one of the arms")
    return tuple(ExperimentArm.model_validate(arm) for arm in arms)


def check_outcome(primary: OutcomeMeasure, collected: Sequence[str] | None) -> None:
    """The primary outcome must be one the program collects (None: every outcome)."""
    if collected is not None and str(primary) not in collected:
        listed = ", ".join(collected) or "none"
        raise Invalid(
            "primary_outcome", f"the program does not collect {primary} (it collects: {listed})"
        )


def arm_rules(
    experiments: Sequence[Experiment], assignments: Sequence[ArmAssignment]
) -> dict[str, ArmRule]:
    """Each assigned mentee's rule, from their assignment documents (a later
    experiment's assignment wins); each experiment's rules are parsed once."""
    rules = {
        state["experiment_id"]: {
            arm["arm_id"]: MatchingRule.model_validate(arm["rule"])
            for arm in state["definition"]["arms"]
        }
        for state in experiments
    }
    found: dict[str, ArmRule] = {}
    for held in sorted(assignments, key=lambda a: a["starts_at"]):
        rule = rules.get(held["experiment_id"], {}).get(held["arm_id"])
        if rule is not None:
            found[held["mentee_id"]] = ArmRule(held["experiment_id"], held["arm_id"], rule)
    return found
