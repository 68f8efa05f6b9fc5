"""What the network view is computed from: each program in scope with its matches and
its people, as QA keeps them. Erased people are never counted; a person who joined
several programs is one person (their `person_id`, else their participant id)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from .documents import Match, MatchStatus, Person, PersonStatus, Role
from .program import ProgramState


@dataclass(frozen=True)
class ProgramFacts:
    """One program's rules, matches and people (QaStores.matches_in and people_in)."""

    state: ProgramState
    matches: Sequence[Match]
    people: Sequence[Person]

    @property
    def program_id(self) -> str:
        return str(self.state["program_id"])

    @property
    def name(self) -> str:
        """The program's name, or its id when it has none."""
        return str(self.state.get("name") or self.program_id)

    @property
    def default_capacity(self) -> int:
        """Places a mentor has when they named none (the program's rule, as health.py)."""
        return int(self.state.get("max_active_mentees_per_mentor") or 1)

    @property
    def counted(self) -> list[Person]:
        """The program's people, erased people left out."""
        return [p for p in self.people if p["status"] != PersonStatus.ERASED]

    def holding(self, role: Literal["mentor", "mentee"]) -> list[tuple[Person, Role]]:
        """Active people with this role in this program, with the role."""
        found = []
        for person in self.counted:
            held = person["roles"].get(role)
            active = person["status"] == PersonStatus.ACTIVE
            if held is not None and held.get("program_id") == self.program_id and active:
                found.append((person, held))
        return found

    def enrolled(self, role: Literal["mentor", "mentee"]) -> list[Person]:
        """Everyone who took this role in this program (active or withdrawn)."""
        return [
            p
            for p in self.counted
            if (held := p["roles"].get(role)) is not None
            and held.get("program_id") == self.program_id
        ]

    @property
    def confirmed(self) -> list[Match]:
        return [m for m in self.matches if m["status"] == MatchStatus.CONFIRMED]


def person_key(person: Person) -> str:
    """The person behind an enrolment: the same in every program they joined."""
    return person.get("person_id") or person["participant_id"]


def distinct(people: Iterable[Person]) -> int:
    return len({person_key(p) for p in people})


def ordered(programs: Sequence[ProgramFacts]) -> list[ProgramFacts]:
    """Programs in the order a reader looks for them: by name, then id."""
    return sorted(programs, key=lambda p: (p.name.casefold(), p.program_id))
