"""The largest bodies of feedback's outcome routes, part of the world of
tests/support/world_bodies.py: on the world's confirmed match, while it runs, the
mentor's largest goal adjustment accepted by the mentee (so the goal takes its
milestones), the first of them reached with the longest evidence and reviewed by the
mentee; at the end of the world, once the match has ended, the mentee's end-of-match
survey with the longest comments."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from mentornet_tooling.testing.clock import MovableClock
from mentornet_tooling.testing.poll import eventually
from mentornet_tooling.testing.services import RunningService

from tests.support.helpers import token
from tests.support.largest_bodies import milestones

if TYPE_CHECKING:
    from tests.e2e.test_largest_bodies import Sent

GOAL_ID = "g1"
GOAL = "/matches/{match_id}/goals/{goal_id}"


class FeedbackOutcomeBodies:
    matcher: RunningService
    feedback: RunningService
    clock: MovableClock
    sent: Sent
    coordinator: dict[str, str]
    mentor: str
    mentee: str

    async def _outcomes(self, match_id: str) -> dict[str, Any]:
        shown = await self.feedback.http.get(
            f"/matches/{match_id}/outcomes", headers=self.coordinator
        )
        return dict(shown.json()) if shown.status_code == 200 else {}

    async def feedback_outcome_bodies(self, match_id: str) -> None:
        send, feedback = self.sent.send, self.feedback
        mentor, mentee = token(self.mentor, "mentor"), token(self.mentee, "mentee")

        async def knows_goal() -> bool:
            goals = (await self._outcomes(match_id)).get("goals", [])
            return any(g["goal_id"] == GOAL_ID for g in goals)

        await eventually(knows_goal, what="feedback to know the match's goal")
        goal = f"/matches/{match_id}/goals/{GOAL_ID}"
        proposed = await send(
            feedback, ("feedback", "POST", f"{GOAL}/adjustments"), f"{goal}/adjustments", mentor
        )
        assert proposed.status_code == 201, proposed.text
        proposal_id = proposed.json()["proposal_id"]
        answered = await send(
            feedback,
            ("feedback", "POST", f"{GOAL}/adjustments/{{proposal_id}}/answer"),
            f"{goal}/adjustments/{proposal_id}/answer",
            mentee,
            **{"$.accept": True},
        )
        assert answered.status_code == 200, answered.text
        # the first of the milestones the largest adjustment gave the goal
        first = milestones(1, date.today())[0]["milestone_id"]
        reached = await send(
            feedback,
            ("feedback", "POST", f"{GOAL}/milestones/{{milestone_id}}/completion"),
            f"{goal}/milestones/{first}/completion",
            mentee,
            **{"$.completed_on": self.clock.now.date().isoformat()},
        )
        assert reached.status_code == 201, reached.text
        reviewed = await send(
            feedback,
            ("feedback", "POST", "/matches/{match_id}/skill-assessments"),
            f"/matches/{match_id}/skill-assessments",
            mentee,
            **{
                "$.stage": "milestone",
                "$.levels": [{"skill_id": "python", "level": 5}],
                "$.goal_id": GOAL_ID,
                "$.milestone_id": first,
            },
        )
        assert reviewed.status_code == 201, reviewed.text

    async def end_survey_bodies(self, match_id: str) -> None:
        """Once the match has ended (the team ends it unless it ended already)."""
        await self._ended(match_id)
        surveyed = await self.sent.send(
            self.feedback,
            ("feedback", "POST", "/matches/{match_id}/end-survey"),
            f"/matches/{match_id}/end-survey",
            token(self.mentee, "mentee"),
        )
        assert surveyed.status_code == 201, surveyed.text

    async def _ended(self, match_id: str) -> None:
        """The team ends the match (409: it ended already, e.g. by a rematch); feedback
        opens the end survey once it heard."""
        ended = await self.matcher.http.post(
            f"/matches/{match_id}/end",
            json={"reason": "completed", "detail": "ran its course"},
            headers=self.coordinator,
        )
        assert ended.status_code in (200, 409), ended.text

        async def heard() -> bool:
            return (await self._outcomes(match_id)).get("status") == "ended"

        await eventually(heard, what="feedback to hear the match ended")
