"""The largest bodies of the matcher's experiment routes and of a match closed by the
team, part of the world of tests/support/world_bodies.py: an experiment with the most
arms, each rule at its largest, defined and redefined in a program of its own before
anyone is assigned; then a pair registered there, matched by its arm and confirmed, and
its match closed with the longest detail."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from mentornet_contracts.events.experiments import MAX_ARMS
from mentornet_contracts.events.programs import MATCHING_SIGNALS, MAX_WEIGHT
from mentornet_tooling.testing.backends import Endpoints
from mentornet_tooling.testing.poll import eventually
from mentornet_tooling.testing.services import RunningService

from tests.support.helpers import open_program, token
from tests.support.pair_bodies import confirmed_pair

if TYPE_CHECKING:
    from tests.e2e.test_largest_bodies import Sent

EXPERIMENTS = "/programs/{program_id}/experiments"


def largest_arms(unique: str) -> list[dict[str, Any]]:
    """The most arms, distinct ids at their longest, every signal at its largest
    weight; no minimum score and the widest time-zone limit, so pairs still match."""
    return [
        {
            "arm_id": f"arm{n}-{unique}".ljust(64, "a"),
            "rule": {
                "rule_id": f"rule{n}-{unique}".ljust(64, "r"),
                "version": 1_000_000,
                "weights": dict.fromkeys(MATCHING_SIGNALS, MAX_WEIGHT),
                "min_score": 0.0,
                "max_timezone_distance_h": 12.0,
            },
        }
        for n in range(MAX_ARMS)
    ]


class ExperimentBodies:
    stack: Endpoints
    intake: RunningService
    matcher: RunningService
    unique: str
    sent: Sent

    async def experiment_bodies(self) -> None:
        program_id, _ = await open_program(self.intake, f"x{self.unique}", approval_mode="auto")
        team = token(f"c-{self.unique}", "coordinator", programs=[program_id])

        async def known() -> bool:
            seen = await self.matcher.http.get(
                f"/programs/{program_id}/matching-runs/latest", headers=team
            )
            return seen.status_code == 200

        await eventually(known, what="the matcher to know the experiment's program")
        arms = largest_arms(self.unique)
        chosen = {"$.arms": arms, "$.control_arm_id": arms[0]["arm_id"]}
        base = EXPERIMENTS.replace("{program_id}", program_id)
        created = await self.sent.send(
            self.matcher,
            ("matcher", "POST", EXPERIMENTS),
            base,
            team,
            **{"$.experiment_id": f"exp-{self.unique}".ljust(64, "e"), **chosen},
        )
        assert created.status_code == 201, created.text
        experiment_id = created.json()["experiment_id"]
        changed = await self.sent.send(
            self.matcher,
            ("matcher", "PUT", EXPERIMENTS + "/{experiment_id}/arms"),
            f"{base}/{experiment_id}/arms",
            team,
            **chosen,
        )
        assert changed.status_code == 200, changed.text
        await self.end_bodies(program_id, team)

    async def end_bodies(self, program_id: str, team: dict[str, str]) -> None:
        """A pair of the experiment's program, confirmed, then closed by the team."""
        _, _, proposed = await confirmed_pair(
            self.stack, self.intake, self.matcher, self.unique, program_id, team, "exp"
        )
        assert proposed["experiment_id"] is not None, proposed
        match_id = proposed["match_id"]
        ended = await self.sent.send(
            self.matcher,
            ("matcher", "POST", "/matches/{match_id}/end"),
            f"/matches/{match_id}/end",
            team,
        )
        assert ended.status_code == 200, ended.text
