"""The largest body of QA's answer to an invitation to mentor, part of the world of
tests/support/world_bodies.py: a pair in a program of its own, confirmed; the mentee
reaches their goal and the team closes the match as completed, so QA invites the
mentee to mentor; the mentee answers."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mentornet_contracts.catalogue import QA
from mentornet_tooling.testing.backends import Endpoints
from mentornet_tooling.testing.poll import eventually
from mentornet_tooling.testing.services import RunningService

from tests.support.events import events_of
from tests.support.format_bodies import GOAL
from tests.support.helpers import open_program, token
from tests.support.pair_bodies import confirmed_pair

if TYPE_CHECKING:
    from tests.e2e.test_largest_bodies import Sent

ANSWER = "/programs/{program_id}/mentor-invitations/{participant_id}/answer"


class InvitationBodies:
    stack: Endpoints
    intake: RunningService
    matcher: RunningService
    feedback: RunningService
    qa: RunningService
    unique: str
    sent: Sent

    async def invitation_bodies(self) -> None:
        program_id, _ = await open_program(self.intake, f"o{self.unique}", approval_mode="auto")
        team = token(f"c-{self.unique}", "coordinator", programs=[program_id])
        _, mentee, proposed = await confirmed_pair(
            self.stack, self.intake, self.matcher, self.unique, program_id, team, "outcome"
        )
        match_id = proposed["match_id"]
        reached = {"percent": 100, "status": "achieved"}

        async def goal_reached() -> bool:
            answer = await self.feedback.http.post(
                f"/matches/{match_id}/goals/{GOAL['goal_id']}/progress",
                json=reached,
                headers=token(mentee, "mentee"),
            )
            return answer.status_code == 201

        await eventually(goal_reached, what="feedback to know the match")
        ended = await self.matcher.http.post(
            f"/matches/{match_id}/end", json={"reason": "completed"}, headers=team
        )
        assert ended.status_code == 200, ended.text
        await events_of(
            self.stack,
            QA.name,
            "mentee.invited_to_mentor",
            lambda e: e["participant_id"] == mentee,
        )
        answered = await self.sent.send(
            self.qa,
            ("qa", "POST", ANSWER),
            ANSWER.replace("{program_id}", program_id).replace("{participant_id}", mentee),
            token(mentee, "mentee"),
        )
        assert answered.status_code == 200, answered.text
