"""The network view across programs (domain/network*.py), on two hand-built programs:
a mentor in both counts once, erased people never count, mentors fall in load buckets,
skills are ordered by shortage; and QA keeps a mentor's skills (domain/people.py)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, cast

import pytest
from mentornet_contracts.events.common import SkillLevel
from mentornet_contracts.events.participants import MentorRegistered, ProfileUpdated
from mentornet_qa.domain import people
from mentornet_qa.domain.documents import Match, Person
from mentornet_qa.domain.network import FIGURES, network_tables
from mentornet_qa.domain.network_facts import ProgramFacts
from mentornet_qa.domain.network_skills import MOST_SKILLS, skills_in_demand
from mentornet_qa.domain.program import ProgramState
from mentornet_qa.domain.tables import Table

from .builders import match_doc, person_doc, role_doc

pytestmark = pytest.mark.unit

NOW = datetime(2027, 3, 1, 12, tzinfo=UTC)
SINCE = "2027-01-01T09:00:00+00:00"
CONFIRMED = {"confirmed_at": "2027-01-08T09:00:00+00:00"}


def mentor(
    pid: str,
    program: str,
    person: str,
    skills: list[str],
    capacity: int | None = None,
    status: str = "active",
) -> Person:
    role = role_doc(program, SINCE, capacity=capacity, skills=skills)
    return person_doc(pid, "mentor", role=role, status=status, person_id=person)


def mentee(
    pid: str,
    program: str,
    goals: list[str],
    person: str | None = None,
    waitlisted: bool = False,
    status: str = "active",
) -> Person:
    facts: dict[str, Any] = {"person_id": person} if person else {}
    if waitlisted:
        facts["waitlisted_at"] = SINCE
    role = role_doc(program, SINCE, goal_skills=goals)
    return person_doc(pid, role=role, status=status, **facts)


def match(
    mid: str, program: str, mentor_id: str, mentee_id: str, status: str = "confirmed", **more: Any
) -> Match:
    facts = {"program_id": program, "mentor_id": mentor_id, "status": status, **more}
    return match_doc(mid, mentee_id, **(CONFIRMED | facts))


CASE = {
    "case_id": "c1",
    "severity": "high",
    "opened_at": "2027-02-20T09:00:00+00:00",
    "due_at": "2027-02-25T09:00:00+00:00",
}
SESSIONS = {
    "s1": {"session_id": "s1", "status": "completed"},
    "s2": {"session_id": "s2", "status": "completed"},
    "s3": {"session_id": "s3", "status": "missed"},
}
FEEDBACK = {"f1": {"session_id": "s1", "rubric": {"a": 4, "b": 2}}}


def alpha() -> ProgramFacts:
    state = cast(
        ProgramState, {"program_id": "prog-a", "name": "Alpha", "max_active_mentees_per_mentor": 3}
    )
    folks = [
        mentor("mA1", "prog-a", "ana", ["go", "python"], capacity=2),
        mentor("mA2", "prog-a", "bo", ["python"]),
        mentor("mA9", "prog-a", "zed", ["rust"], status="erased"),
        mentee("eA1", "prog-a", ["python"]),
        mentee("eA2", "prog-a", ["python", "sql"], person="eve", waitlisted=True),
        mentee("eA3", "prog-a", ["sql"]),
        mentee("eA4", "prog-a", ["rust"], waitlisted=True, status="erased"),
    ]
    matches = [
        match("A-1", "prog-a", "mA1", "eA1", sessions=SESSIONS, feedback=FEEDBACK, case=CASE),
        match("A-2", "prog-a", "mA2", "eA3"),
        match("A-3", "prog-a", "mA1", "eA0", status="ended", end_reason="completed"),
    ]
    return ProgramFacts(state, matches, folks)


def beta() -> ProgramFacts:
    state = cast(
        ProgramState, {"program_id": "prog-b", "name": "Beta", "max_active_mentees_per_mentor": 1}
    )
    folks = [
        mentor("mB1", "prog-b", "ana", ["python"], capacity=1),
        mentor("mB2", "prog-b", "cy", ["sql"]),
        mentor("mB3", "prog-b", "dee", []),
        mentor("mB4", "prog-b", "fay", []),
        mentee("eB1", "prog-b", ["go"], person="eve", waitlisted=True),
        mentee("eB2", "prog-b", ["python"]),
        mentee("eB3", "prog-b", []),
        mentee("eB4", "prog-b", []),
    ]
    matches = [
        match("B-1", "prog-b", "mB1", "eB2"),
        match("B-2", "prog-b", "mB2", "eB3"),
        match("B-3", "prog-b", "mB2", "eB4"),
        match("B-4", "prog-b", "mB4", "eB0"),
    ]
    return ProgramFacts(state, matches, folks)


def tables() -> dict[str, Table]:
    return {t["figure"]: t for t in network_tables([beta(), alpha()], NOW)}


def test_every_figure_is_made_in_the_pages_order() -> None:
    assert tuple(t["figure"] for t in network_tables([alpha(), beta()], NOW)) == FIGURES


def test_totals_count_each_person_once_and_never_the_erased() -> None:
    found = tables()["network_totals"]
    values = {row["indicator"]: (row["value"], row["unit"]) for row in found["rows"]}
    assert values == {
        "programs": (2, "count"),
        "mentees": (6, "count"),
        "mentors": (5, "count"),
        "active_matches": (6, "count"),
        "waitlisted": (2, "count"),
        "sessions_held": (2, "count"),
        "sessions_missed": (1, "count"),
        "attendance_rate": (0.6667, "rate"),
        "completed_matches": (1, "count"),
        "escalations_open": (1, "count"),
        "escalations_past_sla": (1, "count"),
    }
    assert "6 mentees registered and 5 mentors active" in found["summary"]
    assert "attendance 67%" in found["summary"]


def test_programs_side_by_side_are_each_programs_health_figures() -> None:
    found = tables()["network_programs"]
    a, b = found["rows"]
    assert (a["program"], b["program"]) == ("Alpha", "Beta")
    assert a["mentees"] == 3
    assert (a["utilisation"], b["utilisation"]) == (0.4, 1.0)
    assert (a["attendance_rate"], b["attendance_rate"]) == (0.6667, None)
    assert a["rubric_average"] == 3.0
    assert (a["escalations_open"], a["escalations_past_sla"], b["escalations_open"]) == (1, 1, 0)
    assert (a["completed_matches"], a["waitlisted"], b["waitlisted"]) == (1, 1, 1)
    assert "Most mentees: Beta (4)." in found["summary"]
    assert "Highest utilisation: Beta (100%)." in found["summary"]
    assert "Lowest attendance: Alpha (67%)." in found["summary"]


def test_mentors_fall_in_one_load_bucket_each_across_programs() -> None:
    found = tables()["network_mentor_load"]
    counts = {row["load"]: (row["mentors"], row["share"]) for row in found["rows"]}
    assert counts == {
        "no mentees": (1, 0.2),
        "under half": (1, 0.2),
        "half to full": (1, 0.2),
        "full": (1, 0.2),
        "over capacity": (1, 0.2),
    }
    assert "Of 5 active mentors across 2 programs:" in found["summary"]
    assert "1 person mentors in two or more programs" in found["summary"]


def test_the_busiest_mentors_come_first_with_their_places_in_every_program() -> None:
    rows = tables()["network_busiest_mentors"]["rows"]
    assert [r["mentor"] for r in rows] == ["cy", "fay", "ana", "bo"]
    ana = rows[2]
    assert (ana["programs"], ana["active_mentees"], ana["places"], ana["load"]) == (2, 2, 3, 0.6667)
    assert rows[0]["load"] == 2.0


def test_skills_are_ordered_by_shortage_and_erased_people_add_none() -> None:
    found = tables()["network_skills"]
    rows = {r["skill"]: r for r in found["rows"]}
    assert [r["skill"] for r in found["rows"]] == ["sql", "python", "go"]
    assert (rows["python"]["mentees_wanting"], rows["python"]["mentees_waiting"]) == (3, 1)
    assert (rows["python"]["mentors_offering"], rows["python"]["demand_per_mentor"]) == (2, 1.5)
    assert rows["go"]["mentees_waiting"] == 1
    assert "rust" not in rows
    assert "The largest shortage is sql" in found["summary"]


def test_a_skill_no_mentor_offers_comes_before_others_equally_waited_for() -> None:
    program = alpha()
    extra = mentee("eA5", "prog-a", ["kotlin"], waitlisted=True)
    grown = ProgramFacts(program.state, program.matches, [*program.people, extra])
    found = skills_in_demand([grown, beta()])
    first = found["rows"][0]
    assert (first["skill"], first["mentors_offering"], first["demand_per_mentor"]) == (
        "kotlin",
        0,
        None,
    )
    assert "no active mentor offers 1 of them (kotlin)" in found["summary"]


def test_at_most_thirty_skills_are_shown_and_the_note_says_how_many_were_left_out() -> None:
    wanted = [f"skill-{i:02}" for i in range(MOST_SKILLS + 5)]
    state = cast(ProgramState, {"program_id": "prog-c", "name": "Gamma"})
    found = skills_in_demand([ProgramFacts(state, [], [mentee("eC1", "prog-c", wanted)])])
    assert len(found["rows"]) == MOST_SKILLS
    assert "5 more skills left out" in found.get("note", "")


def test_no_programs_make_empty_tables_that_still_read_as_sentences() -> None:
    found = {t["figure"]: t for t in network_tables([], NOW)}
    assert found["network_busiest_mentors"]["rows"] == []
    assert found["network_busiest_mentors"]["summary"].endswith(".")
    assert all(row["share"] is None for row in found["network_mentor_load"]["rows"])


def skill(skill_id: str) -> SkillLevel:
    return SkillLevel(skill_id=skill_id, level=3)


def test_a_mentor_keeps_their_skill_ids_sorted_and_updated() -> None:
    registered = MentorRegistered(
        participant_id="m1",
        program_id="prog-a",
        skills=(skill("sql"), skill("go")),
        languages=("en",),
    )
    person = people.on_mentor(None, registered, NOW)
    assert person is not None
    assert person["roles"]["mentor"]["skills"] == ["go", "sql"]
    changed = people.on_profile(person, ProfileUpdated(participant_id="m1", skills=(skill("c"),)))
    assert changed is not None
    assert changed["roles"]["mentor"]["skills"] == ["c"]
    assert changed["roles"]["mentor"]["capacity"] is None
    roomier = people.on_profile(changed, ProfileUpdated(participant_id="m1", capacity=4))
    assert roomier is not None
    assert (roomier["roles"]["mentor"]["skills"], roomier["roles"]["mentor"]["capacity"]) == (
        ["c"],
        4,
    )


def test_a_profile_update_leaves_mentees_and_unchanged_profiles_alone() -> None:
    update = ProfileUpdated(participant_id="e1", skills=(skill("c"),))
    assert people.on_profile(mentee("e1", "prog-a", ["go"]), update) is None
    assert people.on_profile(None, update) is None
    kept = mentor("m1", "prog-a", "m1", ["go"])
    assert people.on_profile(kept, ProfileUpdated(participant_id="m1", languages=("de",))) is None
