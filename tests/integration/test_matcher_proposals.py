"""Matcher on the real broker: registrations become explained proposals; a decline
brings a new proposal that leaves the declined pair out."""

from __future__ import annotations

import json
from typing import Any

import pytest
from mentornet_chassis.testing.backends import Endpoints
from mentornet_chassis.testing.kafka import find_records, header, produce_record
from mentornet_chassis.testing.services import RunningService
from mentornet_contracts import encode, new_envelope
from mentornet_contracts.catalogue import MATCHES, REGISTRY
from mentornet_contracts.events.participants import MenteeRegistered, MentorRegistered
from mentornet_contracts.events.programs import ProgramPublished

from tests.support.helpers import token

pytestmark = pytest.mark.integration

WEEKLY = [{"weekday": d, "start": "09:00", "end": "12:00"} for d in ("mon", "tue", "wed", "thu")]


def program(program_id: str) -> ProgramPublished:
    return ProgramPublished.model_validate(
        {
            "program_id": program_id,
            "name": "Platform mentoring",
            "tier": "standard",
            "cadence": {"sessions_per_month": 2, "session_minutes": 60},
            "duration_weeks": 12,
            "max_active_mentees_per_mentor": 3,
            "max_monthly_hours_per_mentor": 8,
            "approval_mode": "auto",
            "matching_weights": {"skills": 0.6, "availability": 0.2, "language": 0.2},
            "conflict_rules": {"exclude_same_manager_line": True, "exclude_same_org_unit": False},
            "qa_sample_rate": 0.1,
            "escalation": {
                "missed_sessions_in_a_row": 2,
                "days_without_activity": 21,
                "low_rubric_average": 2.5,
                "days_to_accept_proposal": 7,
            },
        }
    )


def person(kind: type[Any], pid: str, program_id: str, **fields: Any) -> Any:
    base = {
        "participant_id": pid,
        "program_id": program_id,
        "languages": ["en"],
        "formats": ["video"],
        "availability": {"timezone": "Europe/Berlin", "weekly": WEEKLY},
    }
    return kind.model_validate(base | fields)


def goal(skill: str) -> list[dict[str, Any]]:
    return [
        {"goal_id": "g1", "statement": "Grow", "target_skills": [{"skill_id": skill, "level": 3}]}
    ]


async def publish(stack: Endpoints, *events: Any) -> None:
    for event in events:
        await produce_record(
            stack.bootstrap_servers, encode(new_envelope(event, "intake"), REGISTRY)
        )


async def proposals(stack: Endpoints, mentee_id: str, count: int) -> list[dict[str, Any]]:
    records = await find_records(
        stack.bootstrap_servers,
        MATCHES.name,
        lambda r: (
            r.key.decode() == mentee_id and header(r, "ce_type") == "mentornet.match.proposed.v1"
        ),
        count=count,
        timeout=60,
    )
    return [json.loads(r.value) for r in records]


async def test_registrations_become_explained_proposals_and_a_decline_brings_another(
    stack: Endpoints, matcher: RunningService, unique: str
) -> None:
    program_id = f"prog-{unique}"
    ada, bob = f"ada-{unique}", f"bob-{unique}"
    python_expert, go_expert = f"py-{unique}", f"go-{unique}"
    await publish(
        stack,
        program(program_id),
        person(MenteeRegistered, ada, program_id, goals=goal("python")),
        person(MenteeRegistered, bob, program_id, goals=goal("python")),
        person(
            MentorRegistered,
            python_expert,
            program_id,
            skills=[{"skill_id": "python", "level": 5}],
            capacity=2,
        ),
        person(MentorRegistered, go_expert, program_id, skills=[{"skill_id": "go", "level": 5}]),
    )
    first = (await proposals(stack, ada, 1))[0]
    await proposals(stack, bob, 1)
    assert first["mentor_id"] == python_expert
    assert first["program_id"] == program_id
    signals = {c["signal"]: c for c in first["explanation"]}
    assert set(signals) == {"skills", "availability", "language"}
    assert signals["skills"]["text"] == "Covers 1 of 1 goal skills at the level needed"
    assert sum(c["contribution"] for c in first["explanation"]) == pytest.approx(
        first["score"], abs=1e-3
    )

    declined = await matcher.http.post(
        f"/matches/{first['match_id']}/decline",
        json={"reason": "prefer someone outside my area"},
        headers=token(ada, "mentee"),
    )
    assert declined.status_code == 200, declined.text
    assert declined.json()["status"] == "declined"
    second = [p for p in await proposals(stack, ada, 2) if p["match_id"] != first["match_id"]]
    assert [p["mentor_id"] for p in second] == [go_expert]
    assert (
        "related experience" in {c["signal"]: c["text"] for c in second[0]["explanation"]}["skills"]
    )

    again = await matcher.http.post(
        f"/matches/{first['match_id']}/decline", json={}, headers=token(ada, "mentee")
    )
    assert again.status_code == 409
    assert again.json()["match"]["status"] == "declined"
    stranger = await matcher.http.get(
        f"/matches/{second[0]['match_id']}", headers=token("x", "mentee")
    )
    assert stranger.status_code == 403
