"""The words of a match's outcomes (a proposal's note, a milestone's evidence, an end
survey's comments): their ids, which the match names, and what an erasure does. The
words themselves live in the texts collection (written.py), each naming its author;
the mentee's goals in the match's plan are the mentee's words and go with them too.
"""

from __future__ import annotations

from collections.abc import Mapping

from mentornet_contracts.events.common import Role

from . import written
from .outcome_state import Outcomes
from .outcomes import outcomes_of, with_outcomes
from .state import Match


def words_id(kind: str, part_id: str, text: str) -> str:
    """The id of one outcome's words (`kind`: written.EVIDENCE, NOTE or COMMENTS)."""
    return written.text_id(kind, part_id, {"text": text})


def forget(match: Match, participant_id: str) -> Match:
    """Erasure: the words the person wrote are no longer named (their texts go); the
    mentee's goals (their words) go with the mentee."""
    if "outcomes" not in match:
        return match
    outcomes = match["outcomes"]
    mentee = participant_id == match["mentee_id"]
    role = Role.MENTEE if mentee else Role.MENTOR
    adjustments = {
        k: {**a, "change": {}} if mentee else _unnamed(a, participant_id == match["mentor_id"])
        for k, a in outcomes["adjustments"].items()
    }
    completions = {
        k: _unnamed(c, mentee or c["recorded_by"] == participant_id)
        for k, c in outcomes["completions"].items()
    }
    surveys = {k: _unnamed(s, s["role"] == role) for k, s in outcomes["surveys"].items()}
    kept: Outcomes = {
        **outcomes,
        "plan": {} if mentee else outcomes["plan"],
        "adjustments": adjustments,  # type: ignore[typeddict-item]
        "completions": completions,  # type: ignore[typeddict-item]
        "surveys": surveys,  # type: ignore[typeddict-item]
    }
    return with_outcomes(match, kept)


def _unnamed(part: Mapping[str, object], drop: bool) -> dict[str, object]:
    return {k: v for k, v in part.items() if k != "text_id"} if drop else dict(part)


def evidence_about(match: Match, participant_id: str) -> list[str]:
    """The ids of the evidence texts about the mentee's milestones (whoever wrote
    them), when `participant_id` is the match's mentee: they go with the mentee."""
    if participant_id != match["mentee_id"]:
        return []
    completions = outcomes_of(match)["completions"].values()
    return [c["text_id"] for c in completions if "text_id" in c]


def named(match: Match) -> list[str]:
    """The ids of every text the match's outcomes name."""
    found = outcomes_of(match)
    parts: list[Mapping[str, object]] = [
        *found["adjustments"].values(),
        *found["completions"].values(),
        *found["surveys"].values(),
    ]
    return [str(p["text_id"]) for p in parts if "text_id" in p]
