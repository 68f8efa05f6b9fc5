"""The demo's people and programs: seeded, so every run builds the same network.

Three programs (a standard 1:1 program, a manager cohort, micro "ask an expert"
sessions); people in six time zones, with windows in their own local time, a few
languages besides English, and consent-given group attributes for the fairness audit.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

ZONES = (
    "Europe/Berlin",
    "Europe/London",
    "America/New_York",
    "America/Los_Angeles",
    "Asia/Kolkata",
    "Asia/Tokyo",
)
EXTRA_LANGUAGE = {"Europe/Berlin": "de", "Asia/Tokyo": "ja", "Asia/Kolkata": "hi"}
CONSENT = {"version": "2026-10", "accepted_at": "2026-11-01T09:00:00Z"}
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri")
GENDERS = ("woman", "man", "non-binary")
REGIONS = {"Europe": "emea", "America": "americas", "Asia": "apac"}
SEGMENTS = ("early-career", "experienced")
MILESTONE_WEEKS = (2, 4)
"""Milestones are due 2 and 4 weeks after registering (a 4-week program's second one on
its target date): the demo's weeks see them come due."""
STANDARD_WEIGHTS = {"availability": 0.4, "timezone": 0.5, "language": 0.1}
"""The standard program matches on time alone: shared meeting hours and time zones. The
demo's experiment (demo/experiment.py) tries a skills-first rule against it."""


@dataclass(frozen=True)
class ProgramPlan:
    key: str
    spec: dict[str, Any]
    mentors: int
    mentees: int
    skills: tuple[str, ...]
    zones: tuple[str, ...] = ZONES
    """A cohort meets at one weekly time, so its people share a UTC band."""

    @property
    def cohort(self) -> bool:
        return bool(self.spec["tier"] == "cohort")


PROGRAMS = (
    ProgramPlan(
        "standard",
        {
            "name": "Engineering growth (1:1, 12 weeks)",
            "tier": "standard",
            "duration_weeks": 12,
            "cadence": {"sessions_per_month": 2, "session_minutes": 45},
            "approval_mode": "auto",
            "max_active_mentees_per_mentor": 4,
            "qa_sample_rate": 0.3,
            "matching_weights": STANDARD_WEIGHTS,
        },
        mentors=30,
        mentees=120,
        skills=("python", "go", "kubernetes", "system-design", "sql", "react", "aws"),
    ),
    ProgramPlan(
        "cohort",
        {
            "name": "New managers cohort",
            "tier": "cohort",
            "cohort_size": 6,
            "duration_weeks": 8,
            "cadence": {"sessions_per_month": 4, "session_minutes": 60},
            "approval_mode": "coordinator_review",
            "max_active_mentees_per_mentor": 6,
            "max_monthly_hours_per_mentor": 20,
            "qa_sample_rate": 0.3,
        },
        mentors=8,
        mentees=48,
        skills=("first-time-management", "one-on-ones", "delegation", "giving-feedback"),
        zones=("Europe/Berlin", "Europe/London", "Asia/Kolkata"),
    ),
    ProgramPlan(
        "micro",
        {
            "name": "Ask an expert (one-off sessions)",
            "tier": "micro",
            "duration_weeks": 4,
            "cadence": {"sessions_per_month": 1, "session_minutes": 30},
            "approval_mode": "mentee_shortlist",
            "max_active_mentees_per_mentor": 3,
            "qa_sample_rate": 0.3,
        },
        mentors=12,
        mentees=32,
        skills=("public-speaking", "technical-writing", "negotiation", "prioritization"),
    ),
)


LOCAL_HOURS = {
    "Europe/Berlin": (("09:00", "13:00"), ("15:00", "18:00")),
    "Europe/London": (("08:00", "12:00"), ("14:00", "17:00")),
    "America/New_York": (("09:00", "12:00"),),
    "America/Los_Angeles": (("07:00", "10:00"), ("16:00", "19:00")),
    "Asia/Kolkata": (("13:30", "17:30"),),
    "Asia/Tokyo": (("09:00", "12:00"),),
}
"""Local working hours that meet in three UTC bands (08-12 Europe and India, 14-17
Europe and the Americas, 00-03 California and Japan), as real cross-zone programs do."""


def availability(rng: random.Random, zone: str, days: int) -> dict[str, Any]:
    """`days` of Tuesday to Thursday, in the zone's meeting hours."""
    chosen = sorted(rng.sample(WEEKDAYS[1:4], days), key=WEEKDAYS.index)
    windows = [
        {"weekday": day, "start": start, "end": end}
        for day in chosen
        for start, end in LOCAL_HOURS[zone]
    ]
    return {"timezone": zone, "weekly": windows}


def _common(rng: random.Random, n: int, role: str, plan: ProgramPlan, run: str) -> dict[str, Any]:
    zone = plan.zones[n % len(plan.zones)]
    languages = ["en", *([EXTRA_LANGUAGE[zone]] if zone in EXTRA_LANGUAGE and n % 2 else [])]
    return {
        "display_name": f"{plan.key.capitalize()} {role} {n}",
        "email": f"{plan.key}-{role}-{n}-{run}@demo.example.org",
        "languages": languages,
        "consent": CONSENT,
        "formats": ["video"],
        "availability": availability(rng, zone, 3 if role == "mentor" or plan.cohort else 2),
        "org_unit": f"unit-{n % 9}",
        "diversity": {
            "consent": CONSENT,
            "attributes": {
                "gender": rng.choice(GENDERS),
                "region": REGIONS[zone.split("/")[0]],
            },
        },
    }


def mentor(rng: random.Random, n: int, plan: ProgramPlan, run: str) -> dict[str, Any]:
    offered = rng.sample(plan.skills, min(3, len(plan.skills)))
    return {
        **_common(rng, n, "mentor", plan, run),
        "skills": [{"skill_id": s, "level": rng.choice((4, 5))} for s in offered],
    }


def mentee(rng: random.Random, n: int, plan: ProgramPlan, run: str, today: date) -> dict[str, Any]:
    """A SMART goal (a measurable outcome, a target date at the program's end, milestones
    due before it) and the mentee's baseline level in its skill, one below the goal's."""
    wanted = rng.choice(plan.skills)
    need = rng.choice((2, 3))
    topic = wanted.replace("-", " ")
    return {
        **_common(rng, n, "mentee", plan, run),
        "goals": [
            {
                "goal_id": "g1",
                "statement": f"Get better at {topic}",
                "target_skills": [{"skill_id": wanted, "level": need}],
                **smart(topic, today, plan.spec["duration_weeks"]),
            }
        ],
        "skill_baseline": [{"skill_id": wanted, "level": need - 1}],
        "segment": SEGMENTS[n % len(SEGMENTS)],
        "urgency": rng.randint(1, 5),
    }


def smart(topic: str, today: date, weeks: int) -> dict[str, Any]:
    """What makes a goal SMART for intake: how it is measured, by when, and the steps."""
    target = today + timedelta(weeks=weeks)
    steps = ("Agree a plan and a first exercise", f"Apply {topic} on a real task")
    return {
        "measurable_outcome": f"A reviewed piece of work that uses {topic}",
        "target_date": target.isoformat(),
        "milestones": [
            {
                "milestone_id": f"m{i}",
                "statement": statement,
                "due_date": min(target, today + timedelta(weeks=due)).isoformat(),
            }
            for i, (statement, due) in enumerate(zip(steps, MILESTONE_WEEKS, strict=True), 1)
        ],
    }
