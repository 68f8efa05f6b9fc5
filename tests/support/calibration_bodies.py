"""The largest body of QA's weight calibration, part of the world of
tests/support/world_bodies.py: the world's program has fewer than 20 ended matches, so
it is refused with a 422 naming that limit."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mentornet_tooling.testing.services import RunningService

if TYPE_CHECKING:
    from tests.e2e.test_largest_bodies import Sent


class CalibrationBodies:
    qa: RunningService
    sent: Sent
    coordinator: dict[str, str]

    async def calibration_bodies(self, program_id: str) -> None:
        answer = await self.sent.send(
            self.qa,
            ("qa", "POST", "/programs/{program_id}/calibration"),
            f"/programs/{program_id}/calibration",
            self.coordinator,
        )
        assert answer.status_code == 422, answer.text
        assert answer.json()["field"] == "outcome", answer.text
