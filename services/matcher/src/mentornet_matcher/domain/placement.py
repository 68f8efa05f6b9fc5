"""What a placement did (a batch run or one newcomer), and the record a batch run
leaves for the program board and for the newcomers placed after it."""

from __future__ import annotations

from dataclasses import dataclass, field

from .documents import BatchRun, RunRecord


@dataclass(frozen=True)
class Placement:
    proposed: list[str] = field(default_factory=list)
    waitlisted: list[str] = field(default_factory=list)
    total_score: float = 0.0
    bound: float = 0.0
    prices: dict[str, float] | None = None
    """Mentor prices from a batch solve; None when nothing was solved."""

    @property
    def gap(self) -> float:
        return max(0.0, self.bound - self.total_score)


def run_record(placement: Placement, run_id: str, claimed: BatchRun) -> RunRecord:
    """A run that solved nothing keeps the last run's prices."""
    prices = placement.prices
    if prices is None:
        last = claimed.get("last")
        prices = last.get("prices", {}) if last else {}
    return {
        "run_id": run_id,
        "proposed": len(placement.proposed),
        "waitlisted": len(placement.waitlisted),
        "total_score": placement.total_score,
        "lp_bound": placement.bound,
        "optimality_gap": placement.gap,
        "prices": prices,
    }
