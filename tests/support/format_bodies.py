"""The largest bodies of the routes about a match's format and pauses: pausing and
resuming a confirmed match, and an async program's check-in (its reflection and reply),
part of the world of tests/support/world_bodies.py."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING, Any

from mentornet_contracts.catalogue import MATCHES, SESSIONS
from mentornet_tooling.testing.backends import Endpoints
from mentornet_tooling.testing.clock import MovableClock
from mentornet_tooling.testing.examples import smart_goal
from mentornet_tooling.testing.poll import eventually
from mentornet_tooling.testing.services import RunningService

from tests.support.events import events_of
from tests.support.helpers import CONSENT, matcher_knows, open_program, token

if TYPE_CHECKING:
    from tests.e2e.test_largest_bodies import Sent

ALL_DAY = {
    "timezone": "Europe/Berlin",
    "weekly": [
        {"weekday": d, "start": "00:00", "end": "24:00"}
        for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
    ],
}
PYTHON = [{"skill_id": "python", "level": 5}]
GOAL = smart_goal(datetime.now(UTC).date(), statement="Ship services")
"""SMART as of intake's today (these worlds run intake on the wall clock)."""


def person(unique: str, name: str, program_id: str, **fields: Any) -> dict[str, Any]:
    return {
        "program_id": program_id,
        "display_name": name,
        "email": f"{name}-{unique}@example.org",
        "languages": ["en"],
        "consent": CONSENT,
        "formats": ["video"],
        "availability": ALL_DAY,
        **fields,
    }


def for_mentee(mentee: str, event: dict[str, Any]) -> bool:
    return bool(event["mentee_id"] == mentee)


class FormatBodies:
    stack: Endpoints
    intake: RunningService
    matcher: RunningService
    feedback: RunningService
    clock: MovableClock
    unique: str
    sent: Sent
    coordinator: dict[str, str]

    async def pause_bodies(self, match_id: str) -> None:
        """The longest pause the program allows, then its end by the team."""
        send, matcher = self.sent.send, self.matcher
        paused = await send(
            matcher,
            ("matcher", "POST", "/matches/{match_id}/pause"),
            f"/matches/{match_id}/pause",
            self.coordinator,
        )
        assert paused.status_code == 200, paused.text
        resumed = await send(
            matcher,
            ("matcher", "POST", "/matches/{match_id}/resume"),
            f"/matches/{match_id}/resume",
            self.coordinator,
        )
        assert resumed.status_code == 200, resumed.text

    async def checkin_bodies(self) -> None:
        """An async program's pair, matched and confirmed; its first check-in takes the
        largest reflection and the largest reply."""
        program_id, _ = await open_program(
            self.intake,
            self.unique,
            duration_weeks=2,
            approval_mode="coordinator_review",
            cadence={"sessions_per_month": 4, "session_minutes": 30},
            session_format="async",
        )
        team = token(f"c-{self.unique}", "coordinator", programs=[program_id])
        people = []
        for role, fields in (("mentor", {"skills": PYTHON}), ("mentee", {"goals": [GOAL]})):
            body = person(self.unique, f"async-{role}", program_id, formats=["async"], **fields)
            created = await self.intake.http.post(f"/participants/{role}s", json=body, headers=team)
            assert created.status_code == 201, created.text
            people.append(str(created.json()["participant_id"]))
        mentor, mentee = people
        for someone in people:
            await eventually(partial(matcher_knows, self.matcher, someone), what=f"{someone} known")
        run = await self.matcher.http.post(f"/programs/{program_id}/matching-runs", headers=team)
        assert run.status_code in (200, 202), run.text
        [proposed] = await events_of(
            self.stack, MATCHES.name, "match.proposed", partial(for_mentee, mentee)
        )
        match_id = proposed["match_id"]
        approved = await self.matcher.http.post(f"/matches/{match_id}/approve", headers=team)
        assert approved.status_code == 200, approved.text
        accepted = await self.matcher.http.post(
            f"/matches/{match_id}/accept", headers=token(mentor, "mentor")
        )
        assert accepted.status_code == 200, accepted.text
        [checkin, *_] = sorted(
            await events_of(
                self.stack, SESSIONS.name, "session.scheduled", lambda e: e["match_id"] == match_id
            ),
            key=lambda e: e["starts_at"],
        )
        sid = checkin["session_id"]
        self.clock.now = max(self.clock.now, datetime.fromisoformat(checkin["starts_at"]))
        self.clock.now += timedelta(minutes=5)

        async def known() -> bool:
            shown = await self.feedback.http.get(f"/checkins/{sid}", headers=team)
            return shown.status_code == 200

        await eventually(known, what="feedback to know the check-in")
        send, feedback = self.sent.send, self.feedback
        wrote = await send(
            feedback,
            ("feedback", "POST", "/checkins/{session_id}/reflection"),
            f"/checkins/{sid}/reflection",
            token(mentee, "mentee"),
        )
        assert wrote.status_code == 201, wrote.text
        await send(
            feedback,
            ("feedback", "POST", "/checkins/{session_id}/reply"),
            f"/checkins/{sid}/reply",
            token(mentor, "mentor"),
        )
