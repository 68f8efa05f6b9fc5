"""The rubric risk: a match whose rubric average falls below the program's threshold
raises a risk signal for QA, once per fall; it can rise again after a recovery."""

from __future__ import annotations

from collections.abc import Mapping

from mentornet_contracts.events.feedback import RiskFlag, RiskFlagged, RiskSource

from .state import Match
from .summary import rubric_average


def threshold_of(program: Mapping[str, object] | None) -> float | None:
    """The program's `escalation.low_rubric_average` (ProgramPublished, as stored)."""
    escalation = (program or {}).get("escalation")
    if not isinstance(escalation, Mapping):
        return None
    threshold = escalation.get("low_rubric_average")
    return float(threshold) if isinstance(threshold, int | float) else None


def rubric_check(
    match: Match, threshold: float | None, session_id: str | None
) -> tuple[Match, list[RiskFlagged]]:
    average = rubric_average([match])
    if average is None or threshold is None:
        return match, []
    if average < threshold and not match["rubric_risk"]:
        event = RiskFlagged(
            match_id=match["match_id"],
            flag=RiskFlag.OFF_TRACK,
            source=RiskSource.RUBRIC,
            session_id=session_id,
            rubric_average=average,
        )
        return {**match, "rubric_risk": True}, [event]
    if average >= threshold and match["rubric_risk"]:
        return {**match, "rubric_risk": False}, []
    return match, []
