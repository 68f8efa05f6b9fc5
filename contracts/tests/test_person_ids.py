"""Person ids from identity provider subjects: a subject that fits an id is the id; any
other is named by a stable digest that fits."""

from __future__ import annotations

import pytest
from mentornet_contracts.events.participants import MenteeRegistered, person_id_of

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    "subject", ["auth0|5f1c2e", "ada@example.org", "x" * 65, "00u1ab2CD3ef4GH5ij6k"]
)
def test_every_subject_names_a_person_id_an_event_accepts(subject: str) -> None:
    person = person_id_of(subject)
    assert person == person_id_of(subject), "stable"
    event = MenteeRegistered.model_validate(
        {"participant_id": "p-1", "program_id": "prog-1", "languages": ["en"], "person_id": person}
    )
    assert event.person_id == person


def test_a_subject_that_fits_is_its_own_person_id_and_others_do_not_collide() -> None:
    assert person_id_of("sub-ada-1") == "sub-ada-1"
    assert person_id_of("auth0|1") != person_id_of("auth0|2")
