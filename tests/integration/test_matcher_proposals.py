"""Matcher on the real broker: registrations become explained proposals; a decline
brings a new proposal that leaves the declined pair out; an escalation asking for a
rematch ends the match and proposes someone else; a withdrawal ends the match; an
event about a match nobody knows is retried, then dead-lettered."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from functools import partial
from typing import Any

import pytest
from mentornet_contracts import dlq
from mentornet_contracts.catalogue import MATCHES, SERVICES
from mentornet_contracts.events.participants import (
    MenteeRegistered,
    MentorRegistered,
    ParticipantWithdrawn,
)
from mentornet_contracts.events.programs import ApprovalMode
from mentornet_contracts.events.qa import (
    EscalationAction,
    EscalationRaised,
    EscalationTrigger,
    Severity,
)
from mentornet_tooling.testing.backends import Endpoints
from mentornet_tooling.testing.kafka import find_records, header
from mentornet_tooling.testing.poll import eventually
from mentornet_tooling.testing.services import RunningService

from tests.support.events import person, program, publish
from tests.support.helpers import matcher_knows, token

pytestmark = pytest.mark.integration


def goal(skill: str) -> list[dict[str, Any]]:
    return [
        {"goal_id": "g1", "statement": "Grow", "target_skills": [{"skill_id": skill, "level": 3}]}
    ]


async def proposals(stack: Endpoints, mentee_id: str, count: int) -> list[dict[str, Any]]:
    records = await find_records(
        stack.bootstrap_servers,
        MATCHES.name,
        lambda r: (
            r.key.decode() == mentee_id and header(r, "ce_type") == "mentornet.match.proposed.v2"
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
        person(
            MentorRegistered,
            python_expert,
            program_id,
            skills=[{"skill_id": "python", "level": 5}],
            capacity=2,
        ),
        person(MentorRegistered, go_expert, program_id, skills=[{"skill_id": "go", "level": 5}]),
    )
    for mentor in (python_expert, go_expert):
        await eventually(partial(matcher_knows, matcher, mentor), what=f"{mentor} in the matcher")
    await publish(
        stack,
        person(MenteeRegistered, ada, program_id, goals=goal("python")),
        person(MenteeRegistered, bob, program_id, goals=goal("python")),
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

    why = await matcher.http.get(
        f"/matches/{first['match_id']}/why-not/{go_expert}", headers=token(ada, "mentee")
    )
    assert why.status_code == 200, why.text
    assert why.json()["reason"].endswith("weaker on skills (0.50 vs 1.00)")
    coordinator = token("coord", "coordinator", programs=[program_id])

    async def last_run() -> dict[str, Any] | None:
        """Newcomers are placed at once; the batch run the mentors asked for may still
        be under way when the proposals arrive."""
        response = await matcher.http.get(
            f"/programs/{program_id}/matching-runs/latest", headers=coordinator
        )
        last: dict[str, Any] | None = response.json()["last"]
        return last

    recorded = await eventually(last_run, timeout=30, what="a recorded batch run")
    assert recorded["optimality_gap"] < 1e-6
    asked = await matcher.http.post(f"/programs/{program_id}/matching-runs", headers=coordinator)
    assert asked.status_code == 202
    coverage = await matcher.http.get(f"/programs/{program_id}/coverage", headers=coordinator)
    assert coverage.json()["skills"] == []
    outsider = await matcher.http.get(
        f"/programs/{program_id}/coverage", headers=token("c2", "coordinator", programs=["x"])
    )
    assert outsider.status_code == 403

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


async def ended(stack: Endpoints, match_id: str, mentee_id: str) -> dict[str, Any]:
    records = await find_records(
        stack.bootstrap_servers,
        MATCHES.name,
        lambda r: (
            r.key.decode() == mentee_id
            and header(r, "ce_type") == "mentornet.match.ended.v1"
            and json.loads(r.value)["match_id"] == match_id
        ),
        timeout=60,
    )
    return dict(json.loads(records[0].value))


def escalation(match_id: str, case_id: str) -> EscalationRaised:
    return EscalationRaised(
        case_id=case_id,
        match_id=match_id,
        trigger=EscalationTrigger.MISSED_SESSIONS,
        severity=Severity.HIGH,
        action=EscalationAction.REMATCH,
        owner_id="coord-1",
        due_at=datetime(2027, 2, 1, tzinfo=UTC),
    )


async def test_an_escalation_rematches_a_confirmed_pair_and_a_withdrawal_ends_the_match(
    stack: Endpoints, matcher: RunningService, unique: str
) -> None:
    program_id = f"prog-{unique}"
    ada, first_mentor, second_mentor = f"ada-{unique}", f"m1-{unique}", f"m2-{unique}"
    await publish(
        stack,
        program(program_id),
        person(
            MentorRegistered, first_mentor, program_id, skills=[{"skill_id": "python", "level": 5}]
        ),
        person(
            MentorRegistered, second_mentor, program_id, skills=[{"skill_id": "python", "level": 2}]
        ),
    )
    for mentor_id in (first_mentor, second_mentor):
        await eventually(
            partial(matcher_knows, matcher, mentor_id), what=f"{mentor_id} in the read model"
        )
    await publish(stack, person(MenteeRegistered, ada, program_id, goals=goal("python")))
    first = (await proposals(stack, ada, 1))[0]
    assert first["mentor_id"] == first_mentor
    accepted = await matcher.http.post(
        f"/matches/{first['match_id']}/accept", headers=token(first_mentor, "mentor")
    )
    assert accepted.status_code == 200, accepted.text

    await publish(stack, escalation(first["match_id"], f"case-{unique}"))

    end = await ended(stack, first["match_id"], ada)
    assert (end["reason"], end["cause"]) == ("rematched", "escalation")
    second = [p for p in await proposals(stack, ada, 2) if p["match_id"] != first["match_id"]]
    assert [p["mentor_id"] for p in second] == [second_mentor]

    await publish(stack, ParticipantWithdrawn(participant_id=ada, reason="changed role"))
    gone = await ended(stack, second[0]["match_id"], ada)
    assert (gone["reason"], gone["cause"]) == ("withdrawn", "participant_withdrawn")


async def test_an_escalation_about_an_unknown_match_is_retried_then_dead_lettered(
    stack: Endpoints, matcher: RunningService, unique: str
) -> None:
    unknown = f"match-unknown-{unique}"
    await publish(stack, escalation(unknown, f"case-{unique}"))
    dead = await find_records(
        stack.bootstrap_servers,
        SERVICES["matcher"].dlq.name,
        lambda r: r.key.decode() == unknown,
        timeout=60,
    )
    assert header(dead[0], dlq.ATTEMPTS) == "5"
    assert "no match" in (header(dead[0], dlq.ERROR_MESSAGE) or "")


async def test_a_review_queue_over_http_refuses_what_is_no_longer_open_and_unknown_ids(
    stack: Endpoints, matcher: RunningService, unique: str
) -> None:
    program_id = f"prog-{unique}"
    ada, mentor_id = f"ada-{unique}", f"m-{unique}"
    reviewed = program(program_id).model_copy(
        update={"approval_mode": ApprovalMode.COORDINATOR_REVIEW}
    )
    await publish(
        stack,
        reviewed,
        person(
            MentorRegistered, mentor_id, program_id, skills=[{"skill_id": "python", "level": 5}]
        ),
    )
    await eventually(
        partial(matcher_knows, matcher, mentor_id), what="the mentor in the read model"
    )
    await publish(stack, person(MenteeRegistered, ada, program_id, goals=goal("python")))
    [proposal] = await proposals(stack, ada, 1)
    coordinator = token("coord", "coordinator", programs=[program_id])
    match_url = f"/matches/{proposal['match_id']}"
    assert (await matcher.http.get(match_url, headers=coordinator)).json()["status"] == "in_review"
    by_mentee = await matcher.http.post(f"{match_url}/approve", headers=token(ada, "mentee"))
    assert by_mentee.status_code == 403

    swapped = await matcher.http.post(
        f"{match_url}/swap", json={"mentor_id": f"nobody-{unique}"}, headers=coordinator
    )
    assert swapped.status_code == 404, swapped.text
    assert swapped.json()["field"] == "mentor_id"

    approved = await matcher.http.post(f"{match_url}/approve", headers=coordinator)
    assert approved.status_code == 200, approved.text
    again = await matcher.http.post(f"{match_url}/approve", headers=coordinator)
    assert again.status_code == 409
    assert again.json()["match"]["status"] == "proposed"
    picked_late = await matcher.http.post(f"{match_url}/approve", headers=token(ada, "mentee"))
    assert picked_late.status_code == 409

    unknown_match = await matcher.http.get(f"/matches/nope-{unique}", headers=coordinator)
    assert (unknown_match.status_code, unknown_match.json()["field"]) == (404, "match_id")
    service = token("svc", "service")
    unknown_program = await matcher.http.get(f"/programs/nope-{unique}/coverage", headers=service)
    assert (unknown_program.status_code, unknown_program.json()["field"]) == (404, "program_id")
    unknown_person = await matcher.http.get(f"/candidates/nope-{unique}", headers=service)
    assert unknown_person.status_code == 404
