"""Everything a booking decision reads: the program, both calendars, each person's
other sessions (any match, either role) and the mentor's ledger, turned into the
pure `Booking` that domain/planning.py decides on."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from mentornet_contracts.events.common import Availability
from mentornet_contracts.events.programs import ProgramPublished

from ..domain import calendars, checkins, ledger
from ..domain.budget import HourBudget
from ..domain.planning import Booking, Person
from ..domain.series import Series
from ..domain.state import CalendarStatus, Match, SessionStatus
from ..domain.windows import Interval
from ..store import SchedulerStores

Clock = Callable[[], datetime]


@dataclass(frozen=True)
class Rules:
    """The service's booking settings."""

    lead: timedelta = timedelta(hours=24)
    buffer: timedelta = timedelta(minutes=15)


@dataclass(frozen=True)
class Pair:
    program: ProgramPublished
    mentor: Availability
    mentee: Availability

    @property
    def series(self) -> Series:
        cadence = self.program.cadence
        return Series(
            cadence.sessions_per_month,
            cadence.session_minutes,
            self.program.duration_weeks,
            str(self.program.tier),
        )


class Waiting(Exception):
    """The program or a calendar has not arrived yet: book later."""


class Unbookable(Exception):
    """Known, but there is nothing to book with (someone gave no availability)."""


class Written(Waiting):
    """The match meets by written check-ins (domain/checkins.py, usecases/checkins.py):
    no live slot is booked, moved or refitted for it."""


class Contexts:
    def __init__(self, stores: SchedulerStores, clock: Clock, rules: Rules) -> None:
        self.stores = stores
        self.clock = clock
        self.rules = rules

    async def program(self, program_id: str) -> ProgramPublished | None:
        state = await self.stores.programs.get_state(program_id)
        return ProgramPublished.model_validate(state) if state else None

    async def availability(self, participant_id: str, role: str) -> Availability:
        calendar = await self.stores.calendar_states.get(participant_id)
        if calendar is None:
            raise Waiting(f"the {role}'s registration has not arrived")
        found = calendars.availability(calendar)
        if found is None:
            status = calendar.get("status")
            raise Unbookable(
                f"the {role} is {status}"
                if status != CalendarStatus.ACTIVE
                else f"the {role} gave no availability"
            )
        return found

    async def pair(self, match: Match) -> Pair:
        program = await self.program(match["program_id"])
        if program is None:
            raise Waiting(f"program {match['program_id']} has not arrived")
        if checkins.is_async(match, program):
            raise Written("the match meets by written check-ins, not live sessions")
        mentor = await self.availability(match["mentor_id"], "mentor")
        mentee = await self.availability(match["mentee_id"], "mentee")
        return Pair(program, mentor, mentee)

    async def busy(
        self, participant_id: str, leaving_out: Iterable[str] = ()
    ) -> tuple[Interval, ...]:
        skip = set(leaving_out)
        found: list[Interval] = []
        for other in await self.stores.matches_of_person(participant_id):
            for session in other["sessions"]:
                scheduled = session["status"] == SessionStatus.SCHEDULED
                if scheduled and session["session_id"] not in skip:
                    start = datetime.fromisoformat(session["starts_at"])
                    found.append((start, start + timedelta(minutes=session["duration_minutes"])))
        return tuple(found)

    async def booking(
        self, match: Match, pair: Pair, *, leaving_out: Iterable[str] = (), lead: bool = True
    ) -> Booking:
        """`leaving_out`: session ids (and their ledger entries) being moved."""
        skip = set(leaving_out)
        held = await self.stores.ledger_states.get(await self.stores.person_of(match["mentor_id"]))
        moving = {s["booking_id"] for s in match["sessions"] if s["session_id"] in skip}
        used = ledger.minutes_by_month(held, leaving_out=moving)
        now = self.clock()
        return Booking(
            mentor=Person(
                match["mentor_id"], pair.mentor, await self.busy(match["mentor_id"], skip)
            ),
            mentee=Person(
                match["mentee_id"], pair.mentee, await self.busy(match["mentee_id"], skip)
            ),
            series=pair.series,
            budget=HourBudget.of(
                pair.mentor.timezone, pair.program.max_monthly_hours_per_mentor, used
            ),
            not_before=now + self.rules.lead if lead else now,
            buffer=self.rules.buffer,
        )

    def zones(self, match: Match, pair: Pair) -> dict[str, str]:
        return {match["mentor_id"]: pair.mentor.timezone, match["mentee_id"]: pair.mentee.timezone}
