"""A consent may not be dated in the future: checked where "now" is known (the
registrar, with the service's clock; bulk rows, with the import's), not by the body's
model. Without a broker or database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any, cast

import pytest
from mentornet_chassis.errors import Invalid
from mentornet_intake.domain.bulk import RowError, validate
from mentornet_intake.domain.caller import Caller
from mentornet_intake.domain.forms import (
    CLOCK_SKEW,
    FROM_THE_FUTURE,
    MenteeRegistration,
    consents_from_the_future,
)
from mentornet_intake.usecases.registrar import Registrar

pytestmark = pytest.mark.unit

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
PAST = {"version": "1", "accepted_at": "2026-11-01T09:00:00Z"}
FUTURE = {"version": "1", "accepted_at": "2999-01-01T00:00:00Z"}


def mentee(**overrides: object) -> dict[str, object]:
    body: dict[str, object] = {
        "display_name": "Ada Lovelace",
        "email": "ada@example.org",
        "languages": ["en"],
        "consent": PAST,
    }
    return {**body, **overrides}


def registration(**overrides: object) -> MenteeRegistration:
    return MenteeRegistration.model_validate({**mentee(**overrides), "program_id": "prog-1"})


def test_the_body_model_leaves_the_date_to_whoever_knows_now() -> None:
    assert registration(consent=FUTURE).consent.version == "1"


def test_each_consent_from_the_future_is_named() -> None:
    diversity = {"consent": FUTURE, "attributes": {}}
    found = consents_from_the_future(registration(consent=FUTURE, diversity=diversity), NOW)
    assert found == [
        {"field": "consent.accepted_at", "reason": FROM_THE_FUTURE},
        {"field": "diversity.consent.accepted_at", "reason": FROM_THE_FUTURE},
    ]
    assert "future" in FROM_THE_FUTURE


def test_a_clock_a_little_behind_is_forgiven() -> None:
    soon = {"version": "1", "accepted_at": (NOW + CLOCK_SKEW - timedelta(seconds=1)).isoformat()}
    assert consents_from_the_future(registration(consent=soon), NOW) == []
    assert consents_from_the_future(registration(), NOW) == []


async def test_the_registrar_refuses_it_as_the_body_did() -> None:
    """The 422 body a client got when the consent model checked the date itself."""
    unused = cast(Any, None)
    registrar = Registrar(unused, unused, lambda: None, unused, unused, lambda: NOW)
    with pytest.raises(Invalid) as refused:
        await registrar.enrol(registration(consent=FUTURE), Caller(subject="ada"), None)
    assert refused.value.status == 422
    assert refused.value.body == {
        "error": "validation_failed",
        "field": "body.consent.accepted_at",
        "reason": "Value error, consent cannot be accepted in the future",
        "errors": [
            {
                "field": "body.consent.accepted_at",
                "reason": "Value error, consent cannot be accepted in the future",
            }
        ],
    }


def test_a_bulk_row_from_the_future_is_rejected_naming_the_field() -> None:
    result = validate(3, mentee(consent=FUTURE), "prog-1", "mentee", NOW)
    assert result == RowError(3, [{"field": "consent.accepted_at", "reason": FROM_THE_FUTURE}])
