"""A program's matching pool as arrays: what scoring needs, computed once per run.

Built from the contract models the read model keeps (mentee.registered and
mentor.registered as last updated), the program's published rules, each mentor's
current load and the taxonomy. Everything per pair is left to scoring.py.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import numpy as np
import numpy.typing as npt
from mentornet_contracts.events.common import CommunicationChannel, SessionFormat
from mentornet_contracts.events.participants import MenteeRegistered, MentorRegistered

from .experiment_rules import ArmRule
from .rules import MentorLoad, Rules
from .skillmap import Coverage, SkillMap, coverage
from .slots import Intervals, Span, free_minutes, offset_hours

FORMATS = tuple(str(f) for f in SessionFormat)
CHANNELS = tuple(str(c) for c in CommunicationChannel)
PACE_HOURS_PER_WEEK = {"relaxed": 0.5, "steady": 1.0, "intensive": 2.0}

Codes = npt.NDArray[np.int32]
Flags = npt.NDArray[np.bool_]


def codes(values: Sequence[str | None], vocabulary: dict[str, int]) -> Codes:
    """Each value's position in a vocabulary shared by both sides; -1 for none."""
    return np.asarray(
        [vocabulary.setdefault(v.strip().lower(), len(vocabulary)) if v else -1 for v in values],
        dtype=np.int32,
    )


def flags(lists: Sequence[Sequence[str]], vocabulary: dict[str, int], width: int = 0) -> Flags:
    """Rows of membership flags over a vocabulary (grown as needed)."""
    for values in lists:
        for value in values:
            vocabulary.setdefault(value, len(vocabulary))
    table = np.zeros((len(lists), max(width, len(vocabulary))), dtype=np.bool_)
    for row, values in enumerate(lists):
        table[row, [vocabulary[v] for v in values]] = True
    return table


@dataclass(frozen=True)
class Side:
    """One side of the pool (mentees or mentors), one row per person."""

    ids: tuple[str, ...]
    person: Codes
    languages: Flags
    first_language: Codes
    formats: Flags
    channels: Flags
    style: Codes
    org_unit: Codes
    manager: Codes
    offset: npt.NDArray[np.float64]
    times: tuple[Intervals, ...]
    """Each person's free time over the span (domain/slots.py)."""


@dataclass(frozen=True)
class MentorSide:
    """The mentors' half of a pool, which changes only when a mentor does: built once
    per roster and reused for every newcomer (with the vocabularies it coded them in)."""

    mentors: Sequence[MentorRegistered]
    side: Side
    vocabularies: dict[str, dict[str, int]]
    levels: npt.NDArray[np.int8]
    span: Span
    skills: SkillMap
    memo: dict[str, Any] = field(default_factory=dict, compare=False)
    """What scoring derives from the mentors alone (their availability patterns)."""

    @property
    def start(self) -> datetime:
        return self.span.start


def _vocabularies() -> dict[str, dict[str, int]]:
    return {
        "person": {},
        "language": {},
        "format": {f: i for i, f in enumerate(FORMATS)},
        "channel": {c: i for i, c in enumerate(CHANNELS)},
        "style": {},
        "org_unit": {},
    }


def build_mentor_side(
    mentors: Sequence[MentorRegistered], skills: SkillMap, span: Span
) -> MentorSide:
    vocabularies = _vocabularies()
    side = _side(mentors, span, vocabularies)
    levels = skills.proficiency([m.skills for m in mentors])
    return MentorSide(mentors, side, vocabularies, levels, span, skills)


@dataclass(frozen=True)
class Pool:
    rules: Rules
    skills: SkillMap
    span: Span
    mentees: Sequence[MenteeRegistered]
    mentors: Sequence[MentorRegistered]
    mentee_side: Side
    mentor_side: Side
    coverage: Coverage
    mentor_levels: npt.NDArray[np.int8]
    pace_need: npt.NDArray[np.float64]
    capacity: npt.NDArray[np.int64]
    excluded: Flags
    """Mentees x mentors: pairs that failed before (declined, rematched)."""
    prepared: MentorSide | None = None
    arms: tuple[ArmRule | None, ...] = ()
    """Each mentee row's experiment arm rule (none: the program's weights); empty when
    no mentee of the pool is in an experiment (domain/arms.py)."""

    @property
    def shape(self) -> tuple[int, int]:
        return len(self.mentees), len(self.mentors)

    @property
    def start(self) -> datetime:
        return self.span.start


def _side(
    people: Sequence[MenteeRegistered | MentorRegistered],
    span: Span,
    vocabularies: dict[str, dict[str, int]],
) -> Side:
    zones = [p.availability.timezone if p.availability else None for p in people]
    return Side(
        ids=tuple(p.participant_id for p in people),
        person=codes([p.participant_id for p in people], vocabularies["person"]),
        languages=flags([p.languages for p in people], vocabularies["language"]),
        first_language=codes(
            [p.languages[0] if p.languages else None for p in people], vocabularies["language"]
        ),
        formats=flags(
            [[str(f) for f in p.formats] for p in people], vocabularies["format"], len(FORMATS)
        ),
        channels=flags(
            [[str(c) for c in p.channels] for p in people], vocabularies["channel"], len(CHANNELS)
        ),
        style=codes(
            [
                p.coaching_style if isinstance(p, MentorRegistered) else p.preferred_style
                for p in people
            ],
            vocabularies["style"],
        ),
        org_unit=codes([p.org_unit for p in people], vocabularies["org_unit"]),
        manager=codes([p.manager_id for p in people], vocabularies["person"]),
        offset=np.asarray([offset_hours(z, span.start) for z in zones], dtype=np.float64),
        times=tuple(free_minutes(p.availability, span) for p in people),
    )


def build_pool(
    mentees: Sequence[MenteeRegistered],
    mentors: Sequence[MentorRegistered] | MentorSide,
    loads: Sequence[MentorLoad] | Mapping[str, MentorLoad],
    rules: Rules,
    skills: SkillMap,
    start: datetime,
    failed_pairs: frozenset[tuple[str, str]] = frozenset(),
    arms: Mapping[str, ArmRule] | None = None,
) -> Pool:
    """`mentors` may come as a prebuilt MentorSide (same skills and span). The span
    starts at `start` and runs the program's weeks (rules.span_weeks). `arms`: the
    experiment arm rule of each mentee in one (by participant id)."""
    span = Span(start, rules.span_weeks)
    prepared = (
        mentors if isinstance(mentors, MentorSide) else build_mentor_side(mentors, skills, span)
    )
    if prepared.span != span:
        raise ValueError(f"mentors prepared for {prepared.span}, not {span}")
    vocabularies = {name: dict(codes) for name, codes in prepared.vocabularies.items()}
    mentee_side = _side(mentees, span, vocabularies)
    width = len(vocabularies["language"])
    mentee_side = _widened(mentee_side, width)
    mentor_side = _widened(prepared.side, width)
    mentor_index = {pid: j for j, pid in enumerate(mentor_side.ids)}
    excluded = np.zeros((len(mentees), len(mentor_side.ids)), dtype=np.bool_)
    for i, mentee in enumerate(mentees):
        for mentee_id, mentor_id in failed_pairs:
            if mentee_id == mentee.participant_id and mentor_id in mentor_index:
                excluded[i, mentor_index[mentor_id]] = True
    return Pool(
        rules=rules,
        skills=skills,
        span=span,
        mentees=mentees,
        mentors=prepared.mentors,
        mentee_side=mentee_side,
        mentor_side=mentor_side,
        coverage=coverage([m.goals for m in mentees], prepared.levels, skills),
        mentor_levels=prepared.levels,
        pace_need=np.asarray(
            [
                PACE_HOURS_PER_WEEK.get(str(m.learning_pace), np.nan) if m.learning_pace else np.nan
                for m in mentees
            ],
            dtype=np.float64,
        ),
        capacity=_capacity(prepared, rules, loads),
        excluded=excluded,
        prepared=prepared,
        arms=tuple(arms.get(m.participant_id) for m in mentees)
        if arms and any(m.participant_id in arms for m in mentees)
        else (),
    )


def _capacity(
    prepared: MentorSide, rules: Rules, loads: Sequence[MentorLoad] | Mapping[str, MentorLoad]
) -> npt.NDArray[np.int64]:
    """Places left per mentor. `loads` lists every mentor's load, or maps the mentors
    that carry any (the rest carry none, and their capacity is computed once per rules)."""
    if not isinstance(loads, Mapping):
        return np.asarray(
            [
                rules.capacity_left(m.capacity, load)
                for m, load in zip(prepared.mentors, loads, strict=True)
            ],
            dtype=np.int64,
        )
    key = f"capacity:{rules!r}"
    if key not in prepared.memo:
        idle = MentorLoad()
        prepared.memo[key] = np.asarray(
            [rules.capacity_left(m.capacity, idle) for m in prepared.mentors], dtype=np.int64
        )
    capacity: npt.NDArray[np.int64] = prepared.memo[key].copy()
    index = {pid: j for j, pid in enumerate(prepared.side.ids)} if loads else {}
    for mentor_id, load in loads.items():
        j = index.get(mentor_id)
        if j is not None:
            capacity[j] = rules.capacity_left(prepared.mentors[j].capacity, load)
    return capacity


def _widened(side: Side, width: int) -> Side:
    """Language flags padded to the vocabulary both sides ended up with."""
    if side.languages.shape[1] == width:
        return side
    languages = np.zeros((side.languages.shape[0], width), dtype=np.bool_)
    languages[:, : side.languages.shape[1]] = side.languages
    return Side(**{**side.__dict__, "languages": languages})
