"""A sampling period's record (domain/sampling.py decides): each held session's
decision as it was made, the coverage picks at the close, the samples to review that
follow, and the audit's re-run of it all from the seed."""

from __future__ import annotations

from datetime import datetime
from typing import TypedDict

from . import sampling
from .documents import Period, Sample, SampleStatus, SessionDecision


class Replay(TypedDict):
    sessions: int
    sampled: int
    closed: bool
    same_as_recorded: bool


def opened(program_id: str, period: str, seed: str) -> Period:
    return Period(
        program_id=program_id,
        period=period,
        seed=seed,
        decisions={},
        closed=False,
        due_epoch=sampling.closes_at(period).timestamp(),
    )


def held_of(d: SessionDecision) -> sampling.Held:
    return sampling.Held(
        d["session_id"],
        d["match_id"],
        d["mentor_id"],
        d["mentee_id"],
        datetime.fromisoformat(d["started_at"]),
        datetime.fromisoformat(d["mentor_since"]) if d["mentor_since"] else None,
        d.get("format"),
    )


def decided(period: Period, held: sampling.Held, rules: sampling.SamplingRules) -> Period | None:
    """The period with the session's decision in it; None if it was decided already."""
    if held.session_id in period["decisions"]:
        return None
    made = sampling.decide(held, rules, period["seed"])
    record = SessionDecision(
        session_id=held.session_id,
        match_id=held.match_id,
        mentor_id=held.mentor_id,
        mentee_id=held.mentee_id,
        started_at=held.started_at.isoformat(),
        mentor_since=held.mentor_since.isoformat() if held.mentor_since else None,
        sampled=made.sampled,
        double=made.double,
        reason=made.reason,
        after_close=period["closed"],
    )
    if held.format:
        record["format"] = held.format
    return {**period, "decisions": {**period["decisions"], held.session_id: record}}


def closed(period: Period, now: datetime) -> tuple[Period, list[SessionDecision]]:
    """The period over: each mentor not yet covered gets their lowest-draw session.
    Returns the closed period and the decisions the close sampled."""
    decisions = dict(period["decisions"])
    sampled = {sid for sid, d in decisions.items() if d["sampled"]}
    held = [held_of(d) for d in decisions.values()]
    picked = []
    for sid in sampling.cover(held, sampled, period["seed"]):
        decisions[sid] = {**decisions[sid], "sampled": True, "reason": sampling.COVERAGE}
        picked.append(decisions[sid])
    after: Period = {
        **period,
        "decisions": decisions,
        "closed": True,
        "closed_at": now.isoformat(),
        "due_epoch": None,
    }
    return after, picked


def sample_of(period: Period, d: SessionDecision) -> Sample:
    """The sample to review for a sampled session (or written check-in: `format`)."""
    sample = Sample(
        sample_id=sampling.sample_id(d["session_id"]),
        program_id=period["program_id"],
        period=period["period"],
        match_id=d["match_id"],
        session_id=d["session_id"],
        mentor_id=d["mentor_id"],
        mentee_id=d["mentee_id"],
        double=d["double"],
        claims=[],
        reviews=[],
        status=SampleStatus.OPEN,
    )
    if d.get("format"):
        sample["format"] = d["format"]
    return sample


def replayed(period: Period, rules: sampling.SamplingRules) -> Replay:
    """The period's decisions made again from the same seed: the audit's re-run.
    Coverage counts the sessions the period knew when it closed."""
    decisions = period["decisions"].values()
    known = [held_of(d) for d in decisions if not d.get("after_close")]
    late = [held_of(d) for d in decisions if d.get("after_close")]
    seed = period["seed"]
    again = {
        d.session_id: d.sampled
        for d in sampling.replay(known, rules, seed, closed=period["closed"])
    }
    again |= {d.session_id: d.sampled for d in sampling.replay(late, rules, seed, closed=False)}
    recorded = {sid: d["sampled"] for sid, d in period["decisions"].items()}
    return Replay(
        sessions=len(recorded),
        sampled=sum(recorded.values()),
        closed=period["closed"],
        same_as_recorded=again == recorded,
    )
