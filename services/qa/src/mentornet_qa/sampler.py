"""Sampling held sessions for review (domain/sampling.py), one period of a program at
a time. A session's decision, and `qa.sample.selected` when it is sampled, are written
with the period's record in one write; the period closes at the start of the next
month (the timers), when each mentor not yet covered gets a sample. The samples to
review follow from the period's record."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from mentornet_chassis.store.aggregates import Decision, State
from mentornet_contracts import Envelope, new_envelope
from mentornet_contracts.events.qa import QaSampleSelected

from . import programs
from .domain import sampling
from .store import QaStores

SERVICE = "qa"


def _held(d: dict[str, Any]) -> sampling.Held:
    return sampling.Held(
        d["session_id"],
        d["match_id"],
        d["mentor_id"],
        d["mentee_id"],
        datetime.fromisoformat(d["started_at"]),
        datetime.fromisoformat(d["mentor_since"]) if d["mentor_since"] else None,
    )


def _record(held: sampling.Held, made: sampling.Decision, closed: bool) -> dict[str, Any]:
    return {
        "session_id": held.session_id,
        "match_id": held.match_id,
        "mentor_id": held.mentor_id,
        "mentee_id": held.mentee_id,
        "started_at": held.started_at.isoformat(),
        "mentor_since": held.mentor_since.isoformat() if held.mentor_since else None,
        "sampled": made.sampled,
        "double": made.double,
        "reason": made.reason,
        "after_close": closed,
    }


def _selected(program_id: str, d: dict[str, Any], cause: Envelope[Any] | None) -> Any:
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

    async def sample(self, match: State, session_id: str, cause: Envelope[Any]) -> None:
        program = await programs.load(self.stores, match.get("program_id"))
        session = match["sessions"].get(session_id) or {}
        if program is None or not match.get("mentor_id") or not session:
            return
        mentor = await self.stores.people.get_state(match["mentor_id"])
        since = ((mentor or {}).get("roles", {}).get("mentor") or {}).get("since")
        started = datetime.fromisoformat(session.get("starts_at") or session["completed_at"])
        held = sampling.Held(
            session_id,
            match["match_id"],
            match["mentor_id"],
            match["mentee_id"],
            started,
            datetime.fromisoformat(since) if since else None,
        )
        rules = program.sampling(self.double_share, self.new_mentor_days)
        period = sampling.period_of(started)
        seed = self.seed_of(program.program_id)

        def decide(state: State | None) -> Decision:
            current = state or {
                "program_id": program.program_id,
                "period": period,
                "seed": seed,
                "decisions": {},
                "closed": False,
                "due_epoch": sampling.closes_at(period).timestamp(),
            }
            if session_id in current["decisions"]:
                return Decision(state=None)
            record = _record(held, sampling.decide(held, rules, seed), current["closed"])
            events = [_selected(program.program_id, record, cause)] if record["sampled"] else []
            return Decision(
                {**current, "decisions": {**current["decisions"], session_id: record}}, events
            )

        key = f"{program.program_id}:{period}"
        await self.stores.periods.apply(key, decide)
        await self.open_samples(key)

    async def close(self, key: str, now: datetime) -> None:
        """The period is over: mentors not yet covered get their lowest-draw session."""
        state = await self.stores.periods.get_state(key)
        if state is None or state["closed"]:
            return

        def decide(current: State | None) -> Decision:
            if current is None or current["closed"]:
                return Decision(state=None)
            decisions = dict(current["decisions"])
            sampled = {sid for sid, d in decisions.items() if d["sampled"]}
            held = [_held(d) for d in decisions.values()]
            events = []
            for sid in sampling.cover(held, sampled, current["seed"]):
                decisions[sid] = {**decisions[sid], "sampled": True, "reason": sampling.COVERAGE}
                events.append(_selected(current["program_id"], decisions[sid], None))
            closed = {
                **current,
                "decisions": decisions,
                "closed": True,
                "closed_at": now.isoformat(),
                "due_epoch": None,
            }
            return Decision(closed, events)

        await self.stores.periods.apply(key, decide)
        await self.open_samples(key)

    async def open_samples(self, key: str) -> None:
        """A sample to review for every sampled session of the period (idempotent)."""
        state = await self.stores.periods.get_state(key) or {"decisions": {}}
        for d in state["decisions"].values():
            if d["sampled"]:
                await self._open(state["program_id"], state["period"], d)

    async def _open(self, program_id: str, period: str, d: dict[str, Any]) -> None:
        def create(state: State | None) -> Decision:
            if state is not None:
                return Decision(state=None)
            return Decision(
                {
                    "sample_id": sampling.sample_id(d["session_id"]),
                    "program_id": program_id,
                    "period": period,
                    "match_id": d["match_id"],
                    "session_id": d["session_id"],
                    "mentor_id": d["mentor_id"],
                    "mentee_id": d["mentee_id"],
                    "double": d["double"],
                    "claims": [],
                    "reviews": [],
                    "status": "open",
                }
            )

        await self.stores.samples.apply(sampling.sample_id(d["session_id"]), create)


def replayed(period: State, rules: sampling.SamplingRules) -> dict[str, Any]:
    """The period's decisions made again from the same seed: the audit's re-run.
    Coverage counts the sessions the period knew when it closed."""
    known = [_held(d) for d in period["decisions"].values() if not d.get("after_close")]
    late = [_held(d) for d in period["decisions"].values() if d.get("after_close")]
    again = {
        d.session_id: d.sampled
        for d in sampling.replay(known, rules, period["seed"], closed=period["closed"])
    }
    again |= {
        d.session_id: d.sampled for d in sampling.replay(late, rules, period["seed"], closed=False)
    }
    recorded = {sid: d["sampled"] for sid, d in period["decisions"].items()}
    return {
        "sessions": len(recorded),
        "sampled": sum(recorded.values()),
        "closed": period["closed"],
        "same_as_recorded": again == recorded,
    }
