"""Intake's internal contact route (issue 21): a service asks for a participant's address,
name and time zone at send time; nobody else may, and only someone still taking part has
a contact."""

from __future__ import annotations

import pytest
from mentornet_tooling.testing.services import RunningService

from tests.support.helpers import SERVICE, mentee_body, open_program, token

pytestmark = pytest.mark.integration


def contact_path(participant_id: str) -> str:
    return f"/internal/participants/{participant_id}/contact"


async def register_self(intake: RunningService, unique: str, program_id: str) -> str:
    """Ada registers herself, with her availability in Tokyo."""
    body = mentee_body(unique, program_id, availability={"timezone": "Asia/Tokyo"})
    headers = token(f"u-ada-{unique}", "mentee")
    registered = await intake.http.post("/participants/mentees", headers=headers, json=body)
    assert registered.status_code == 201, registered.text
    return str(registered.json()["participant_id"])


async def test_a_service_gets_the_contact_of_a_registered_participant_and_nothing_more(
    intake: RunningService, unique: str
) -> None:
    program_id, _ = await open_program(intake, unique)
    ada = await register_self(intake, unique, program_id)
    answer = await intake.http.get(contact_path(ada), headers=SERVICE)
    assert answer.status_code == 200, answer.text
    assert answer.json() == {
        "participant_id": ada,
        "email": f"ada-{unique}@example.org",
        "display_name": "Ada Lovelace",
        "time_zone": "Asia/Tokyo",
    }
    assert answer.headers["cache-control"] == "no-store"


async def test_coordinators_the_person_and_others_are_refused(
    intake: RunningService, unique: str
) -> None:
    program_id, coordinator = await open_program(intake, unique)
    ada = await register_self(intake, unique, program_id)
    callers = {
        "the program's coordinator": coordinator,
        "the person themself": token(f"u-ada-{unique}", "mentee"),
        "another person": token(f"u-bob-{unique}", "mentee"),
    }
    for who, headers in callers.items():
        answer = await intake.http.get(contact_path(ada), headers=headers)
        assert answer.status_code == 403, f"{who}: {answer.text}"
        assert answer.json()["reason"] == "contacts.read is for: service", who
    assert (await intake.http.get(contact_path(ada))).status_code == 401


async def test_unknown_withdrawn_and_erased_participants_have_no_contact(
    intake: RunningService, unique: str
) -> None:
    program_id, coordinator = await open_program(intake, unique)
    unknown = f"p-none-{unique}"
    missing = await intake.http.get(contact_path(unknown), headers=SERVICE)
    assert missing.status_code == 404
    assert missing.json()["field"] == "participant_id"
    assert unknown in missing.json()["reason"]

    leaving = await intake.http.post(
        "/participants/mentees", headers=coordinator, json=mentee_body(f"w{unique}", program_id)
    )
    withdrawn = str(leaving.json()["participant_id"])
    left = await intake.http.post(
        f"/participants/{withdrawn}/withdraw", headers=coordinator, json={}
    )
    assert left.status_code == 200, left.text
    gone = await intake.http.get(contact_path(withdrawn), headers=SERVICE)
    assert gone.status_code == 404
    assert gone.json()["field"] == "participant_id"
    assert gone.json()["reason"] == f"participant {withdrawn} is withdrawn: no contact"

    ada = await register_self(intake, unique, program_id)
    assert (await intake.http.get(contact_path(ada), headers=SERVICE)).status_code == 200
    erased = await intake.http.delete(f"/participants/{ada}", headers=coordinator)
    assert erased.status_code == 200, erased.text
    after = await intake.http.get(contact_path(ada), headers=SERVICE)
    assert after.status_code == 404
    assert after.json()["field"] == "participant_id"
    assert after.json()["reason"] == f"participant {ada} is erased: no contact"
    assert "example.org" not in after.text
