"""An imported pool waits for its import to be complete (domain/imports.py)."""

from __future__ import annotations

import pytest
from mentornet_matcher.domain.candidates import on_mentee_registered
from mentornet_matcher.domain.imports import (
    PATIENCE_S,
    Arrival,
    ImportRecord,
    arrival,
    complete,
    held_mentees,
    holds,
)

from .builders import mentee

pytestmark = pytest.mark.unit

HELD = Arrival(held=True, completes=False)


def record(seen: int, expected: int | None = None, first_seen: float = 0.0) -> ImportRecord:
    found: ImportRecord = {
        "_id": "imp-1",
        "program_id": "prog-1",
        "first_seen": first_seen,
        "seen": seen,
    }
    if expected is not None:
        found["expected"] = expected
    return found


def test_registrations_before_the_end_are_held() -> None:
    assert [arrival(record(n), now=10.0) for n in (1, 2, 3)] == [HELD] * 3
    assert not complete(record(3))


def test_the_end_after_every_registration_completes_the_import() -> None:
    assert complete(record(3, expected=3))
    assert not holds(record(3, expected=3), now=10.0)


def test_the_last_registration_after_the_end_completes_it_once() -> None:
    arrivals = [arrival(record(n, expected=3), now=10.0) for n in (1, 2, 3, 4)]
    assert [a.completes for a in arrivals] == [False, False, True, False]
    assert [a.held for a in arrivals] == [True, True, True, False]


def test_an_import_with_no_end_stops_holding_after_its_patience() -> None:
    assert holds(record(5, first_seen=100.0), now=100.0 + PATIENCE_S - 1)
    assert not holds(record(5, first_seen=100.0), now=100.0 + PATIENCE_S)
    assert arrival(record(5, first_seen=100.0), now=100.0 + PATIENCE_S) == Arrival(False, False)


def test_held_mentees_are_those_of_imports_still_holding() -> None:
    people = [
        on_mentee_registered(None, mentee("a", import_id="imp-1")),
        on_mentee_registered(None, mentee("b", import_id="imp-2")),
        on_mentee_registered(None, mentee("c")),
    ]
    assert held_mentees(people, {"imp-1"}) == {"a"}
    assert held_mentees(people, set()) == set()
