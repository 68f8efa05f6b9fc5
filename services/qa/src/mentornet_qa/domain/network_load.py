"""Mentors' load across programs: each active mentor is one person however many
programs they mentor in; their load is their active mentees (confirmed matches with any
of their enrolments as the mentor) over their places (each program's capacity, or the
program's rule where they named none, as health.py counts places)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from .network_facts import ProgramFacts, person_key
from .tables import Table, column, percent, plural, table

BUSIEST = 10
BUCKETS = ("no mentees", "under half", "half to full", "full", "over capacity")


@dataclass
class Load:
    """One person's mentoring across the programs in scope."""

    mentor: str
    programs: set[str] = field(default_factory=set)
    enrolments: set[str] = field(default_factory=set)
    places: int = 0
    active: int = 0

    @property
    def ratio(self) -> float | None:
        return round(self.active / self.places, 4) if self.places else None

    @property
    def bucket(self) -> str:
        if self.active == 0:
            return "no mentees"
        if not self.places or self.active > self.places:
            return "over capacity"
        if self.active == self.places:
            return "full"
        return "under half" if self.active / self.places < 0.5 else "half to full"


def loads(programs: Sequence[ProgramFacts]) -> list[Load]:
    """Every active mentor in scope, by person."""
    found: dict[str, Load] = {}
    for program in programs:
        for person, role in program.holding("mentor"):
            load = found.setdefault(person_key(person), Load(person_key(person)))
            load.programs.add(program.program_id)
            load.enrolments.add(person["participant_id"])
            load.places += role.get("capacity") or program.default_capacity
    mentor_of = {e: load for load in found.values() for e in load.enrolments}
    for program in programs:
        for match in program.confirmed:
            if (busy := mentor_of.get(match["mentor_id"] or "")) is not None:
                busy.active += 1
    return sorted(found.values(), key=lambda m: m.mentor)


def _busiest_first(load: Load) -> tuple[float, int, str]:
    ratio = load.ratio if load.ratio is not None else float("inf")
    return (-ratio, -load.active, load.mentor)


def distribution(found: Sequence[Load], programs: int) -> Table:
    counts = {name: sum(1 for m in found if m.bucket == name) for name in BUCKETS}
    total = len(found)
    several = sum(1 for m in found if len(m.programs) > 1)
    over, full = counts["over capacity"], counts["full"]
    summary = (
        f"Of {plural(total, 'active mentor')} across {plural(programs, 'program')}:"
        f" {counts['no mentees']} with no mentees, {counts['under half']} under half their"
        f" places, {counts['half to full']} half to full, {full} full and {over} over"
        f" capacity. {plural(several, 'person mentors', 'people mentor')} in two or more"
        " programs."
    )
    rows = [
        {"load": name, "mentors": n, "share": round(n / total, 4) if total else None}
        for name, n in counts.items()
    ]
    return table(
        "network_mentor_load",
        "Mentors' load across programs",
        summary,
        [
            column("load", "Load", "text"),
            column("mentors", "Mentors"),
            column("share", "Share of mentors", "rate"),
        ],
        rows,
        note="Load is a person's active mentees over their places in every program they"
        f" mentor in; {plural(several, 'person mentors', 'people mentor')} in two or"
        " more programs.",
    )


def busiest(found: Sequence[Load]) -> Table:
    top = sorted((m for m in found if m.active), key=_busiest_first)[:BUSIEST]
    if top:
        first = top[0]
        summary = (
            f"The {plural(len(top), 'busiest mentor')} across programs. The busiest,"
            f" {first.mentor}, has {plural(first.active, 'active mentee')} for"
            f" {plural(first.places, 'place')} ({percent(first.ratio)}) in"
            f" {plural(len(first.programs), 'program')}."
        )
    else:
        summary = "No mentor in these programs has an active mentee."
    rows = [
        {
            "mentor": m.mentor,
            "programs": len(m.programs),
            "active_mentees": m.active,
            "places": m.places,
            "load": m.ratio,
        }
        for m in top
    ]
    return table(
        "network_busiest_mentors",
        "The busiest mentors",
        summary,
        [
            column("mentor", "Mentor (person id)", "text"),
            column("programs", "Programs"),
            column("active_mentees", "Active mentees"),
            column("places", "Places"),
            column("load", "Load", "rate"),
        ],
        rows,
        note=f"At most {BUSIEST} people with at least one active mentee, highest load first;"
        " mentors are shown by person id.",
    )


def mentor_load(programs: Sequence[ProgramFacts]) -> list[Table]:
    found = loads(programs)
    return [distribution(found, len(programs)), busiest(found)]
