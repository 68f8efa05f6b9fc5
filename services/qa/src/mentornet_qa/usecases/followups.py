"""What facts set off beyond QA's own view of the match: sampling a held session,
closing a rematch case once the mentee's new match is confirmed, an inactive mentor,
recognition and invitations to mentor, the periodic fairness audit's clock."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from mentornet_chassis.store.typed import Change
from mentornet_contracts import Envelope, new_envelope
from mentornet_contracts.events.qa import (
    EscalationTrigger,
    MenteeInvitedToMentor,
    Resolution,
    Severity,
)

from ..domain import (
    pauses,
    people,
    playbook,
    recognition,
    triggers,
)
from ..domain.documents import Invitation, Match, MatchStatus, Person
from ..domain.program import ProgramState
from ..store import ExperimentStores, QaStores
from .erasure import Erasure
from .recognitions import Recognitions
from .sampling import Sampler

SERVICE = "qa"


class FollowUps:
    def __init__(
        self,
        stores: QaStores,
        clock: Callable[[], datetime],
        sampler: Sampler,
        recognitions: Recognitions,
        audit_every: timedelta,
        trials: ExperimentStores | None = None,
    ) -> None:
        self.stores = stores
        self.trials = trials
        self.clock = clock
        self.sampler = sampler
        self.recognitions = recognitions
        self.audit_every = audit_every

    async def program(self, envelope: Envelope[Any], state: object) -> None:
        """Start the program's audit clock the first time it is seen."""
        first = (self.clock() + self.audit_every).timestamp()

        def start(s: ProgramState | None) -> Change[ProgramState]:
            unset = s is not None and s.get("due_epoch") is None
            return Change({**s, "due_epoch": first} if s is not None and unset else None)

        await self.stores.programs.apply(envelope.subject, start)

    async def confirmed(self, envelope: Envelope[Any], state: Match) -> None:
        mentee, program_id = envelope.event.mentee_id, envelope.event.program_id

        def place(s: Person | None) -> Change[Person]:
            return Change(people.placed(s) if s else None)

        await self.stores.people.apply(mentee, place)
        now = self.clock()
        for other in await self.stores.matches_of_mentee(mentee):
            if other["program_id"] != program_id or not _awaiting(other):
                continue

            def resolve(current: Match | None) -> Change[Match]:
                if current is None or not _awaiting(current):
                    return Change(None)
                closed, event = playbook.resolve(
                    current,
                    Resolution.REMATCHED,
                    now,
                    "system",
                    f"new match {envelope.event.match_id} confirmed",
                )
                return Change(
                    {**closed, "due_epoch": triggers.next_due(closed)},
                    [new_envelope(event, SERVICE, caused_by=envelope)],
                )

            await self.stores.matches.apply(other["match_id"], resolve)

    async def completed(self, envelope: Envelope[Any], state: Match) -> None:
        if state:
            await self.sampler.sample(state, envelope.event.session_id, envelope)
            await self.recognise(envelope, state)

    async def stalled(self, envelope: Envelope[Any], state: Match) -> None:
        """A mentor whose every active match has stalled for inactivity is inactive:
        each of those cases becomes high severity. A match on hold is not active."""
        mentor = state.get("mentor_id")
        if not mentor or envelope.event.reason != "no_activity" or pauses.paused_now(state):
            return
        active = [
            m
            for m in await self.stores.matches_of_mentor(mentor)
            if m["status"] == MatchStatus.CONFIRMED and not pauses.paused_now(m)
        ]
        quiet = [m for m in active if (c := m.get("case")) and c["trigger"] == "no_activity"]
        if len(active) < 2 or len(quiet) < len(active):
            return
        program = await self.stores.program(state.get("program_id"))
        now = self.clock()
        for match in quiet:

            def escalate(current: Match | None) -> Change[Match]:
                if current is None:
                    return Change(None)
                detail = f"the mentor is inactive across {len(active)} matches"
                raised, events = triggers.raise_case(
                    current, EscalationTrigger.NO_ACTIVITY, detail, program, now, Severity.HIGH
                )
                return Change(
                    {**raised, "due_epoch": triggers.next_due(raised)},
                    [new_envelope(e, SERVICE, caused_by=envelope) for e in events],
                )

            await self.stores.matches.apply(match["match_id"], escalate)

    async def outcome(self, envelope: Envelope[Any], state: Match) -> None:
        """The match's end and its mentee's last goal come on different streams, in
        either order: whichever is second finds the match finished with its goals
        reached, and the mentee is invited to mentor (once)."""
        if not state or not recognition.finished_with_goals(state):
            await self.recognise(envelope, state)
            return
        mentee = state["mentee_id"] or ""
        person = await self.stores.people.get(mentee)
        role = person["roles"].get("mentee") if person else None
        skills = role.get("goal_skills", []) if role else []

        def invite(current: Person | None) -> Change[Person]:
            if current is None or current.get("invited") or current.get("status") != "active":
                return Change(None)
            event = MenteeInvitedToMentor(
                program_id=state["program_id"], participant_id=mentee, skill_ids=tuple(skills[:20])
            )
            invitation = Invitation(
                program_id=state["program_id"] or "", invited_at=envelope.time.isoformat()
            )
            return Change(
                {**current, "invited": True, "invitation": invitation},
                [new_envelope(event, SERVICE, caused_by=envelope)],
            )

        await self.stores.people.apply(mentee, invite)
        await self.recognise(envelope, state)

    async def recognise(self, envelope: Envelope[Any], state: Match) -> None:
        program_id, mentor_id = state.get("program_id"), state.get("mentor_id")
        if state and mentor_id and program_id:
            await self.recognitions.update(program_id, mentor_id, envelope)

    async def left(self, envelope: Envelope[Any], state: object) -> None:
        """A mentee who leaves will not get the new match a rematch case waits for."""
        person = envelope.subject
        now = self.clock()
        for match in await self.stores.matches_of_mentee(person):
            if not _awaiting(match):
                continue

            def close(current: Match | None) -> Change[Match]:
                if current is None or not _awaiting(current):
                    return Change(None)
                closed, event = playbook.resolve(
                    current, Resolution.ENDED, now, "system", "the mentee left the program"
                )
                return Change(
                    {**closed, "due_epoch": triggers.next_due(closed)},
                    [new_envelope(event, SERVICE, caused_by=envelope)],
                )

            await self.stores.matches.apply(match["match_id"], close)

    async def erased(self, envelope: Envelope[Any], state: object) -> None:
        """As `left`, then what erasure forgets (usecases/erasure.py)."""
        await self.left(envelope, state)
        await Erasure(self.stores, self.trials).forget(envelope, self.clock())


def _awaiting(match: Match) -> bool:
    """A rematch case waiting for the mentee's new match."""
    case = match.get("case")
    return case is not None and bool(case.get("awaiting_new_match"))
