"""Availability validation, without a broker or database."""

from __future__ import annotations

from typing import Any

import pytest
from mentornet_contracts.events.common import Availability
from mentornet_intake.domain.availability import AvailabilityError, check

pytestmark = pytest.mark.unit


def availability(**overrides: Any) -> Availability:
    body: dict[str, Any] = {
        "timezone": "Europe/Berlin",
        "weekly": [
            {"weekday": "tue", "start": "09:00", "end": "11:00"},
            {"weekday": "tue", "start": "11:00", "end": "12:00"},
            {"weekday": "thu", "start": "16:00", "end": "18:30"},
        ],
    }
    body.update(overrides)
    return Availability.model_validate(body)


def test_valid_availability_passes() -> None:
    value = availability(exceptions=[{"start_date": "2026-12-21", "end_date": "2027-01-03"}])
    assert check(value) is value


@pytest.mark.parametrize(
    ("overrides", "field", "reason"),
    [
        ({"timezone": "Mars/Olympus"}, "timezone", "not an IANA time zone"),
        ({"timezone": "CEST"}, "timezone", "not an IANA time zone"),
        (
            {"weekly": [{"weekday": "mon", "start": "10:00", "end": "09:00"}]},
            "weekly.0.end",
            "not after",
        ),
        (
            {"weekly": [{"weekday": "mon", "start": "10:00", "end": "10:00"}]},
            "weekly.0.end",
            "not after",
        ),
        (
            {
                "weekly": [
                    {"weekday": "mon", "start": "09:00", "end": "11:00"},
                    {"weekday": "fri", "start": "09:00", "end": "10:00"},
                    {"weekday": "mon", "start": "10:30", "end": "12:00"},
                ]
            },
            "weekly.2",
            "overlaps window 0 on mon",
        ),
        (
            {"exceptions": [{"start_date": "2027-01-03", "end_date": "2026-12-21"}]},
            "exceptions.0.end_date",
            "before",
        ),
    ],
)
def test_bad_availability_names_the_field(
    overrides: dict[str, Any], field: str, reason: str
) -> None:
    with pytest.raises(AvailabilityError) as caught:
        check(availability(**overrides))
    assert caught.value.field == field
    assert reason in caught.value.reason


def test_windows_touching_end_to_start_do_not_overlap() -> None:
    check(availability())


def test_window_may_end_at_midnight_but_not_later() -> None:
    check(availability(weekly=[{"weekday": "mon", "start": "23:00", "end": "24:00"}]))
    with pytest.raises(AvailabilityError, match="past 24:00"):
        check(availability(weekly=[{"weekday": "mon", "start": "23:00", "end": "24:30"}]))
