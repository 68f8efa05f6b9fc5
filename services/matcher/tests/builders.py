"""Small builders for matcher unit tests: people and programs as contract events."""

from __future__ import annotations

from datetime import date
from typing import Any

from mentornet_contracts.events.participants import MenteeRegistered, MentorRegistered
from mentornet_matcher.domain.pool import Pool, build_pool
from mentornet_matcher.domain.rules import MentorLoad, Rules
from mentornet_matcher.domain.skillmap import SkillMap
from mentornet_matcher.domain.slots import horizon_start

START = horizon_start(date(2027, 3, 15))
WORKDAYS = [
    {"weekday": day, "start": "09:00", "end": "12:00"} for day in ("mon", "tue", "wed", "thu")
]
RULES = Rules(
    weights={
        "skills": 0.4,
        "availability": 0.2,
        "timezone": 0.1,
        "format": 0.1,
        "style": 0.1,
        "pace": 0.05,
        "language": 0.05,
    },
    session_hours=1.0,
    sessions_per_month=2,
    max_active=3,
    max_monthly_hours=6.0,
)


def availability(zone: str = "Europe/Berlin", weekly: Any = None, **extra: Any) -> dict[str, Any]:
    return {"timezone": zone, "weekly": WORKDAYS if weekly is None else weekly, **extra}


def mentee(pid: str, *skills: tuple[str, int], **fields: Any) -> MenteeRegistered:
    goal = {
        "goal_id": "g1",
        "statement": "Grow",
        "target_skills": [{"skill_id": s, "level": level} for s, level in skills],
    }
    body: dict[str, Any] = {
        "participant_id": pid,
        "program_id": "prog-1",
        "goals": [goal] if skills else [],
        "languages": ["en"],
        "formats": ["video"],
        "availability": availability(),
    }
    return MenteeRegistered.model_validate(body | fields)


def mentor(pid: str, *skills: tuple[str, int], **fields: Any) -> MentorRegistered:
    body: dict[str, Any] = {
        "participant_id": pid,
        "program_id": "prog-1",
        "skills": [{"skill_id": s, "level": level} for s, level in skills],
        "languages": ["en"],
        "formats": ["video", "chat"],
        "availability": availability(),
    }
    return MentorRegistered.model_validate(body | fields)


def pool(
    mentees: list[MenteeRegistered],
    mentors: list[MentorRegistered],
    rules: Rules = RULES,
    loads: list[MentorLoad] | None = None,
    failed: frozenset[tuple[str, str]] = frozenset(),
) -> Pool:
    return build_pool(
        mentees,
        mentors,
        loads or [MentorLoad() for _ in mentors],
        rules,
        SkillMap.default(),
        START,
        failed,
    )
