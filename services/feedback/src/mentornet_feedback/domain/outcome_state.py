"""A match's outcome facts as feedback keeps them in the match document (state.py's
`Match.outcomes`): its status, its goals as adjusted, adjustment proposals, milestones
reached, skill assessments and end-of-match surveys. The words people wrote (a
proposal's note, a milestone's evidence, a survey's comments) live in the texts
collection (written.py); the match names them by id.
"""

from __future__ import annotations

from enum import StrEnum
from typing import NotRequired, TypedDict

from mentornet_contracts.events.common import Role
from mentornet_contracts.events.outcomes import AssessmentStage


class MatchStatus(StrEnum):
    ACTIVE = "active"
    ENDED = "ended"


class ProposalStatus(StrEnum):
    PROPOSED = "proposed"
    ACCEPTED = "accepted"
    DECLINED = "declined"


class Ending(TypedDict):
    """How the match ended (match.ended)."""

    at: str
    reason: str
    detail: str


class Adjustment(TypedDict):
    """A goal adjustment the mentor proposed (GoalChange in JSON, unset fields left
    out); the mentee accepts or declines it. The note's words live apart."""

    proposal_id: str
    goal_id: str
    proposed_at: str
    change: dict[str, object]
    status: ProposalStatus
    answered_at: NotRequired[str]
    text_id: NotRequired[str]


class Completion(TypedDict):
    """A milestone reached; its evidence's words live apart (text_id)."""

    goal_id: str
    milestone_id: str
    due_date: str
    completed_on: str
    recorded_by: str
    recorded_at: str
    text_id: NotRequired[str]


class Assessment(TypedDict):
    """Levels of target skills (skill id to 1-5) by the mentee or the mentor."""

    assessor: Role
    stage: AssessmentStage
    levels: dict[str, int]
    at: str
    goal_id: NotRequired[str]
    milestone_id: NotRequired[str]


class EndSurvey(TypedDict):
    """One person's end-of-match survey; the comments' words live apart."""

    role: Role
    participant_id: str
    template_id: str
    template_version: int
    satisfaction: int
    would_recommend: bool
    confidence_gained: int
    submitted_at: str
    text_id: NotRequired[str]


class Outcomes(TypedDict):
    """A match's outcome facts. `plan`: the match's goals (Goal in JSON by goal id),
    seeded from the mentee's goals at confirmation, an accepted adjustment replacing
    its goal. `completions` by "<goal id>/<milestone id>", `surveys` by role."""

    status: MatchStatus
    confirmed: bool
    plan: dict[str, dict[str, object]]
    adjustments: dict[str, Adjustment]
    completions: dict[str, Completion]
    assessments: list[Assessment]
    surveys: dict[str, EndSurvey]
    ended: NotRequired[Ending]
