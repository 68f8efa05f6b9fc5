"""Small helpers shared by the cross-service tests."""

from __future__ import annotations

from typing import Any

from mentornet_chassis.http.auth import DEV_KEY, mint
from mentornet_tooling.testing.services import RunningService

PROGRAM = {
    "name": "Platform mentoring",
    "tier": "standard",
    "duration_weeks": 12,
    "cadence": {"sessions_per_month": 2, "session_minutes": 45},
}
CONSENT = {"version": "2026-10", "accepted_at": "2026-11-01T09:00:00Z"}


def token(subject: str, *roles: str, programs: list[str] | None = None) -> dict[str, str]:
    return {"Authorization": f"Bearer {mint(DEV_KEY, subject, list(roles), programs=programs)}"}


SERVICE = token("svc-tests", "service")


async def matcher_knows(matcher: RunningService, participant_id: str) -> bool:
    """Participant events are keyed by person, so they arrive in any order across
    people: a test that needs the matcher to have seen someone waits for this."""
    response = await matcher.http.get(f"/candidates/{participant_id}", headers=SERVICE)
    return response.status_code == 200


async def open_program(
    intake: RunningService, unique: str, **spec: Any
) -> tuple[str, dict[str, str]]:
    """A published program and its coordinator's headers."""
    coordinator = token(f"c-{unique}", "coordinator")
    created = await intake.http.post("/programs", json={**PROGRAM, **spec}, headers=coordinator)
    assert created.status_code == 201, created.text
    program_id: str = created.json()["program_id"]
    published = await intake.http.post(f"/programs/{program_id}/publish", headers=coordinator)
    assert published.status_code == 200, published.text
    return program_id, coordinator


def mentee_body(unique: str, program_id: str, **overrides: object) -> dict[str, object]:
    body: dict[str, object] = {
        "program_id": program_id,
        "display_name": "Ada Lovelace",
        "email": f"ada-{unique}@example.org",
        "languages": ["en"],
        "consent": CONSENT,
    }
    body.update(overrides)
    return body


def consumed(metrics_text: str, event_type: str, outcome: str) -> float:
    """The mentornet_events_consumed_total sample for one type and outcome, or 0."""
    prefix = (
        'mentornet_events_consumed_total{event_type="'
        + event_type
        + '",outcome="'
        + outcome
        + '"} '
    )
    for line in metrics_text.splitlines():
        if line.startswith(prefix):
            return float(line[len(prefix) :])
    return 0.0
