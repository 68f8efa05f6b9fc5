"""The words of a match's outcomes (a proposal's note, a milestone's evidence, an end
survey's comments): their ids, which the match names, and what an erasure does. The
words themselves live in the texts collection (written.py), each naming its author;
the mentee's goals in the match's plan are the mentee's words and go with them too.
"""

from __future__ import annotations

from collections.abc import Mapping

from mentornet_contracts.events.common import Role

from . import written
from .matches import ERASED
from .outcome_state import Adjustment, Completion, Outcomes
from .outcomes import outcomes_of, with_outcomes
from .state import Match


def words_id(kind: str, part_id: str, text: str) -> str:
    """The id of one outcome's words (`kind`: written.EVIDENCE, NOTE or COMMENTS)."""
    return written.text_id(kind, part_id, {"text": text})


def forget(match: Match, participant_id: str) -> Match:
    """Erasure: what the person said or wrote about the match's outcomes goes - their
    end survey, their skill assessments, their words (notes, evidence: the texts go, the
    match no longer names them). The erased mentee takes their goals (the plan and the
    proposals' changes to them), every assessment of their skills and their milestones
    reached with them; an erased mentor's milestone records lose their author. What
    stays: the match's status, its end, the proposals' dates and answers, and the other
    person's survey and assessments."""
    if "outcomes" not in match:
        return match
    if participant_id == match["mentee_id"]:
        return with_outcomes(match, _without_mentee(match["outcomes"]))
    if participant_id == match["mentor_id"]:
        return with_outcomes(match, _without_mentor(match["outcomes"], participant_id))
    return match


def _without_mentee(outcomes: Outcomes) -> Outcomes:
    adjustments = {k: _unchanged(a) for k, a in outcomes["adjustments"].items()}
    surveys = {k: s for k, s in outcomes["surveys"].items() if s["role"] != Role.MENTEE}
    return {
        **outcomes,
        "plan": {},
        "adjustments": adjustments,
        "completions": {},
        "assessments": [],
        "surveys": surveys,
    }


def _without_mentor(outcomes: Outcomes, mentor_id: str) -> Outcomes:
    adjustments = {k: _unnoted(a) for k, a in outcomes["adjustments"].items()}
    completions = {k: _unrecorded(c, mentor_id) for k, c in outcomes["completions"].items()}
    kept = [a for a in outcomes["assessments"] if a["assessor"] != Role.MENTOR]
    surveys = {k: s for k, s in outcomes["surveys"].items() if s["role"] != Role.MENTOR}
    return {
        **outcomes,
        "adjustments": adjustments,
        "completions": completions,
        "assessments": kept,
        "surveys": surveys,
    }


def _unchanged(proposal: Adjustment) -> Adjustment:
    """A proposal without the mentee's goal words it changed, nor its note."""
    bare = _unnoted(proposal)
    bare["change"] = {}
    return bare


def _unnoted(proposal: Adjustment) -> Adjustment:
    bare = proposal.copy()
    bare.pop("text_id", None)
    return bare


def _unrecorded(completion: Completion, mentor_id: str) -> Completion:
    """A milestone the erased mentor recorded loses its author and their evidence."""
    if completion["recorded_by"] != mentor_id:
        return completion
    bare = completion.copy()
    bare.pop("text_id", None)
    bare["recorded_by"] = ERASED
    return bare


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
