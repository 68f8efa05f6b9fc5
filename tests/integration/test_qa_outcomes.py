"""QA's outcome reports on the real broker and store: the fairness audit over a
generated program (a group of 4 suppressed, a disparity flagged, the result announced),
and recognition (an award at the program's threshold, once; a mentee who finished with
their goal reached invited to mentor)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from mentornet_contracts.catalogue import QA
from mentornet_contracts.events.audit import AuditGroupsRecorded
from mentornet_contracts.events.feedback import GoalProgressRecorded, GoalStatus
from mentornet_contracts.events.matches import (
    MatchConfirmed,
    MatchEnded,
    MatchEndReason,
    MatchProposed,
)
from mentornet_contracts.events.participants import MenteeRegistered, MentorRegistered
from mentornet_contracts.events.sessions import Attendance, SessionCompleted
from mentornet_tooling.testing.backends import Endpoints
from mentornet_tooling.testing.clock import MovableClock
from mentornet_tooling.testing.kafka import all_records, find_records, kind_of
from mentornet_tooling.testing.poll import eventually

from tests.conftest import ServiceOn
from tests.integration.test_qa import session
from tests.support.events import person, program, publish
from tests.support.helpers import token

pytestmark = pytest.mark.integration

NOW = datetime(2027, 3, 10, 9, 0, tzinfo=UTC)
SKILLS = [{"skill_id": "python", "level": 5}]
GOAL = {
    "goal_id": "g1",
    "statement": "Lead a review",
    "target_skills": [{"skill_id": "python", "level": 3}],
}


async def announced(
    stack: Endpoints, kind: str, match: Any, count: int = 1
) -> list[dict[str, Any]]:
    records = await find_records(
        stack.bootstrap_servers,
        QA.name,
        lambda r: kind_of(r) == kind and match(json.loads(r.value)),
        count=count,
        timeout=30,
    )
    return [json.loads(r.value) for r in records]


def pair(program_id: str, match_id: str, mentor: str, mentee: str) -> list[Any]:
    ids = {"match_id": match_id, "mentee_id": mentee, "mentor_id": mentor, "program_id": program_id}
    return [MatchProposed(**ids, score=0.8, explanation=()), MatchConfirmed(**ids)]


async def test_the_fairness_audit_suppresses_a_group_of_four_and_flags_a_disparity(
    stack: Endpoints, qa_on: ServiceOn, unique: str
) -> None:
    program_id = f"prog-{unique}"
    coordinator = token(f"coord-{unique}", "coordinator", programs=[program_id])
    events: list[Any] = [program(program_id)]
    mentors = [f"r{n}-{unique}" for n in range(8)]
    events += [person(MentorRegistered, m, program_id, skills=SKILLS) for m in mentors]
    matched = {"emea": 9, "amer": 6, "apac": 1}
    sizes = {"emea": 10, "amer": 10, "apac": 4}
    n = 0
    for place, size in sizes.items():
        for k in range(size):
            mentee = f"e{n}-{unique}"
            events += [
                person(MenteeRegistered, mentee, program_id),
                AuditGroupsRecorded(
                    participant_id=mentee, program_id=program_id, groups={"region": place}
                ),
            ]
            if k < matched[place]:
                events += pair(program_id, f"m{n}-{unique}", mentors[n % 8], mentee)
            n += 1
    async with qa_on(MovableClock(NOW)) as qa:
        await publish(stack, *events, at=NOW - timedelta(days=2))

        async def audited() -> dict[str, Any] | None:
            answer = await qa.http.post(
                f"/programs/{program_id}/fairness-audits", headers=coordinator
            )
            if answer.status_code == 404:
                return None
            assert answer.status_code == 201, answer.text
            attributes = answer.json()["attributes"]
            if not attributes:
                return None
            [region] = attributes
            groups = {g["group"]: g for g in region["groups"]}
            rates = {g: groups.get(g, {}).get("match_rate") for g in ("emea", "amer")}
            sized = all(groups.get(g, {}).get("people") == "10-24" for g in ("emea", "amer"))
            done = rates == {"emea": 0.9, "amer": 0.6} and sized and "apac" in groups
            return {**region, "audit_id": answer.json()["audit_id"]} if done else None

        region = await eventually(audited, timeout=30, what="every mentee in the audit")
        groups = {g["group"]: g for g in region["groups"]}
        assert groups["apac"] == {"group": "apac", "suppressed": True, "people": "fewer than 5"}
        assert groups["amer"]["people"] == "10-24"
        assert [(d["metric"], d["group"]) for d in region["disparities"]] == [
            ("match_rate", "amer")
        ]
        [completed] = await announced(
            stack,
            "fairness.audit.completed",
            lambda body: body["audit_id"] == region["audit_id"],
        )
        assert completed["group_attribute"] == "region"
        assert completed["disparities"] == [
            {"metric": "match_rate", "group": "amer", "ratio": 0.6667}
        ]
        latest = await qa.http.get(
            f"/programs/{program_id}/fairness-audits/latest", headers=coordinator
        )
        assert latest.json()["audit_id"] == region["audit_id"]
        mentee_asks = await qa.http.post(
            f"/programs/{program_id}/fairness-audits", headers=token("e0", "mentee")
        )
        assert mentee_asks.status_code == 403


async def test_an_award_is_given_once_at_the_threshold_and_a_mentee_who_met_their_goal_is_invited(
    stack: Endpoints, qa_on: ServiceOn, unique: str
) -> None:
    program_id, match_id = f"prog-{unique}", f"m-{unique}"
    mentor, mentee = f"r-{unique}", f"e-{unique}"
    coordinator = token(f"coord-{unique}", "coordinator", programs=[program_id])
    async with qa_on(MovableClock(NOW)) as qa:
        await publish(
            stack,
            program(program_id),
            person(MentorRegistered, mentor, program_id, skills=SKILLS),
            person(MenteeRegistered, mentee, program_id, goals=[GOAL]),
            *pair(program_id, match_id, mentor, mentee),
            at=NOW,
        )

        async def thresholds_set() -> bool:
            answer = await qa.http.put(
                f"/programs/{program_id}/recognition",
                json={"awards": [{"award": "two-sessions", "sessions": 2}]},
                headers=coordinator,
            )
            return answer.status_code == 200

        await eventually(thresholds_set, what="the program to reach QA")
        bad = await qa.http.put(
            f"/programs/{program_id}/recognition",
            json={"awards": [{"award": "x", "sessions": -1}]},
            headers=coordinator,
        )
        assert (bad.status_code, bad.json()["field"]) == (422, "body.awards.0.sessions")
        held: list[Any] = []
        for k in range(3):
            sid = f"s{k}-{unique}"
            held += [
                session(sid, match_id, program_id, mentor, mentee, NOW + timedelta(days=7 * k)),
                SessionCompleted(session_id=sid, match_id=match_id, attendance=Attendance.ATTENDED),
            ]
        await publish(stack, *held, at=NOW)
        [award] = await announced(
            stack, "recognition.awarded", lambda body: body["mentor_id"] == mentor
        )
        assert (award["award"], award["reason"]) == ("two-sessions", "2 sessions delivered")

        async def impact() -> dict[str, Any] | None:
            seen = (
                await qa.http.get(f"/programs/{program_id}/recognition", headers=coordinator)
            ).json()
            [theirs] = seen["mentors"]
            return theirs if theirs["sessions_delivered"] == 3 else None

        theirs = await eventually(impact, what="the third session in the mentor's impact")
        assert theirs["awards"] == ["two-sessions"]
        await publish(
            stack,
            GoalProgressRecorded(
                match_id=match_id,
                mentee_id=mentee,
                goal_id="g1",
                percent=100,
                status=GoalStatus.ACHIEVED,
            ),
            MatchEnded(
                match_id=match_id,
                mentee_id=mentee,
                mentor_id=mentor,
                program_id=program_id,
                reason=MatchEndReason.COMPLETED,
            ),
            at=NOW,
        )
        [invited] = await announced(
            stack, "mentee.invited_to_mentor", lambda body: body["participant_id"] == mentee
        )
        assert invited["skill_ids"] == ["python"]
        awards = await all_records(
            stack.bootstrap_servers,
            QA.name,
            lambda r: (
                kind_of(r) == "recognition.awarded" and json.loads(r.value)["mentor_id"] == mentor
            ),
        )
        assert [json.loads(r.value)["award"] for r in awards] == ["two-sessions"], (
            "every award to the mentor, read to the end of the topic"
        )
