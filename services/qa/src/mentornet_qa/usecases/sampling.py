"""Sampling held sessions for review, written check-ins alike (domain/sampling.py,
domain/periods.py), one period of a program at a time. A session's decision, and
`qa.sample.selected` when it is sampled, are written with the period's record in one
write; the period closes at the start of the next month (workers.py), when each mentor
not yet covered gets a sample. The samples to review follow from the period's
record."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from mentornet_chassis.store.typed import Change
from mentornet_contracts import Envelope, new_envelope
from mentornet_contracts.events.qa import QaSampleSelected

from ..domain import periods, sampling
from ..domain.documents import Match, Period, Sample, SessionDecision
from ..domain.program import Program
from ..store import QaStores

SERVICE = "qa"


def _selected(
    program_id: str, d: SessionDecision, cause: Envelope[Any] | None
) -> Envelope[QaSampleSelected]:
    event = QaSampleSelected(
        sample_id=sampling.sample_id(d["session_id"]),
        match_id=d["match_id"],
        session_id=d["session_id"],
        program_id=program_id,
    )
    return new_envelope(event, SERVICE, caused_by=cause)


class Sampler:
    def __init__(
        self, stores: QaStores, seed: str, double_share: float, new_mentor_days: int
    ) -> None:
        self.stores = stores
        self.seed = seed
        self.double_share = double_share
        self.new_mentor_days = new_mentor_days

    def seed_of(self, program_id: str) -> str:
        return f"{self.seed}:{program_id}"

    def rules(self, program: Program) -> sampling.SamplingRules:
        return program.sampling(self.double_share, self.new_mentor_days)

    async def _held(self, match: Match, session_id: str) -> sampling.Held | None:
        session = match["sessions"].get(session_id)
        if not match.get("mentor_id") or not session:
            return None
        mentor = await self.stores.people.get(match["mentor_id"] or "")
        role = mentor["roles"].get("mentor") if mentor else None
        since = role.get("since") if role else None
        started = datetime.fromisoformat(session.get("starts_at") or session["completed_at"])
        return sampling.Held(
            session_id,
            match["match_id"],
            match["mentor_id"] or "",
            match["mentee_id"] or "",
            started,
            datetime.fromisoformat(since) if since else None,
            session.get("format"),
        )

    async def sample(self, match: Match, session_id: str, cause: Envelope[Any]) -> None:
        program = await self.stores.program(match.get("program_id"))
        if program is None:
            return
        held = await self._held(match, session_id)
        if held is None:
            return
        rules = self.rules(program)
        period = sampling.period_of(held.started_at)
        seed = self.seed_of(program.program_id)

        def decide(state: Period | None) -> Change[Period]:
            current = state or periods.opened(program.program_id, period, seed)
            after = periods.decided(current, held, rules)
            if after is None:
                return Change(None)
            record = after["decisions"][session_id]
            events = [_selected(program.program_id, record, cause)] if record["sampled"] else []
            return Change(after, events)

        key = f"{program.program_id}:{period}"
        await self.stores.periods.apply(key, decide)
        await self.open_samples(key)

    async def close(self, key: str, now: datetime) -> None:
        """The period is over: mentors not yet covered get their lowest-draw session."""
        state = await self.stores.periods.get(key)
        if state is None or state["closed"]:
            return

        def decide(current: Period | None) -> Change[Period]:
            if current is None or current["closed"]:
                return Change(None)
            closed, picked = periods.closed(current, now)
            return Change(closed, [_selected(current["program_id"], d, None) for d in picked])

        await self.stores.periods.apply(key, decide)
        await self.open_samples(key)

    async def open_samples(self, key: str) -> None:
        """A sample to review for every sampled session of the period (idempotent)."""
        period = await self.stores.periods.get(key)
        if period is None:
            return
        for d in period["decisions"].values():
            if d["sampled"]:
                await self._open(periods.sample_of(period, d))

    async def _open(self, sample: Sample) -> None:
        def create(state: Sample | None) -> Change[Sample]:
            return Change(None) if state is not None else Change(sample)

        await self.stores.samples.apply(sample["sample_id"], create)
