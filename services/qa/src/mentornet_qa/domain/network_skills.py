"""Skills in demand against supply, across programs: for each skill, the active mentees
whose goals target it, those of them still waiting for a mentor, and the active mentors
offering it. People are counted once however many programs they are in."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from .network_facts import ProgramFacts, person_key
from .tables import Table, column, plural, table

MOST_SKILLS = 30


@dataclass
class Skill:
    skill_id: str
    wanting: set[str] = field(default_factory=set)
    waiting: set[str] = field(default_factory=set)
    offering: set[str] = field(default_factory=set)

    @property
    def per_mentor(self) -> float | None:
        """Mentees wanting the skill per mentor offering it; None when no mentor does."""
        return round(len(self.wanting) / len(self.offering), 2) if self.offering else None


def skills(programs: Sequence[ProgramFacts]) -> dict[str, Skill]:
    found: dict[str, Skill] = {}

    def of(skill_id: str) -> Skill:
        return found.setdefault(skill_id, Skill(skill_id))

    for program in programs:
        matched = {m["mentee_id"] for m in program.confirmed}
        for person, role in program.holding("mentee"):
            waiting = bool(person.get("waitlisted_at")) and person["participant_id"] not in matched
            for skill_id in role.get("goal_skills") or ():
                of(skill_id).wanting.add(person_key(person))
                if waiting:
                    of(skill_id).waiting.add(person_key(person))
        for person, role in program.holding("mentor"):
            for skill_id in role.get("skills") or ():
                of(skill_id).offering.add(person_key(person))
    return found


def _shortage_first(skill: Skill) -> tuple[int, float, int, str]:
    per_mentor = skill.per_mentor if skill.per_mentor is not None else float("inf")
    if not skill.wanting:
        per_mentor = 0.0
    return (-len(skill.waiting), -per_mentor, -len(skill.wanting), skill.skill_id)


def _verb(n: int, one: str, many: str) -> str:
    return one if n == 1 else many


def _summary(ranked: list[Skill], programs: int) -> str:
    wanted = [s for s in ranked if s.wanting]
    unserved = [s.skill_id for s in wanted if not s.offering]
    said = (
        f"Across {plural(programs, 'program')}, active mentees want {plural(len(wanted), 'skill')}"
    )
    if unserved:
        named = ", ".join(unserved[:5]) + (", ..." if len(unserved) > 5 else "")
        said += f"; no active mentor offers {len(unserved)} of them ({named})."
    else:
        said += "; each has at least one active mentor offering it." if wanted else "."
    if wanted:
        top, offering = ranked[0], len(ranked[0].offering)
        said += (
            f" The largest shortage is {top.skill_id}: {plural(len(top.wanting), 'mentee')}"
            f" {_verb(len(top.wanting), 'wants', 'want')} it, {len(top.waiting)} of them"
            f" waiting, and {plural(offering, 'mentor')} {_verb(offering, 'offers', 'offer')} it."
        )
    return said


def skills_in_demand(programs: Sequence[ProgramFacts]) -> Table:
    ranked = sorted(skills(programs).values(), key=_shortage_first)
    shown = ranked[:MOST_SKILLS]
    left = len(ranked) - len(shown)
    rows = [
        {
            "skill": s.skill_id,
            "mentees_wanting": len(s.wanting),
            "mentees_waiting": len(s.waiting),
            "mentors_offering": len(s.offering),
            "demand_per_mentor": s.per_mentor,
        }
        for s in shown
    ]
    note = "Ordered by shortage: mentees waiting, then mentees wanting the skill per mentor."
    note += (
        f" {plural(left, 'more skill')} left out (at most {MOST_SKILLS} shown)."
        if left
        else f" Every skill is shown ({len(ranked)})."
    )
    return table(
        "network_skills",
        "Skills in demand against supply",
        _summary(ranked, len(programs)),
        [
            column("skill", "Skill", "text"),
            column("mentees_wanting", "Mentees wanting it"),
            column("mentees_waiting", "Of them waiting"),
            column("mentors_offering", "Mentors offering it"),
            column("demand_per_mentor", "Mentees per mentor", "number"),
        ],
        rows,
        note=note,
    )
