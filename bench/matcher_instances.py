"""Generated matching pools shaped like a real program: a few common languages, a
dozen time zones, availability picked from a menu of weekly blocks, skills drawn from
the shipped taxonomy with clustered interests, mentor capacities 1-8."""

from __future__ import annotations

import numpy as np
from mentornet_contracts.events.participants import MenteeRegistered, MentorRegistered
from mentornet_contracts.taxonomy import default_taxonomy
from mentornet_matcher.domain.rules import Rules

ZONES = (
    "Europe/Berlin",
    "Europe/London",
    "America/New_York",
    "America/Chicago",
    "America/Los_Angeles",
    "Asia/Kolkata",
    "Asia/Singapore",
    "Asia/Tokyo",
    "Australia/Sydney",
    "Europe/Warsaw",
    "America/Sao_Paulo",
    "Africa/Lagos",
)
LANGUAGES = ("en", "de", "fr", "es", "pt", "ja", "hi", "pl")
BLOCKS = tuple(
    (day, start, end)
    for day in ("mon", "tue", "wed", "thu", "fri")
    for start, end in (
        ("08:00", "10:00"),
        ("10:00", "12:00"),
        ("13:00", "15:00"),
        ("15:00", "17:00"),
    )
)
STYLES = ("socratic", "directive", "coaching", "sponsorship")
PACES = ("relaxed", "steady", "intensive")
FORMATS = ("video", "in_person", "chat", "async")
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
    session_hours=0.75,
    sessions_per_month=2,
    max_active=8,
    max_monthly_hours=12.0,
    span_weeks=12,
)


def _common(rng: np.random.Generator, pid: str) -> dict[str, object]:
    region = int(rng.integers(len(ZONES)))
    languages = ["en"] if rng.random() < 0.85 else []
    languages += (
        [LANGUAGES[int(rng.integers(1, len(LANGUAGES)))]]
        if rng.random() < 0.4 or not languages
        else []
    )
    blocks = rng.choice(len(BLOCKS), size=int(rng.integers(2, 6)), replace=False)
    return {
        "participant_id": pid,
        "program_id": "prog-bench",
        "languages": languages,
        "formats": list(rng.choice(FORMATS, size=int(rng.integers(1, 3)), replace=False)),
        "availability": {
            "timezone": ZONES[region],
            "weekly": [
                {"weekday": BLOCKS[b][0], "start": BLOCKS[b][1], "end": BLOCKS[b][2]}
                for b in sorted(blocks)
            ],
        },
        "org_unit": f"ou-{int(rng.integers(40))}",
    }


def people(n: int, m: int, seed: int = 7) -> tuple[list[MenteeRegistered], list[MentorRegistered]]:
    rng = np.random.default_rng(seed)
    skills = [s.id for s in default_taxonomy().skills]
    mentees = []
    for i in range(n):
        focus = int(rng.integers(0, len(skills) - 12))
        goals = [
            {
                "goal_id": f"g{g}",
                "statement": "Grow",
                "target_skills": [
                    {"skill_id": skills[focus + int(k)], "level": int(rng.integers(2, 5))}
                    for k in rng.choice(12, size=int(rng.integers(1, 4)), replace=False)
                ],
            }
            for g in range(int(rng.integers(1, 3)))
        ]
        mentees.append(
            MenteeRegistered.model_validate(
                {
                    **_common(rng, f"e{i}"),
                    "goals": goals,
                    "preferred_style": STYLES[int(rng.integers(4))] if rng.random() < 0.6 else None,
                    "learning_pace": PACES[int(rng.integers(3))] if rng.random() < 0.7 else None,
                }
            )
        )
    mentors = []
    for j in range(m):
        focus = int(rng.integers(0, len(skills) - 12))
        mentors.append(
            MentorRegistered.model_validate(
                {
                    **_common(rng, f"m{j}"),
                    "skills": [
                        {"skill_id": skills[focus + int(k)], "level": int(rng.integers(2, 6))}
                        for k in rng.choice(12, size=int(rng.integers(3, 7)), replace=False)
                    ],
                    "coaching_style": STYLES[int(rng.integers(4))],
                    "capacity": int(rng.integers(1, 9)),
                }
            )
        )
    return mentees, mentors
