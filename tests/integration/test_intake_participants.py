"""Registering participants over HTTP on the real broker: events, roles, errors."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any

import pytest
from mentornet_chassis.http.auth import DEV_KEY, mint
from mentornet_contracts.catalogue import AUDIT, PARTICIPANTS
from mentornet_contracts.events.participants import person_id_of
from mentornet_tooling.testing.backends import Endpoints
from mentornet_tooling.testing.examples import smart_goal
from mentornet_tooling.testing.kafka import all_records, find_records, header, kind_of
from mentornet_tooling.testing.poll import eventually
from mentornet_tooling.testing.services import RunningService

from tests.support.helpers import PROGRAM, SERVICE, matcher_knows, mentee_body, open_program, token

pytestmark = pytest.mark.integration


def today() -> date:
    """Intake's today: these tests run it on the wall clock."""
    return datetime.now(UTC).date()


MENTOR_EXTRA = {
    "skills": [{"skill_id": "python", "level": 5}],
    "coaching_style": "socratic",
    "expertise_areas": ["platform engineering"],
}


async def test_mentor_and_mentee_events_carry_no_name_or_email(
    stack: Endpoints, intake: RunningService, unique: str
) -> None:
    program_id, coordinator = await open_program(intake, unique)
    mentee = await intake.http.post(
        "/participants/mentees",
        headers=coordinator,
        json=mentee_body(unique, program_id, urgency=4),
    )
    mentor = await intake.http.post(
        "/participants/mentors",
        headers=coordinator,
        json={**mentee_body(f"m{unique}", program_id, display_name="Grace Hopper"), **MENTOR_EXTRA},
    )
    assert mentee.status_code == 201, mentee.text
    assert mentor.status_code == 201, mentor.text
    ids = {mentee.json()["participant_id"]: "mentee", mentor.json()["participant_id"]: "mentor"}
    records = await find_records(
        stack.bootstrap_servers, PARTICIPANTS.name, lambda r: r.key.decode() in ids, count=2
    )
    for record in records:
        role = ids[record.key.decode()]
        assert kind_of(record) == f"{role}.registered"
        text = record.value.decode()
        for private in ("Ada", "Grace", "example.org", "display_name", "email", "consent"):
            assert private not in text
        payload = json.loads(text)
        assert payload["program_id"] == program_id
    [mentor_record] = [r for r in records if ids[r.key.decode()] == "mentor"]
    assert json.loads(mentor_record.value)["skills"] == [{"skill_id": "python", "level": 5}]


async def test_self_service_roles_and_reads(intake: RunningService, unique: str) -> None:
    program_id, coordinator = await open_program(intake, unique)
    ada, bob = token(f"u-ada-{unique}", "mentee"), token(f"u-bob-{unique}", "mentee")
    mine = await intake.http.post(
        "/participants/mentees", headers=ada, json=mentee_body(unique, program_id)
    )
    theirs = await intake.http.post(
        "/participants/mentees", headers=bob, json=mentee_body(f"b{unique}", program_id)
    )
    ada_id, bob_id = mine.json()["participant_id"], theirs.json()["participant_id"]
    assert (await intake.http.get(f"/participants/{ada_id}", headers=ada)).status_code == 200
    other = await intake.http.get(f"/participants/{bob_id}", headers=ada)
    assert other.status_code == 404, "another person's profile: they are not known to exist"
    assert other.json()["field"] == "participant_id"
    seen = await intake.http.get(f"/participants/{bob_id}", headers=coordinator)
    assert seen.status_code == 200
    assert seen.json()["email"] == f"ada-b{unique}@example.org"
    as_mentor = await intake.http.post(
        "/participants/mentors",
        headers=ada,
        json={**mentee_body(unique, program_id), **MENTOR_EXTRA},
    )
    assert as_mentor.status_code == 403
    mentor_ada = token(f"u-ada-{unique}", "mentee", "mentor")
    both = await intake.http.post(
        "/participants/mentors",
        headers=mentor_ada,
        json={**mentee_body(unique, program_id), **MENTOR_EXTRA},
    )
    assert both.status_code == 201, both.text
    assert both.json() == {**both.json(), "participant_id": ada_id, "roles": ["mentee", "mentor"]}
    bob_mentor = token(f"u-bob-{unique}", "mentee", "mentor")
    hijack = await intake.http.post(
        "/participants/mentors",
        headers=bob_mentor,
        json={**mentee_body(unique, program_id), **MENTOR_EXTRA},
    )
    assert hijack.status_code == 409
    assert hijack.json()["field"] == "email"
    assert hijack.json()["reason"] == "registered to another account"


async def test_registration_errors(intake: RunningService, unique: str) -> None:
    program_id, coordinator = await open_program(
        intake, unique, eligibility={"org_units": ["ou-eng"]}
    )
    post = intake.http.post
    body = mentee_body(unique, program_id, org_unit="ou-eng")
    assert (await post("/participants/mentees", json=body)).status_code == 401
    assert (await post("/participants/mentees", headers=coordinator, json=body)).status_code == 201
    duplicate = await post("/participants/mentees", headers=coordinator, json=body)
    assert duplicate.status_code == 409
    assert duplicate.json()["field"] == "email"
    outsider = await post(
        "/participants/mentees",
        headers=coordinator,
        json=mentee_body(f"o{unique}", program_id, org_unit="ou-sales"),
    )
    assert outsider.status_code == 422
    assert outsider.json()["field"] == "org_unit"
    unknown = await post(
        "/participants/mentees", headers=coordinator, json=mentee_body(f"x{unique}", "prog-none")
    )
    assert unknown.status_code == 404
    assert unknown.json()["field"] == "program_id"
    draft = await post("/programs", json=PROGRAM, headers=coordinator)
    closed = await post(
        "/participants/mentees",
        headers=coordinator,
        json=mentee_body(f"d{unique}", draft.json()["program_id"]),
    )
    assert closed.status_code == 409
    no_consent = {k: v for k, v in body.items() if k != "consent"}
    missing = await post("/participants/mentees", headers=coordinator, json=no_consent)
    assert missing.status_code == 422
    assert missing.json()["errors"][0]["field"] == "body.consent"
    overlap = await post(
        "/participants/mentees",
        headers=coordinator,
        json=mentee_body(
            f"w{unique}",
            program_id,
            org_unit="ou-eng",
            availability={
                "timezone": "Asia/Tokyo",
                "weekly": [
                    {"weekday": "mon", "start": "09:00", "end": "11:00"},
                    {"weekday": "mon", "start": "10:00", "end": "12:00"},
                ],
            },
        ),
    )
    assert overlap.status_code == 422
    assert "overlaps window 0 on mon" in overlap.json()["errors"][0]["reason"]


async def test_erasure_removes_personal_data_and_emits_once(
    stack: Endpoints, intake: RunningService, matcher: RunningService, mongo: Any, unique: str
) -> None:
    program_id, coordinator = await open_program(intake, unique)
    body = mentee_body(
        unique,
        program_id,
        goals=[smart_goal(today(), statement="Lead the Q3 design review", target_skills=[])],
    )
    pid = (await intake.http.post("/participants/mentees", headers=coordinator, json=body)).json()[
        "participant_id"
    ]
    await eventually(lambda: matcher_knows(matcher, pid), what="the matcher to see the mentee")
    ada = token("someone-else", "mentee")
    assert (await intake.http.delete(f"/participants/{pid}", headers=ada)).status_code == 404
    for _ in range(2):
        erased = await intake.http.delete(f"/participants/{pid}", headers=coordinator)
        assert erased.status_code == 200
        assert erased.json() == {"participant_id": pid, "status": "erased", "erased": [pid]}
    doc = await eventually(
        lambda: drained(mongo, intake, pid), what="intake's outbox to be published"
    )
    text = json.dumps(doc, default=str)
    for personal in ("Ada", "example.org", "Q3 design review", "consent", "email"):
        assert personal not in text
    await find_records(
        stack.bootstrap_servers, PARTICIPANTS.name, lambda r: r.key == pid.encode(), count=2
    )
    erasures = await all_records(
        stack.bootstrap_servers,
        PARTICIPANTS.name,
        lambda r: (
            r.key == pid.encode() and header(r, "ce_type") == "mentornet.participant.erased.v1"
        ),
    )
    assert len(erasures) == 1
    assert await eventually(lambda: matcher_erased(matcher, pid), what="matcher to erase")


async def test_withdrawal(intake: RunningService, unique: str) -> None:
    program_id, coordinator = await open_program(intake, unique)
    pid = (
        await intake.http.post(
            "/participants/mentees", headers=coordinator, json=mentee_body(unique, program_id)
        )
    ).json()["participant_id"]
    url = f"/participants/{pid}/withdraw"
    first = await intake.http.post(url, headers=coordinator, json={"reason": "new role"})
    assert first.json() == {"participant_id": pid, "status": "withdrawn"}
    again = await intake.http.post(url, headers=coordinator, json={})
    assert again.status_code == 409
    assert again.json()["field"] == "status"


async def matcher_erased(matcher: RunningService, pid: str) -> bool:
    response = await matcher.http.get(f"/candidates/{pid}", headers=SERVICE)
    return response.status_code == 200 and response.json()["status"] == "erased"


async def test_idempotency_key_replays_the_first_answer(
    stack: Endpoints, intake: RunningService, mongo: Any, unique: str
) -> None:
    program_id, coordinator = await open_program(intake, unique)
    headers = {**coordinator, "Idempotency-Key": f"import-{unique}-row-1"}
    body = mentee_body(unique, program_id)
    first = await intake.http.post("/participants/mentees", headers=headers, json=body)
    second = await intake.http.post("/participants/mentees", headers=headers, json=body)
    assert first.status_code == second.status_code == 201
    assert second.json() == first.json()
    changed = await intake.http.post(
        "/participants/mentees", headers=headers, json={**body, "display_name": "Someone Else"}
    )
    assert changed.status_code == 422
    assert changed.json()["field"] == "Idempotency-Key"
    program_again = await intake.http.post(
        "/programs", json=PROGRAM, headers={**coordinator, "Idempotency-Key": f"program-{unique}"}
    )
    program_replay = await intake.http.post(
        "/programs", json=PROGRAM, headers={**coordinator, "Idempotency-Key": f"program-{unique}"}
    )
    assert program_replay.json()["program_id"] == program_again.json()["program_id"]
    someone_else = await intake.http.post(
        "/programs",
        json=PROGRAM,
        headers={**token(f"other-{unique}", "coordinator"), "Idempotency-Key": f"program-{unique}"},
    )
    assert someone_else.json()["program_id"] != program_again.json()["program_id"]
    publish_key = {**coordinator, "Idempotency-Key": f"publish-{unique}"}
    new_program = program_again.json()["program_id"]
    published = await intake.http.post(f"/programs/{new_program}/publish", headers=publish_key)
    republished = await intake.http.post(f"/programs/{new_program}/publish", headers=publish_key)
    assert published.status_code == republished.status_code == 200
    assert republished.json() == published.json()
    unkeyed = await intake.http.post(f"/programs/{new_program}/publish", headers=coordinator)
    assert unkeyed.status_code == 409
    bad_key = await intake.http.post(
        f"/programs/{new_program}/publish", headers={**coordinator, "Idempotency-Key": "k" * 201}
    )
    assert (bad_key.status_code, bad_key.json()["field"]) == (422, "Idempotency-Key")
    pid = first.json()["participant_id"]
    await eventually(lambda: drained(mongo, intake, pid), what="intake's outbox to drain")
    records = await all_records(
        stack.bootstrap_servers, PARTICIPANTS.name, lambda r: r.key == pid.encode()
    )
    assert len(records) == 1


async def drained(mongo: Any, intake: RunningService, pid: str) -> dict[str, Any] | None:
    """The participant's document once everything it emitted is on the broker."""
    doc: dict[str, Any] | None = await mongo[intake.database]["participants"].find_one({"_id": pid})
    return doc if doc is not None and doc["pending"] is False else None


async def test_consented_diversity_goes_only_to_the_audit_topic(
    stack: Endpoints, intake: RunningService, mongo: Any, unique: str
) -> None:
    program_id, coordinator = await open_program(intake, unique)
    groups = {"gender": "nonbinary", "region": "apac"}
    body = mentee_body(
        unique,
        program_id,
        diversity={
            "consent": {"version": "div-1", "accepted_at": "2026-11-01T09:00:00Z"},
            "attributes": groups,
        },
    )
    pid = (await intake.http.post("/participants/mentees", headers=coordinator, json=body)).json()[
        "participant_id"
    ]
    await eventually(lambda: drained(mongo, intake, pid), what="intake's outbox to drain")
    on_participants = await all_records(
        stack.bootstrap_servers, PARTICIPANTS.name, lambda r: r.key == pid.encode()
    )
    on_audit = await all_records(
        stack.bootstrap_servers, AUDIT.name, lambda r: r.key == pid.encode()
    )
    assert len(on_participants) == 1
    assert b"nonbinary" not in on_participants[0].value
    assert [json.loads(r.value)["groups"] for r in on_audit] == [groups]
    assert header(on_audit[0], "ce_causationid") == header(on_participants[0], "ce_id")
    for _ in range(2):
        withdrawn = await intake.http.delete(f"/participants/{pid}/diversity", headers=coordinator)
        assert withdrawn.json() == {"participant_id": pid, "diversity": None}
    await eventually(lambda: drained(mongo, intake, pid), what="intake's outbox to drain")
    on_audit = await all_records(
        stack.bootstrap_servers, AUDIT.name, lambda r: r.key == pid.encode()
    )
    assert [json.loads(r.value)["groups"] for r in on_audit] == [groups, {}]
    stored = await drained(mongo, intake, pid)
    assert stored is not None
    assert "nonbinary" not in json.dumps(stored, default=str)


async def test_unknown_skill_is_refused_with_suggestions(
    intake: RunningService, unique: str
) -> None:
    program_id, coordinator = await open_program(intake, unique)
    response = await intake.http.post(
        "/participants/mentors",
        headers=coordinator,
        json={
            **mentee_body(unique, program_id),
            "skills": [{"skill_id": "k8s", "level": 4}, {"skill_id": "pyhton", "level": 5}],
        },
    )
    assert response.status_code == 422
    body = response.json()
    assert body["field"] == "skills.1.skill_id"
    assert "did you mean: python" in body["reason"]


async def test_profile_goals_and_availability_changes_are_published(
    stack: Endpoints, intake: RunningService, unique: str
) -> None:
    program_id, coordinator = await open_program(intake, unique)
    pid = (
        await intake.http.post(
            "/participants/mentees", headers=coordinator, json=mentee_body(unique, program_id)
        )
    ).json()["participant_id"]
    base = f"/participants/{pid}"
    patched = await intake.http.patch(
        f"{base}/profile", headers=coordinator, json={"languages": ["en", "es"]}
    )
    assert patched.status_code == 200
    goals = await intake.http.put(
        f"{base}/goals",
        headers=coordinator,
        json={
            "goals": [
                smart_goal(
                    today(),
                    statement="Run incidents",
                    target_skills=[{"skill_id": "k8s", "level": 3}],
                )
            ],
            "reason": "new team",
        },
    )
    assert goals.status_code == 200
    moved = await intake.http.put(
        f"{base}/availability",
        headers=coordinator,
        json={
            "availability": {
                "timezone": "America/Chicago",
                "weekly": [{"weekday": "wed", "start": "08:00", "end": "10:00"}],
            }
        },
    )
    assert moved.status_code == 200
    mentor_only = await intake.http.patch(
        f"{base}/profile", headers=coordinator, json={"capacity": 3}
    )
    assert mentor_only.status_code == 409
    records = await find_records(
        stack.bootstrap_servers, PARTICIPANTS.name, lambda r: r.key == pid.encode(), count=4
    )
    assert [header(r, "ce_type") for r in records] == [
        "mentornet.mentee.registered.v2",
        "mentornet.profile.updated.v2",
        "mentornet.goals.updated.v2",
        "mentornet.availability.updated.v2",
    ]
    assert json.loads(records[1].value)["languages"] == ["en", "es"]
    target = json.loads(records[2].value)["goals"][0]["target_skills"][0]
    assert target["skill_id"] == "kubernetes"


async def test_one_person_across_programs_and_a_self_registrant_is_their_subject(
    stack: Endpoints, intake: RunningService, unique: str
) -> None:
    first, _ = await open_program(intake, unique)
    second, _ = await open_program(intake, f"{unique}-2")
    both = token(f"c-{unique}", "coordinator", programs=[first, second])
    grace = {**mentee_body(unique, first, email=f"Grace-{unique}@Example.org"), **MENTOR_EXTRA}
    ids = []
    for program_id in (first, second):
        answer = await intake.http.post(
            "/participants/mentors", headers=both, json={**grace, "program_id": program_id}
        )
        assert answer.status_code == 201, answer.text
        ids.append(answer.json()["participant_id"])
    ada = token(f"auth0|ada-{unique}", "mentee")
    own = await intake.http.post(
        "/participants/mentees", headers=ada, json=mentee_body(f"ada{unique}", first)
    )
    assert own.status_code == 201, own.text
    ids.append(own.json()["participant_id"])
    records = await find_records(
        stack.bootstrap_servers, PARTICIPANTS.name, lambda r: r.key.decode() in ids, count=3
    )
    person = {r.key.decode(): json.loads(r.value)["person_id"] for r in records}
    assert len(set(ids)) == 3, "one enrolment per program"
    assert person[ids[0]] == person[ids[1]], "the same e-mail is the same person everywhere"
    assert person[ids[0]].startswith("person-")
    assert person[ids[2]] == person_id_of(f"auth0|ada-{unique}"), "named by their subject"
    theirs = (await intake.http.get("/people/me", headers=ada)).json()
    assert [e["participant_id"] for e in theirs["enrolments"]] == [ids[2]]
    mine = await intake.http.get(f"/participants/{ids[0]}", headers=token(person[ids[0]]))
    assert mine.status_code == 200, "the person is themself in each enrolment"
    me = (await intake.http.get("/people/me", headers=token(person[ids[0]]))).json()
    assert me["person_id"] == person[ids[0]]
    assert sorted(e["participant_id"] for e in me["enrolments"]) == sorted(ids[:2])
    assert {e["program_id"] for e in me["enrolments"]} == {first, second}


async def test_a_sign_in_with_the_verified_address_links_to_the_person_a_team_registered(
    stack: Endpoints, intake: RunningService, unique: str
) -> None:
    program_id, coordinator = await open_program(intake, unique)
    email = f"grace-{unique}@example.org"
    body = {**mentee_body(unique, program_id, email=email), **MENTOR_EXTRA}
    registered = await intake.http.post("/participants/mentors", headers=coordinator, json=body)
    assert registered.status_code == 201, registered.text
    enrolment = registered.json()["participant_id"]
    subject = f"auth0|grace-{unique}"

    def signed_in(address: str | None) -> dict[str, str]:
        issued = mint(DEV_KEY, subject, ["mentee"], verified_email=address)
        return {"Authorization": f"Bearer {issued}"}

    grace = signed_in(email)
    assert (await intake.http.get("/people/me", headers=grace)).json()["enrolments"] == []
    unverified = await intake.http.post("/people/me/link", headers=signed_in(None))
    assert (unverified.status_code, unverified.json()["field"]) == (422, "email")
    elsewhere = await intake.http.post("/people/me/link", headers=signed_in(f"x-{email}"))
    assert elsewhere.status_code == 404
    stranger = token(f"auth0|mallory-{unique}", "mentee")
    other_program, _ = await open_program(intake, f"{unique}-2")
    posing = await intake.http.post(
        "/participants/mentees",
        headers=stranger,
        json=mentee_body(f"m{unique}", other_program, email=email),
    )
    assert (posing.status_code, posing.json()["field"]) == (409, "email")

    for _ in range(2):
        linked = await intake.http.post("/people/me/link", headers=grace)
        assert linked.status_code == 200, linked.text
    me = (await intake.http.get("/people/me", headers=grace)).json()
    assert [e["participant_id"] for e in me["enrolments"]] == [enrolment]
    records = await find_records(
        stack.bootstrap_servers,
        PARTICIPANTS.name,
        lambda r: (
            kind_of(r) == "person.linked"
            and json.loads(r.value)["signed_in_as"] == person_id_of(subject)
        ),
    )
    assert len(records) == 1, "linked once, however often asked"
    assert json.loads(records[0].value)["person_id"] == me["person_id"]


async def test_an_address_is_bound_to_a_person_only_on_proof(
    stack: Endpoints, intake: RunningService, unique: str
) -> None:
    """Signing up with an address one's token does not verify binds nothing, so a team
    registering that address later makes a new person, not the signer's; and a team
    cannot hand an address to a person known with another one."""
    first, coordinator = await open_program(intake, unique)
    second, _ = await open_program(intake, f"{unique}-2")
    team = token(f"c-{unique}", "coordinator", programs=[first, second])
    victim = f"victim-{unique}@example.org"
    mallory = token(f"mallory-{unique}", "mentee")
    squat = await intake.http.post(
        "/participants/mentees", headers=mallory, json=mentee_body(unique, first, email=victim)
    )
    assert squat.status_code == 201, squat.text
    real = await intake.http.post(
        "/participants/mentees", headers=team, json=mentee_body(f"r{unique}", second, email=victim)
    )
    assert real.status_code == 201, real.text
    ids = [squat.json()["participant_id"], real.json()["participant_id"]]
    records = await find_records(
        stack.bootstrap_servers, PARTICIPANTS.name, lambda r: r.key.decode() in ids, count=2
    )
    person = {r.key.decode(): json.loads(r.value)["person_id"] for r in records}
    assert person[ids[0]] == f"mallory-{unique}"
    assert person[ids[1]] != f"mallory-{unique}", "the squatter did not get the address"
    mine = (await intake.http.get("/people/me", headers=mallory)).json()
    assert [e["participant_id"] for e in mine["enrolments"]] == [ids[0]]

    hijack = await intake.http.post(
        "/participants/mentees",
        headers=coordinator,
        json=mentee_body(f"h{unique}", first, email=f"alias-{unique}@example.org")
        | {"person_id": f"mallory-{unique}"},
    )
    assert (hijack.status_code, hijack.json()["field"]) == (409, "person_id")
