"""A person enrolled in two programs, matched, with sessions, feedback they wrote, a QA
sample and case, a diversity record, an experiment arm and outcome facts (a skill
assessment and an end-of-match survey, as QA keeps them), erases themself; then every
document of every collection of every service's database is read. Their name, e-mail
address, diversity attribute and the words they wrote are found nowhere; their ids
(pseudonymous) remain only in the documented tombstones (docs/privacy.md, "What erasure leaves")."""

from __future__ import annotations

import json
from collections import defaultdict
from contextlib import AsyncExitStack
from datetime import UTC, datetime
from typing import Any

import pytest
from mentornet_contracts.events.common import Role, SkillLevel
from mentornet_contracts.events.experiments import ExperimentArmAssigned
from mentornet_contracts.events.outcomes import AssessmentStage, EndSurveySubmitted, SkillAssessed
from mentornet_feedback.domain.templates import DEFAULT, asked
from mentornet_tooling.testing.backends import Endpoints
from mentornet_tooling.testing.clock import MovableClock
from mentornet_tooling.testing.poll import eventually
from mentornet_tooling.testing.services import RunningService
from pymongo import AsyncMongoClient

from tests.conftest import ServiceOn
from tests.support.access_world import AccessWorld, bearer, build_world, start_services
from tests.support.events import publish

pytestmark = pytest.mark.e2e

TOMBSTONES = {
    ("intake", "participants"): "the enrolment's tombstone: id, program, status erased",
    ("matcher", "candidates"): "the fact of erasure, so a late event cannot bring data back",
    ("matcher", "matches"): "the match, ended, as the program's history and counts",
    ("matcher", "waitlist"): "the waitlist entry's end, so a late event does not requeue",
    ("scheduler", "calendars"): "the fact of erasure: no more bookings",
    ("scheduler", "matches"): "the match's sessions, cancelled, for the mentor's history",
    ("feedback", "matches"): "the match's scores and counts, without the person's answers",
    ("feedback", "people"): "the fact of erasure: no more requests",
    ("qa", "matches"): "the match and its closed cases, without their words or outcome facts",
    (
        "qa",
        "assignments",
    ): "the mentee's experiment arm marked erased: the arm no longer counts them",
    ("qa", "people"): "the fact of erasure: no fairness data",
    ("qa", "samples"): "reviewed scores (comments gone) or a withdrawn sample",
    ("qa", "periods"): "the period's sampling decisions, replayable from their seed",
}
"""Where an erased person's ids may remain, and what for (docs/privacy.md)."""


def answers(secret: str) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for question in asked(DEFAULT, "mentee"):
        if question.kind in ("rating", "rubric"):
            found[question.id] = 4
        elif question.kind == "text":
            found[question.id] = f"{secret} {question.id}"
    return found


async def documents(
    client: AsyncMongoClient[dict[str, Any]], services: dict[str, RunningService]
) -> dict[tuple[str, str], list[str]]:
    """Every document of every service's database, as text, by (service, collection)."""
    found: dict[tuple[str, str], list[str]] = defaultdict(list)
    for name, service in services.items():
        db = client[str(service.settings.mongo.database)]
        for collection in await db.list_collection_names():
            async for doc in db[collection].find({}):
                found[(name, collection)].append(json.dumps(doc, default=str).lower())
    return found


def findings(
    docs: dict[tuple[str, str], list[str]], personal: set[str], ids: set[str]
) -> list[str]:
    """What is left where it must not be."""
    left = []
    for where, texts in sorted(docs.items()):
        for text in texts:
            left += [f"{where}: personal {p!r}" for p in sorted(personal) if p.lower() in text]
            if where not in TOMBSTONES:
                left += [f"{where}: id {i!r}" for i in sorted(ids) if i.lower() in text]
    return sorted(set(left))


async def enrol_again(services: dict[str, RunningService], world: AccessWorld) -> str:
    body = {**world.mentee_body, "program_id": world.program_b}
    answer = await services["intake"].http.post(
        "/participants/mentees", json=body, headers=world.creator
    )
    assert answer.status_code == 201, answer.text
    return str(answer.json()["participant_id"])


async def outcome_facts(
    stack: Endpoints,
    client: AsyncMongoClient[dict[str, Any]],
    qa: RunningService,
    world: AccessWorld,
) -> tuple[Any, str]:
    """An experiment arm, a baseline assessment and an end survey of the mentee, as the
    matcher and feedback announce them, once QA keeps them: (QA's database, the arm's
    document id)."""
    ids = {"match_id": world.match_id, "mentee_id": world.mentee, "program_id": world.program_a}
    experiment = f"exp-{world.unique}"
    await publish(
        stack,
        ExperimentArmAssigned(
            experiment_id=experiment,
            program_id=world.program_a,
            mentee_id=world.mentee,
            arm_id="A",
            stratum="unspecified",
            rule_id="program",
            rule_version=1,
        ),
        SkillAssessed(
            **ids,
            assessor=Role.MENTEE,
            stage=AssessmentStage.BASELINE,
            levels=(SkillLevel(skill_id="python", level=2),),
        ),
        EndSurveySubmitted(
            **ids,
            role=Role.MENTEE,
            template_version=1,
            satisfaction=4,
            would_recommend=True,
            confidence_gained=4,
        ),
    )
    db = client[qa.database]
    arm = f"{world.program_a}/{experiment}/{world.mentee}"

    async def kept() -> bool:
        match = await db["matches"].find_one({"_id": world.match_id})
        state = (match or {}).get("state", {})
        arm_doc = await db["assignments"].find_one({"_id": arm})
        return bool(arm_doc and state.get("assessments") and state.get("end_surveys"))

    await eventually(kept, timeout=30, what="QA keeps the arm and the outcome facts")
    return db, arm


async def test_an_erased_person_leaves_only_documented_tombstones(
    stack: Endpoints,
    scheduler_on: ServiceOn,
    feedback_on: ServiceOn,
    qa_on: ServiceOn,
    unique: str,
) -> None:
    clock = MovableClock(datetime.now(UTC))
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(stack.mongo_uri)
    async with AsyncExitStack() as stack_of:
        services = await start_services(stack_of, stack, clock, scheduler_on, feedback_on, qa_on)
        world = await build_world(stack, services, clock, unique)
        second = await enrol_again(services, world)
        me = bearer(world.sub("mentee"))
        secret = f"ada-wrote-this-{unique}"
        answered = await services["feedback"].http.post(
            f"/feedback-requests/{world.request_id}/answers",
            json={"template_version": 1, "answers": answers(secret)},
            headers={**me, "Idempotency-Key": f"answer-{unique}"},
        )
        assert answered.status_code == 200, answered.text
        personal = {
            world.mentee_body["display_name"],
            world.mentee_body["email"],
            secret,
            '"gender": "woman"',
        }
        ids = {world.mentee, second, world.sub("mentee")}
        qa_db, arm = await outcome_facts(stack, client, services["qa"], world)
        before = findings(await documents(client, services), personal, ids)
        assert any("personal" in f for f in before), "the sweep finds what is there"

        erased = await services["intake"].http.delete(f"/participants/{world.mentee}", headers=me)
        assert erased.status_code == 200, erased.text
        assert sorted(erased.json()["erased"]) == sorted({world.mentee, second})

        left: list[str] = []

        async def swept() -> bool:
            left[:] = findings(await documents(client, services), personal, ids)
            return not left

        try:
            await eventually(swept, timeout=60, what="only documented tombstones")
            match = await qa_db["matches"].find_one({"_id": world.match_id})
            state = (match or {}).get("state", {})
            assert not state.get("assessments"), "the erased mentee's assessments are gone"
            assert not state.get("end_surveys"), "and their survey"
            arm_doc = await qa_db["assignments"].find_one({"_id": arm})
            assert (arm_doc or {}).get("state", {}).get("erased") is True
        finally:
            print(f"before erasure: {len(before)} places; after: {len(left)}")
            for place in left:
                print("left:", place)
