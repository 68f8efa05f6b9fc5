"""The largest valid request body of every route, built from the committed OpenAPI
documents (docs/api/*.json) with contracts' `largest_instance`: every optional field
present, every list full, every string at its maximum length in the characters JSON
writes as six bytes.

A schema cannot say how to make some values valid (skills that exist, windows that do
not overlap, an e-mail address, ids of real things): `Fillers` gives those, still at
their largest (the longest real zone name, as many distinct skills as the list takes,
the longest e-mail address RFC 5321 allows).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import available_timezones

from mentornet_contracts.budget import NOT_FILLED, WORST_CHAR, largest_instance
from mentornet_contracts.events.common import language_codes
from mentornet_contracts.events.programs import MATCHING_SIGNALS, MAX_WEIGHT, OutcomeMeasure
from mentornet_contracts.taxonomy import default_taxonomy

API_DOCS = Path(__file__).resolve().parents[2] / "docs" / "api"
Schema = dict[str, Any]
Route = tuple[str, str, str]
"""(service, METHOD, path template) as the OpenAPI document names it."""


def json_routes() -> dict[Route, tuple[Schema, Schema]]:
    """Every POST, PUT and PATCH with a JSON body: its body schema and its document."""
    found: dict[Route, tuple[Schema, Schema]] = {}
    for path in sorted(API_DOCS.glob("*.json")):
        document = json.loads(path.read_text())
        for template, operations in document["paths"].items():
            for method, operation in operations.items():
                content = (operation.get("requestBody") or {}).get("content", {})
                if method in ("post", "put", "patch") and "application/json" in content:
                    schema = content["application/json"]["schema"]
                    found[(path.stem, method.upper(), template)] = (schema, document)
    return found


def longest_zone() -> str:
    return max(sorted(available_timezones()), key=len)


def distinct_skills(count: int) -> list[dict[str, Any]]:
    ids = sorted((s.id for s in default_taxonomy().skills if not s.deprecated), key=len)
    return [{"skill_id": skill_id, "level": 5} for skill_id in reversed(ids[-count:])]


def longest_email(unique: str) -> str:
    """254 characters: a 64-character local part and a 189-character domain."""
    local = f"max-{unique}-".ljust(64, "x")
    domain = "d" * 63 + "." + "e" * 63 + "." + "f" * 57 + ".org"
    return f"{local}@{domain}"


def hourly_windows(count: int) -> list[dict[str, Any]]:
    """`count` one-hour windows, eight a day from midnight, none overlapping."""
    days = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
    slots = [(day, hour) for hour in range(8) for day in days]
    return [
        {"weekday": day, "start": f"{hour:02d}:00", "end": f"{hour + 1:02d}:00", "preferred": False}
        for day, hour in slots[:count]
    ]


def leave(count: int, first: date) -> list[dict[str, Any]]:
    return [
        {
            "start_date": (first + timedelta(days=7 * n)).isoformat(),
            "end_date": (first + timedelta(days=7 * n + 1)).isoformat(),
            "reason": WORST_CHAR * 200,
        }
        for n in range(count)
    ]


def milestones(count: int, first: date) -> list[dict[str, Any]]:
    """`count` milestones with distinct ids, due a day apart from `first` (on or before
    a goal's target date, `goal_target`)."""
    return [
        {
            "milestone_id": f"m{n}".ljust(64, "x"),
            "statement": WORST_CHAR * 300,
            "due_date": (first + timedelta(days=n)).isoformat(),
        }
        for n in range(count)
    ]


def goal_target(now: datetime) -> date:
    """A goal's target date well after every milestone `milestones` makes."""
    return now.date() + timedelta(days=400)


def ends_with(path: str, *suffixes: str) -> bool:
    return any(path == f"$.{s}" or path.endswith(f".{s}") for s in suffixes)


Filler = Callable[[str, Schema], Any]


class Fillers:
    """The values a schema cannot make valid, by path; `extra` overrides by exact path
    (a real mentor id, a time that is free)."""

    def __init__(self, unique: str, now: datetime, extra: Mapping[str, Any] | None = None):
        self.unique = unique
        self.now = now
        self.extra = dict(extra or {})

    def __call__(self, path: str, node: Schema) -> Any:
        if path in self.extra:
            return self.extra[path]
        maximum = _max_items(node)
        if ends_with(path, "languages"):
            return sorted(language_codes())[: maximum or 1]
        if ends_with(path, "email"):
            return longest_email(self.unique)
        if ends_with(path, "skills", "skill_baseline", "target_skills"):
            return distinct_skills(maximum or 1)
        if ends_with(path, "timezone"):
            return longest_zone()
        if ends_with(path, "weekly"):
            return hourly_windows(maximum or 1)
        if ends_with(path, "exceptions"):
            return leave(maximum or 1, self.now.date() + timedelta(days=400))
        if ends_with(path, "target_date"):
            return goal_target(self.now).isoformat()
        if ends_with(path, "milestones"):
            return milestones(maximum or 1, self.now.date() + timedelta(days=200))
        if ends_with(path, "accepted_at"):
            return (self.now - timedelta(days=1)).isoformat()
        if ends_with(path, "attributes"):
            return dict.fromkeys(_audit_attributes(), WORST_CHAR * 64)
        if ends_with(path, "matching_weights"):
            return dict.fromkeys(MATCHING_SIGNALS, MAX_WEIGHT)
        if ends_with(path, "outcome_measures"):
            return [measure.value for measure in OutcomeMeasure]
        return NOT_FILLED


def _max_items(node: Schema) -> int | None:
    """maxItems of a list, or of the list branch of an optional one (`anyOf` with null)."""
    for branch in (node, *node.get("anyOf", ())):
        if "maxItems" in branch:
            return int(branch["maxItems"])
    return None


def _audit_attributes() -> list[str]:
    from mentornet_contracts.events.audit import AuditAttribute

    return [a.value for a in AuditAttribute]


def largest_body(schema: Schema, document: Schema, fill: Filler) -> Any:
    return largest_instance(schema, document, fill)
