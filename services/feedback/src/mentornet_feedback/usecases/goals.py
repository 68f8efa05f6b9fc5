"""Goal progress: recorded per match, read per mentee with their goals and pivots."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from mentornet_chassis.errors import NotFound
from mentornet_contracts import Event

from ..domain import goals
from ..domain.goals import Progress
from ..domain.state import GoalProgress, Match, Person, PersonStatus
from ..domain.visibility import Viewer
from .common import Parts
from .saving import change


class Recorded(GoalProgress):
    """One goal's progress as recorded, with the match and the goal it is for."""

    match_id: str
    goal_id: str


class GoalsOfPerson(Person):
    """The mentee's goals with every pivot, and their progress in each match."""

    progress: dict[str, dict[str, GoalProgress]]


@dataclass(frozen=True)
class Goals:
    parts: Parts

    async def record(
        self, match_id: str, goal_id: str, progress: Progress, viewer: Viewer
    ) -> Recorded:
        """Where the mentee stands on one goal: percent, status, milestones reached."""
        match = await self.parts.known_match(match_id)
        person = await self.parts.stores.person(match["mentee_id"])
        by = viewer.reading_as(match)
        now = self.parts.clock()

        def step(m: Match) -> tuple[Match, Sequence[Event]]:
            recorded, event = goals.record(m, person, goal_id, progress, by, now)
            return recorded, [event]

        state = await change(self.parts, match_id, step)
        return {"match_id": match_id, "goal_id": goal_id, **state["goals"][goal_id]}

    async def of_person(self, participant_id: str) -> GoalsOfPerson:
        """The mentee's goals as last changed, every pivot with its reason, and progress
        recorded in each of their matches."""
        stores = self.parts.stores
        person = await stores.person(participant_id)
        if person is None or person.get("status") != PersonStatus.ACTIVE:
            raise NotFound("participant_id", f"no mentee {participant_id} here")
        theirs = [
            m for m in await stores.matches_of(participant_id) if m["mentee_id"] == participant_id
        ]
        return {**person, "progress": {m["match_id"]: m["goals"] for m in theirs}}
