"""Bulk rows, without a broker or database."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from mentornet_intake.domain.bulk import RowError, from_csv_row, read_rows, validate
from mentornet_intake.domain.forms import MentorRegistration

pytestmark = pytest.mark.unit
NOW = datetime(2026, 12, 1, tzinfo=UTC)


def test_csv_cells_become_a_registration_body() -> None:
    body = from_csv_row(
        {
            "display_name": "Grace",
            "email": "g@example.org",
            "languages": "en; de",
            "skills": "python:5;go:3",
            "timezone": "Asia/Tokyo",
            "weekly": "tue 09:00-11:00",
            "consent_version": "1",
            "consent_accepted_at": "2026-11-01T09:00:00Z",
            "org_unit": "",
        }
    )
    assert body["languages"] == ["en", "de"]
    assert body["skills"] == [
        {"skill_id": "python", "level": "5"},
        {"skill_id": "go", "level": "3"},
    ]
    assert body["availability"]["weekly"] == [{"weekday": "tue", "start": "09:00", "end": "11:00"}]
    assert "org_unit" not in body
    registration = validate(1, body, "prog-1", "mentor", NOW)
    assert isinstance(registration, MentorRegistration)
    assert registration.skills[0].level == 5


def test_a_bad_row_names_its_fields() -> None:
    result = validate(
        7, {"display_name": "X", "email": "nope", "languages": ["en"]}, "prog-1", "mentee", NOW
    )
    assert isinstance(result, RowError)
    assert result.row == 7
    assert {e["field"] for e in result.errors} == {"email", "consent"}


def test_json_lines_skip_blank_lines_and_report_broken_ones() -> None:
    rows = read_rows(b'{"a": 1}\n\n{oops\n[1]\n', "application/x-ndjson")
    assert rows[0] == {"a": 1}
    assert isinstance(rows[1], RowError)
    assert rows[1].row == 3
    assert isinstance(rows[2], RowError)
    assert rows[2].errors[0]["reason"] == "not a JSON object"


def test_csv_with_a_byte_order_mark_reads_its_header() -> None:
    rows = read_rows("\ufeffdisplay_name,email\nAda,a@example.org\n".encode(), "text/csv")
    assert rows == [{"display_name": "Ada", "email": "a@example.org"}]
