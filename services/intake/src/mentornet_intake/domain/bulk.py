"""Bulk onboarding rows: CSV or JSON Lines in, one validated registration per row out.

CSV columns: display_name, email, languages (";"-separated ISO codes), formats, channels,
org_unit, level, manager_id, timezone, weekly ("tue 09:00-11:00;thu 15:00-17:00"),
consent_version, consent_accepted_at, urgency (mentees), skills ("python:4;go:3",
mentors), capacity, coaching_style. JSON Lines: one registration body per line, without program_id.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from mentornet_chassis.errors import problems_of
from pydantic import ValidationError

from . import smart
from .forms import MenteeRegistration, MentorRegistration, consents_from_the_future

RoleName = Literal["mentee", "mentor"]
MAX_ROWS = 2_000
"""Rows answered in one request; larger files go through an import job."""
MAX_JOB_ROWS = 100_000


class UnreadableFile(ValueError):
    """The file as a whole cannot be read (not UTF-8, broken CSV quoting)."""


LISTS = ("languages", "formats", "channels")


@dataclass(frozen=True)
class RowError:
    row: int
    errors: list[dict[str, str]]


Body = dict[str, Any]
"""A registration body as read from one row (JSON values), before validation."""
Row = Body | RowError


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split(";") if part.strip()]


def _weekly(value: str) -> list[dict[str, str]]:
    windows = []
    for part in _split(value):
        day, _, span = part.partition(" ")
        start, _, end = span.partition("-")
        windows.append({"weekday": day.strip(), "start": start.strip(), "end": end.strip()})
    return windows


def _skills(value: str) -> list[dict[str, str]]:
    pairs = (part.partition(":") for part in _split(value))
    return [{"skill_id": skill.strip(), "level": level.strip()} for skill, _, level in pairs]


def from_csv_row(row: dict[str, str]) -> Body:
    """A CSV row as a registration body; empty cells are left out."""
    cells = {k.strip(): (v or "").strip() for k, v in row.items() if k}
    body: Body = {
        k: v
        for k, v in cells.items()
        if v
        and k
        not in ("timezone", "weekly", "consent_version", "consent_accepted_at", "skills", *LISTS)
    }
    for name in LISTS:
        if cells.get(name):
            body[name] = _split(cells[name])
    if cells.get("skills"):
        body["skills"] = _skills(cells["skills"])
    if cells.get("timezone"):
        body["availability"] = {
            "timezone": cells["timezone"],
            "weekly": _weekly(cells.get("weekly", "")),
        }
    if cells.get("consent_version") or cells.get("consent_accepted_at"):
        body["consent"] = {
            "version": cells.get("consent_version", ""),
            "accepted_at": cells.get("consent_accepted_at", ""),
        }
    return body


def read_rows(content: bytes, media_type: str) -> list[Row]:
    """Rows as bodies, or the reason a row could not be read at all. Rows count from 1."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UnreadableFile(f"not UTF-8 text: byte {exc.start} cannot be decoded") from None
    if media_type in ("application/x-ndjson", "application/jsonl", "application/json-lines"):
        return [_json_line(n, line) for n, line in enumerate(text.splitlines(), 1) if line.strip()]
    try:
        return [from_csv_row(row) for row in csv.DictReader(io.StringIO(text))]
    except csv.Error as exc:
        raise UnreadableFile(f"not readable as CSV: {exc}") from None


def _json_line(number: int, line: str) -> Row:
    try:
        value = json.loads(line)
    except ValueError as exc:
        return RowError(number, [{"field": "row", "reason": f"not JSON: {exc}"}])
    if not isinstance(value, dict):
        return RowError(number, [{"field": "row", "reason": "not a JSON object"}])
    return value


def validate(
    number: int, body: Body, program_id: str, role: RoleName, now: datetime
) -> MenteeRegistration | MentorRegistration | RowError:
    """The row as a registration, or everything wrong with it (consents dated after
    `now` and goals that are not SMART as of `now`'s date included)."""
    model = MenteeRegistration if role == "mentee" else MentorRegistration
    try:
        registration = model.model_validate({**body, "program_id": program_id})
    except ValidationError as exc:
        return RowError(number, problems_of(exc.errors()))
    found = consents_from_the_future(registration, now)
    if isinstance(registration, MenteeRegistration):
        found += smart.problems(registration.goals, now.date())
    return RowError(number, found) if found else registration
