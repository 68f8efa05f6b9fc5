"""The skill taxonomy over HTTP on the real stack: curated, persisted, announced."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from mentornet_contracts.catalogue import PROGRAMS
from mentornet_intake.app import build
from mentornet_intake.settings import IntakeSettings
from mentornet_tooling.testing.backends import Endpoints
from mentornet_tooling.testing.examples import smart_goal
from mentornet_tooling.testing.kafka import all_records, find_records, header
from mentornet_tooling.testing.services import RunningService, running, service_settings

from tests.support.helpers import mentee_body, open_program, token

pytestmark = pytest.mark.integration


def skill(skill_id: str, alias: str) -> dict[str, object]:
    return {
        "id": skill_id,
        "name": f"Skill {skill_id}",
        "cluster": "technical",
        "category": "platform",
        "tier": "professional",
        "aliases": [alias],
    }


def goal_on(skill_id: str) -> dict[str, object]:
    """A SMART goal as of intake's today (the wall clock's)."""
    return smart_goal(
        datetime.now(UTC).date(),
        statement="Run the platform's on-call rotation confidently",
        target_skills=[{"skill_id": skill_id, "level": 3}],
        measurable_outcome="Lead three incident reviews",
    )


async def test_curation_is_persisted_announced_and_used_by_registration(
    stack: Endpoints, intake: RunningService, unique: str
) -> None:
    coordinator = token(f"t-{unique}", "taxonomy_curator")
    new_id, alias, renamed_id = f"skill-{unique}", f"alias-{unique}", f"renamed-{unique}"
    added = await intake.http.post(
        "/taxonomy/skills", json=skill(new_id, alias), headers=coordinator
    )
    assert added.status_code == 201, added.text
    assert added.json()["skill"]["id"] == new_id

    program_id, owner = await open_program(intake, unique)
    by_alias = await intake.http.post(
        "/participants/mentees",
        headers=owner,
        json=mentee_body(unique, program_id, goals=[goal_on(alias.upper())]),
    )
    assert by_alias.status_code == 201, by_alias.text
    mentee_id = by_alias.json()["participant_id"]
    stored = await intake.http.get(f"/participants/{mentee_id}", headers=owner)
    assert stored.json()["profiles"]["mentee"]["goals"][0]["target_skills"][0]["skill_id"] == new_id

    rename = await intake.http.post(
        f"/taxonomy/skills/{new_id}/rename", json={"new_id": renamed_id}, headers=coordinator
    )
    assert rename.status_code == 200, rename.text
    old = await intake.http.get(f"/taxonomy/skills/{new_id}", headers=owner)
    assert old.json()["id"] == renamed_id
    assert new_id in old.json()["aliases"]

    async with running(
        "intake", service_settings(stack, IntakeSettings, "intake", database=intake.database), build
    ) as replica:
        seen = await replica.http.get(f"/taxonomy/skills/{alias}", headers=owner)
        assert seen.json()["id"] == renamed_id
        for _ in range(2):
            retired = await replica.http.post(
                f"/taxonomy/skills/{renamed_id}/deprecate", headers=coordinator
            )
            assert retired.status_code == 200, retired.text
    assert retired.json()["changed"] is False

    refused = await intake.http.post(
        "/participants/mentees",
        headers=owner,
        json=mentee_body(f"b{unique}", program_id, goals=[goal_on(renamed_id)]),
    )
    assert refused.status_code == 422
    assert refused.json()["field"] == "goals.0.target_skills.0.skill_id"
    listing = await intake.http.get("/taxonomy", headers=owner)
    assert renamed_id not in {s["id"] for s in listing.json()["skills"]}

    def ours(record: object) -> bool:
        curated = header(record, "ce_type") == "mentornet.taxonomy.updated.v2"
        return curated and unique in record.value.decode()  # type: ignore[attr-defined]

    await find_records(stack.bootstrap_servers, PROGRAMS.name, ours, count=3)
    records = await all_records(stack.bootstrap_servers, PROGRAMS.name, ours)
    changes = [json.loads(r.value) for r in records]
    assert [c["added"] for c in changes] == [[new_id], [], []]
    assert changes[1]["renamed"] == [{"old_id": new_id, "new_id": renamed_id}]
    assert changes[2]["deprecated"] == [renamed_id]
    assert [c["taxonomy_version"] for c in changes] == [2, 3, 4]


async def test_only_taxonomy_curators_curate_and_errors_name_the_field(
    intake: RunningService, unique: str
) -> None:
    coordinator = token(f"t-{unique}", "taxonomy_curator")
    mentor = token(f"m-{unique}", "mentor")
    program_coordinator = token(f"c-{unique}", "coordinator", programs=["prog-any"])
    for refused in (mentor, program_coordinator):
        forbidden = await intake.http.post(
            "/taxonomy/skills", json=skill(f"s-{unique}", f"a-{unique}"), headers=refused
        )
        assert forbidden.status_code == 403
        assert "taxonomy_curator" in forbidden.json()["reason"]
    clash = await intake.http.post(
        "/taxonomy/skills", json=skill(f"s-{unique}", "py"), headers=coordinator
    )
    assert clash.status_code == 409
    assert "already an id or alias of python" in clash.json()["reason"]
    unknown = await intake.http.get("/taxonomy/skills/pyhton", headers=mentor)
    assert unknown.status_code == 404
    assert unknown.json()["field"] == "skill_id"
    assert "did you mean: python" in unknown.json()["reason"]
    bad_id = await intake.http.post(
        "/taxonomy/skills/python/rename", json={"new_id": "Not Kebab"}, headers=coordinator
    )
    assert bad_id.status_code == 422
    assert bad_id.json()["field"] == "body.new_id"
    missing = await intake.http.post("/taxonomy/skills/nope-nope/deprecate", headers=coordinator)
    assert missing.status_code == 404
    anonymous = await intake.http.get("/taxonomy")
    assert anonymous.status_code == 401
