"""A program's outcome report (domain/outcome_report.py) from QA's read models, and the
answer to an invitation to mentor (domain/conversion.py), announced through the outbox."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from mentornet_chassis.store.typed import Change

from ..domain import conversion, outcome_report
from ..domain.documents import Invitation, Match, Person
from ..domain.outcome_report import Figure
from ..domain.outcome_report_facts import MenteeFacts, mentee_facts
from ..domain.program import Program
from ..store import QaStores
from .programs import ProgramRules

SERVICE = "qa"


class Outcomes:
    def __init__(
        self, stores: QaStores, clock: Callable[[], datetime], wake: Callable[[], None]
    ) -> None:
        self.stores = stores
        self.clock = clock
        self.wake = wake

    async def report(self, program_id: str, by: str) -> outcome_report.Report:
        """The report split `by` program, cohort, segment or a fairness attribute."""
        program = await ProgramRules(self.stores).published(program_id)
        facts = await self.mentees(program_id)
        return outcome_report.report(program_id, by, program.outcome_measures, facts)

    async def mentees(self, program_id: str) -> list[MenteeFacts]:
        return await mentees_of(self.stores, program_id)

    async def answer(self, program_id: str, participant_id: str, accept: bool) -> Invitation:
        """The invited mentee accepts or declines: mentor_invitation.answered."""
        now = self.clock()

        def decide(state: Person | None) -> Change[Person]:
            person, event = conversion.answer(state, program_id, participant_id, accept, now)
            return Change.announced(person, [event], SERVICE)

        written = await self.stores.people.change(participant_id, decide)
        self.wake()
        invitation = written.get("invitation") if written else None
        assert invitation is not None
        return invitation


async def mentees_of(stores: QaStores, program_id: str) -> list[MenteeFacts]:
    """What the report knows of each mentee enrolled in the program."""
    mentees = [
        p
        for p in await stores.people_in(program_id)
        if (role := p["roles"].get("mentee")) is not None and role.get("program_id") == program_id
    ]
    by_mentee: dict[str | None, list[Match]] = {}
    for match in await stores.matches_in(program_id):
        by_mentee.setdefault(match["mentee_id"], []).append(match)
    mentors = await _same_people(stores, mentees)
    return [mentee_facts(p, by_mentee.get(p["participant_id"], []), mentors) for p in mentees]


async def _same_people(stores: QaStores, mentees: list[Person]) -> list[Person]:
    """Mentor enrolments of the invited mentees' persons, in any program."""
    invited = sorted(
        {p.get("person_id") or p["participant_id"] for p in mentees if p.get("invitation")}
    )
    if not invited:
        return []
    query = {
        "$or": [{"state.person_id": {"$in": invited}}, {"state.participant_id": {"$in": invited}}],
        "state.roles.mentor": {"$exists": True},
    }
    return await stores.people.find(query)


async def program_figures(stores: QaStores, program: Program) -> dict[str, Figure]:
    """The program-wide figures of the outcome report, by indicator (the dashboard's)."""
    found = outcome_report.report(
        program.program_id,
        "program",
        program.outcome_measures,
        await mentees_of(stores, program.program_id),
    )
    return {f["indicator"]: f for f in found["groups"][0]["indicators"]}
