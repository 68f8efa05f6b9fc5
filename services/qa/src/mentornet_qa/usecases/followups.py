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

from ..domain import pauses, people, playbook, recognition, reviews, triggers
from ..domain.documents import Case, Invitation, Match, MatchStatus, Person, Recognition, Sample
from ..domain.program import ProgramState
from ..store import QaStores
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
    ) -> None:
        self.stores = stores
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
        """Free text about the person goes: review comments on their sessions, notes
        on their cases; their open case is closed and their sessions' samples not yet
        reviewed are withdrawn from review; a mentor's recognition record is emptied."""
        await self.left(envelope, state)
        person = envelope.subject
        now = self.clock()
        for match in [
            *await self.stores.matches_of_mentee(person),
            *await self.stores.matches_of_mentor(person),
        ]:
            await self.stores.matches.apply(
                match["match_id"], lambda s: _case_closed(_without_notes(s), now, envelope)
            )
            for sample in await self.stores.samples_of_match(match["match_id"]):
                await self.stores.samples.apply(sample["sample_id"], lambda s: _withdrawn(s, now))
            if match.get("mentor_id") == person and match.get("program_id"):
                key = f"{match['program_id']}:{person}"
                await self.stores.recognition.apply(key, _forgotten)


def _awaiting(match: Match) -> bool:
    """A rematch case waiting for the mentee's new match."""
    case = match.get("case")
    return case is not None and bool(case.get("awaiting_new_match"))


def _withdrawn(sample: Sample | None, now: datetime) -> Change[Sample]:
    return Change(reviews.withdraw(sample, now) if sample else None)


def _forgotten(state: Recognition | None) -> Change[Recognition]:
    return Change(Recognition(erased=True) if state else None)


def _without_notes(match: Match | None) -> Match | None:
    """Closed cases lose their notes and details, a pause its reason."""
    if match is None:
        return None
    closed: list[Case] = [
        {**_without_details(c), "note": ""} for c in match.get("closed_cases", [])
    ]
    pause = match.get("paused")
    if pause:
        return {**match, "closed_cases": closed, "paused": {**pause, "reason": ""}}
    return {**match, "closed_cases": closed}


def _without_details(case: Case) -> Case:
    """A case's triggers keep what and when, not the words (a coordinator's, say)."""
    return {**case, "triggers": [{**t, "detail": ""} for t in case.get("triggers", [])]}


def _case_closed(match: Match | None, now: datetime, cause: Envelope[Any]) -> Change[Match]:
    """The match's open case ends, with no note: there is no one left to act for."""
    case = match.get("case") if match else None
    if match is None or not case:
        return Change(match)
    closed, event = playbook.resolve(
        {**match, "case": _without_details(case)},
        Resolution.ENDED,
        now,
        "system",
        "a participant was erased",
    )
    return Change(
        {**closed, "due_epoch": triggers.next_due(closed)},
        [new_envelope(event, SERVICE, caused_by=cause)],
    )
