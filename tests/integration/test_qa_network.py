"""QA's network view on the real broker and store: two published programs with one
mentor in both (their skills changed by a profile update), an erased mentee and a
program QA has only heard of; the network tables count each person once, leave out the
erased and the unpublished, and keep to the programs a scope names."""

from __future__ import annotations

from typing import Any

import pytest
from mentornet_chassis.store.aggregates import AggregateStore
from mentornet_contracts import REGISTRY
from mentornet_contracts.events.matches import CoverageGapReported, MatchConfirmed, MatchProposed
from mentornet_contracts.events.participants import (
    MenteeRegistered,
    MentorRegistered,
    ParticipantErased,
    ProfileUpdated,
)
from mentornet_qa.domain.tables import Table
from mentornet_qa.store import QaStores
from mentornet_qa.usecases.network import NetworkFigures
from mentornet_tooling.testing.backends import Endpoints
from mentornet_tooling.testing.clock import MovableClock
from mentornet_tooling.testing.poll import eventually
from pymongo import AsyncMongoClient

from tests.conftest import ServiceOn
from tests.integration.test_qa import NOW
from tests.support.events import person, program, publish

pytestmark = pytest.mark.integration

COLLECTIONS = ("matches", "people", "programs", "periods", "samples", "recognition")


def goals(*skills: str) -> list[dict[str, Any]]:
    targets = [{"skill_id": s, "level": 3} for s in skills]
    return [{"goal_id": "g1", "statement": "Grow", "target_skills": targets}]


def events(unique: str) -> list[Any]:
    a, b, c = f"prog-a-{unique}", f"prog-b-{unique}", f"prog-c-{unique}"
    ana = f"ana-{unique}"
    python = [{"skill_id": "python", "level": 5}]
    return [
        program(a).model_copy(update={"name": "Alpha"}),
        program(b).model_copy(update={"name": "Beta"}),
        CoverageGapReported(
            program_id=c, skill_ids=("rust",), waiting_mentees=1, mentors_with_capacity=0
        ),
        person(MentorRegistered, f"mA-{unique}", a, person_id=ana, skills=python),
        person(MentorRegistered, f"mB-{unique}", b, person_id=ana, skills=python),
        ProfileUpdated(participant_id=f"mB-{unique}", skills=({"skill_id": "go", "level": 4},)),
        person(MenteeRegistered, f"eA-{unique}", a, goals=goals("python")),
        person(MenteeRegistered, f"eB-{unique}", b, goals=goals("go", "sql")),
        person(MenteeRegistered, f"eX-{unique}", a, goals=goals("rust")),
        ParticipantErased(participant_id=f"eX-{unique}"),
        *pair(f"mA-{unique}", f"eA-{unique}", a, f"m-a-{unique}"),
        *pair(f"mB-{unique}", f"eB-{unique}", b, f"m-b-{unique}"),
    ]


def pair(mentor: str, mentee: str, program_id: str, match_id: str) -> list[Any]:
    ids = {"match_id": match_id, "mentee_id": mentee, "mentor_id": mentor}
    return [
        MatchProposed(**ids, program_id=program_id, score=0.8, explanation=()),
        MatchConfirmed(**ids, program_id=program_id),
    ]


def by_figure(tables: list[Table]) -> dict[str, Table]:
    return {t["figure"]: t for t in tables}


def totals(found: dict[str, Table]) -> dict[str, Any]:
    return {str(r["indicator"]): r["value"] for r in found["network_totals"]["rows"]}


async def test_the_network_counts_people_once_over_published_programs_in_scope(
    stack: Endpoints, mongo: AsyncMongoClient[dict[str, Any]], qa_on: ServiceOn, unique: str
) -> None:
    clock = MovableClock(NOW)
    async with qa_on(clock) as qa:
        await publish(stack, *events(unique), at=NOW)
        db = mongo[qa.database]
        stores = QaStores(*(AggregateStore(db[name], REGISTRY) for name in COLLECTIONS))
        network = NetworkFigures(stores, clock)

        async def settled() -> dict[str, Table] | None:
            found = by_figure(await network.tables(None))
            skills = {str(r["skill"]): r for r in found["network_skills"]["rows"]}
            offered = skills["go"]["mentors_offering"] if "go" in skills else 0
            done = totals(found).get("active_matches") == 2 and offered == 1
            return found if done else None

        found = await eventually(
            settled, timeout=60, what="both matches, and the profile update's skill offered"
        )
        values = totals(found)
        assert (values["programs"], values["mentors"], values["mentees"]) == (
            2,
            1,
            2,
        )
        [ana] = found["network_busiest_mentors"]["rows"]
        assert (ana["mentor"], ana["programs"], ana["active_mentees"]) == (f"ana-{unique}", 2, 2)
        skills = {str(r["skill"]): r for r in found["network_skills"]["rows"]}
        assert "rust" not in skills
        assert (skills["go"]["mentors_offering"], skills["python"]["mentors_offering"]) == (1, 1)
        assert skills["sql"]["mentors_offering"] == 0
        names = [r["program"] for r in found["network_programs"]["rows"]]
        assert names == ["Alpha", "Beta"]

        scoped = by_figure(await network.tables(frozenset({f"prog-b-{unique}", "prog-none"})))
        assert totals(scoped)["programs"] == 1
        assert [r["program"] for r in scoped["network_programs"]["rows"]] == ["Beta"]
        one = await network.table(frozenset({f"prog-a-{unique}"}), "network_totals")
        assert {str(r["indicator"]): r["value"] for r in one["rows"]}["active_matches"] == 1
