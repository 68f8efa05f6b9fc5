"""A match's outcomes over HTTP: goal adjustments (the mentor proposes, the mentee
answers), milestones reached with evidence, skill assessments, the end-of-match
survey, and what they add up to. Each change is saved with its event through the
outbox (saving.py), words first where there are any."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from mentornet_contracts import Event
from mentornet_contracts.events.outcomes import (
    EndSurveySubmitted,
    GoalAdjustmentAnswered,
    GoalAdjustmentProposed,
    MilestoneCompleted,
    SkillAssessed,
)

from ..domain import adjustments, assessments, end_survey, milestones, outcome_view, outcomes
from ..domain import outcome_words as words_of
from ..domain.adjustments import AdjustmentBody
from ..domain.assessments import AssessmentBody
from ..domain.end_survey import EndSurveyBody
from ..domain.milestones import CompletionBody
from ..domain.outcome_view import OutcomesView
from ..domain.outcomes import Goals
from ..domain.state import Match, Person
from ..domain.visibility import Viewer
from ..domain.written import COMMENTS, EVIDENCE, NOTE
from .common import Parts
from .saving import Named, Words, change, save_with_words

E = TypeVar("E", bound=Event)
Decide = Callable[[Match, Goals], tuple[Match, E]]
"""A domain step on the match as it now is, given its goals; the event it made."""


def _naming(text_id: str) -> Named:
    def named(state: Match) -> str | None:
        return text_id if text_id in words_of.named(state) else None

    return named


@dataclass(frozen=True)
class Outcomes:
    parts: Parts

    async def _save(
        self, match: Match, decide: Decide[E], words: Words | None = None
    ) -> tuple[Match, E]:
        """The change `decide` makes (on the match as it is when written), saved with its
        event and, first, its words; the event it made."""
        person = await self.parts.stores.person(match["mentee_id"])
        made: list[E] = []

        def step(state: Match) -> tuple[Match, Sequence[Event]]:
            changed, event = decide(state, outcomes.goals_of(state, person))
            made[:] = [event]
            return changed, [event]

        if words is None:
            state = await change(self.parts, match["match_id"], step)
        else:
            named = _naming(words.text_id)
            state = await save_with_words(self.parts, match, words, step, named)
        return state, made[0]

    async def propose(self, match_id: str, goal_id: str, body: AdjustmentBody) -> dict[str, object]:
        match, now = await self.parts.known_match(match_id), self.parts.clock()
        count = len(outcomes.outcomes_of(match)["adjustments"])
        text_id = words_of.words_id(NOTE, f"{match_id}:{goal_id}:{count}", body.note)
        words = Words(text_id, match["mentor_id"], {"text": body.note}) if body.note else None

        def decide(state: Match, goals: Goals) -> tuple[Match, GoalAdjustmentProposed]:
            named = text_id if words is not None else None
            return adjustments.propose(state, goals, goal_id, body, named, now)

        state, event = await self._save(match, decide, words)
        proposal_id = event.proposal_id
        proposal = outcomes.outcomes_of(state)["adjustments"][proposal_id]
        shown = {k: v for k, v in proposal.items() if k != "text_id"}
        return {"match_id": match_id, **shown, **({"note": body.note} if body.note else {})}

    async def answer(
        self, match_id: str, goal_id: str, proposal_id: str, accept: bool
    ) -> dict[str, object]:
        match, now = await self.parts.known_match(match_id), self.parts.clock()

        def decide(state: Match, goals: Goals) -> tuple[Match, GoalAdjustmentAnswered]:
            return adjustments.answer(state, goals, goal_id, proposal_id, accept, now)

        state, _ = await self._save(match, decide)
        proposal = outcomes.outcomes_of(state)["adjustments"][proposal_id]
        person = await self.parts.stores.person(match["mentee_id"])
        goal = outcomes.goals_of(state, person).get(goal_id)
        shown = {k: v for k, v in proposal.items() if k != "text_id"}
        return {"match_id": match_id, **shown, "goal": goal}

    async def complete(
        self, match_id: str, where: tuple[str, str], body: CompletionBody, viewer: Viewer
    ) -> dict[str, object]:
        """`where`: (goal id, milestone id)."""
        match, now = await self.parts.known_match(match_id), self.parts.clock()
        by = viewer.reading_as(match)
        part = f"{match_id}:{milestones.key(*where)}"
        text_id = words_of.words_id(EVIDENCE, part, body.evidence)

        def decide(state: Match, goals: Goals) -> tuple[Match, MilestoneCompleted]:
            return milestones.complete(state, goals, where, body, by, text_id, now)

        words = Words(text_id, by, {"text": body.evidence})
        state, _ = await self._save(match, decide, words)
        done = milestones.completion_of(state, *where)
        assert done is not None
        shown = {k: v for k, v in done.items() if k != "text_id"}
        on_time = done["completed_on"] <= done["due_date"]
        return {"match_id": match_id, **shown, "on_time": on_time, "evidence": body.evidence}

    async def assess(
        self, match_id: str, body: AssessmentBody, viewer: Viewer
    ) -> dict[str, object]:
        match, now = await self.parts.known_match(match_id), self.parts.clock()
        role = assessments.role_of(match, viewer.reader(match))

        def decide(state: Match, goals: Goals) -> tuple[Match, SkillAssessed]:
            return assessments.assess(state, goals, role, body, now)

        state, _ = await self._save(match, decide)
        done = outcomes.outcomes_of(state)["assessments"][-1]
        return {"match_id": match_id, **done}

    async def survey(self, match_id: str, body: EndSurveyBody, viewer: Viewer) -> dict[str, object]:
        match, now = await self.parts.known_match(match_id), self.parts.clock()
        role = assessments.role_of(match, viewer.reader(match))
        text_id = words_of.words_id(COMMENTS, f"{match_id}:{role}", body.comments)
        author = viewer.reading_as(match)
        words = Words(text_id, author, {"text": body.comments}) if body.comments else None

        def decide(state: Match, goals: Goals) -> tuple[Match, EndSurveySubmitted]:
            named = text_id if words is not None else None
            return end_survey.submit(state, role, body, named, now)

        state, _ = await self._save(match, decide, words)
        survey = end_survey.survey_of(state, role)
        assert survey is not None
        comments = {"comments": body.comments} if body.comments else {}
        return {"match_id": match_id, **end_survey.bare(survey), **comments}

    async def of_match(self, match_id: str, viewer: Viewer) -> OutcomesView:
        match = await self.parts.known_match(match_id)
        person: Person | None = await self.parts.stores.person(match["mentee_id"])
        texts = await self.parts.stores.texts.get_many(words_of.named(match))
        goals = outcomes.goals_of(match, person)
        return outcome_view.view(match, goals, texts, viewer.reader(match))
