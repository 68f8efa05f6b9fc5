"""Matcher, scheduler and QA together on the real broker and store: two missed
sessions stall a match, QA raises an escalation asking for a rematch, the matcher ends
the match and proposes another mentor, and the case resolves when the new match is
confirmed."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any

import pytest
from mentornet_chassis.testing.backends import Endpoints
from mentornet_chassis.testing.clock import MovableClock
from mentornet_chassis.testing.kafka import find_records, header
from mentornet_chassis.testing.poll import eventually
from mentornet_chassis.testing.services import RunningService
from mentornet_contracts.catalogue import MATCHES, QA, SESSIONS
from mentornet_contracts.events.participants import MenteeRegistered, MentorRegistered

from tests.conftest import ServiceOn
from tests.support.events import person, program, publish
from tests.support.helpers import matcher_knows, token

pytestmark = pytest.mark.e2e


async def events_of(
    stack: Endpoints, topic: str, kind: str, match: Any, count: int = 1
) -> list[dict[str, Any]]:
    records = await find_records(
        stack.bootstrap_servers,
        topic,
        lambda r: header(r, "ce_type") == f"mentornet.{kind}.v1" and match(json.loads(r.value)),
        count=count,
        timeout=60,
    )
    return [json.loads(r.value) for r in records]


async def test_two_missed_sessions_rematch_the_mentee_and_the_case_resolves(
    stack: Endpoints,
    matcher: RunningService,
    scheduler_on: ServiceOn,
    qa_on: ServiceOn,
    unique: str,
) -> None:
    program_id, mentee = f"prog-{unique}", f"ada-{unique}"
    first_mentor, second_mentor = f"m1-{unique}", f"m2-{unique}"
    clock = MovableClock(datetime.now(UTC))
    published = program(program_id).model_copy(
        update={"coordinator_ids": (f"coord-{unique}",), "duration_weeks": 8}
    )
    async with scheduler_on(clock) as scheduler, qa_on(clock):
        await publish(
            stack,
            published,
            person(
                MentorRegistered,
                first_mentor,
                program_id,
                skills=[{"skill_id": "python", "level": 5}],
            ),
            person(
                MentorRegistered,
                second_mentor,
                program_id,
                skills=[{"skill_id": "python", "level": 3}],
            ),
        )
        for mentor in (first_mentor, second_mentor):
            await eventually(
                partial(matcher_knows, matcher, mentor), what=f"{mentor} in the matcher"
            )
        goals = [
            {
                "goal_id": "g1",
                "statement": "Grow",
                "target_skills": [{"skill_id": "python", "level": 3}],
            }
        ]
        await publish(stack, person(MenteeRegistered, mentee, program_id, goals=goals))

        [first] = await events_of(
            stack, MATCHES.name, "match.proposed", lambda e: e["mentee_id"] == mentee
        )
        assert first["mentor_id"] in (first_mentor, second_mentor)
        other = second_mentor if first["mentor_id"] == first_mentor else first_mentor
        accepted = await matcher.http.post(
            f"/matches/{first['match_id']}/accept", headers=token(first["mentor_id"], "mentor")
        )
        assert accepted.status_code == 200, accepted.text

        booked = await events_of(
            stack,
            SESSIONS.name,
            "session.scheduled",
            lambda e: e["match_id"] == first["match_id"],
            count=2,
        )
        two = sorted(booked, key=lambda e: e["starts_at"])[:2]
        clock.now = datetime.fromisoformat(two[1]["starts_at"]) + timedelta(hours=1)
        for session in two:
            recorded = await scheduler.http.post(
                f"/sessions/{session['session_id']}/attendance",
                json={"attendance": "mentee_no_show"},
                headers=token(first["mentor_id"], "mentor"),
            )
            assert recorded.status_code == 200, recorded.text

        raises = await events_of(
            stack, QA.name, "escalation.raised", lambda e: e["match_id"] == first["match_id"]
        )
        assert len({r["case_id"] for r in raises}) == 1, "one case per match"
        raised = raises[0]
        assert (raised["trigger"], raised["action"], raised["owner_id"]) == (
            "missed_sessions",
            "rematch",
            f"coord-{unique}",
        )
        [ended] = await events_of(
            stack, MATCHES.name, "match.ended", lambda e: e["match_id"] == first["match_id"]
        )
        assert (ended["reason"], ended["cause"]) == ("rematched", "escalation")
        [second] = await events_of(
            stack,
            MATCHES.name,
            "match.proposed",
            lambda e: e["mentee_id"] == mentee and e["match_id"] != first["match_id"],
        )
        assert second["mentor_id"] == other
        cancelled = await events_of(
            stack, SESSIONS.name, "session.cancelled", lambda e: e["match_id"] == first["match_id"]
        )
        assert cancelled

        again = await matcher.http.post(
            f"/matches/{second['match_id']}/accept", headers=token(other, "mentor")
        )
        assert again.status_code == 200, again.text
        [resolved] = await events_of(
            stack, QA.name, "escalation.resolved", lambda e: e["case_id"] == raised["case_id"]
        )
        assert resolved["resolution"] == "rematched"
        rebooked = await events_of(
            stack, SESSIONS.name, "session.scheduled", lambda e: e["match_id"] == second["match_id"]
        )
        assert rebooked
