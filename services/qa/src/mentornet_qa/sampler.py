"""Sampling held sessions for review (domain/sampling.py), one period of a program at
a time: the decision, the mentors already covered this period and the
`qa.sample.selected` event are written together; the sample to review follows."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from mentornet_chassis.aggregates import Decision, State
from mentornet_contracts import new_envelope
from mentornet_contracts.events.qa import QaSampleSelected

from . import programs
from .domain import sampling
from .store import QaStores

SERVICE = "qa"


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

    async def sample(self, match: State, session_id: str) -> None:
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
        chosen: list[sampling.Decision] = []

        def decide(state: State | None) -> Decision:
            current = state or {
                "program_id": program.program_id,
                "period": period,
                "seed": seed,
                "seen": [],
                "decisions": {},
            }
            if session_id in current["decisions"]:
                return Decision(state=None)
            made = sampling.decide(current["seen"], held, rules, seed)
            chosen[:] = [made]
            record = _record(held, made)
            seen = (
                [*current["seen"], held.mentor_id]
                if made.sampled and held.mentor_id not in current["seen"]
                else current["seen"]
            )
            events = []
            if made.sampled:
                events.append(
                    new_envelope(
                        QaSampleSelected(
                            sample_id=sampling.sample_id(session_id),
                            match_id=held.match_id,
                            session_id=session_id,
                            program_id=program.program_id,
                        ),
                        SERVICE,
                    )
                )
            return Decision(
                {
                    **current,
                    "seen": seen,
                    "decisions": {**current["decisions"], session_id: record},
                },
                events,
            )

        await self.stores.periods.apply(f"{program.program_id}:{period}", decide)
        decided = (await self.stores.periods.get_state(f"{program.program_id}:{period}") or {})[
            "decisions"
        ].get(session_id)
        if decided and decided["sampled"]:
            await self._open(program.program_id, period, held, bool(decided["double"]))

    async def _open(self, program_id: str, period: str, held: sampling.Held, double: bool) -> None:
        def create(state: State | None) -> Decision:
            if state is not None:
                return Decision(state=None)
            return Decision(
                {
                    "sample_id": sampling.sample_id(held.session_id),
                    "program_id": program_id,
                    "period": period,
                    "match_id": held.match_id,
                    "session_id": held.session_id,
                    "mentor_id": held.mentor_id,
                    "mentee_id": held.mentee_id,
                    "double": double,
                    "claims": [],
                    "reviews": [],
                    "status": "open",
                }
            )

        await self.stores.samples.apply(sampling.sample_id(held.session_id), create)


def _record(held: sampling.Held, made: sampling.Decision) -> dict[str, Any]:
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
    }


def replayed(period: State, rules: sampling.SamplingRules) -> dict[str, Any]:
    """The period's decisions made again from the same seed: the audit's re-run."""
    held = [
        sampling.Held(
            d["session_id"],
            d["match_id"],
            d["mentor_id"],
            d["mentee_id"],
            datetime.fromisoformat(d["started_at"]),
            datetime.fromisoformat(d["mentor_since"]) if d["mentor_since"] else None,
        )
        for d in period["decisions"].values()
    ]
    again = {d.session_id: d.sampled for d in sampling.replay(held, rules, period["seed"])}
    recorded = {sid: d["sampled"] for sid, d in period["decisions"].items()}
    return {
        "sessions": len(recorded),
        "sampled": sum(recorded.values()),
        "same_as_recorded": again == recorded,
    }
