"""Scores for every mentee-mentor pair of a pool, a block of mentees at a time.

Each signal is a number in [0, 1]; a pair's score is their average weighted by the
program's matching weights. Pairs that break a hard constraint (no common language,
no capacity, a conflict rule, a pair that failed before, too little shared time) get
-inf, which the assignment never picks. Shared time is a constraint only for pairs
that meet live: not in an async program, nor for a pair whose only shared format is
async (domain/formats.py); for those the availability signal is full. The same code
scores one pair for an explanation, so what is explained is exactly what was optimised.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from mentornet_contracts.events.programs import MATCHING_SIGNALS

from .arms import follow_arms
from .experiment_rules import ArmRule
from .formats import async_table, is_async
from .overlap import MentorTimes, PairOverlap
from .pool import CHANNELS, FORMATS, Pool

SIGNALS = MATCHING_SIGNALS
NEUTRAL = 0.5
"""The value of a signal the mentee expressed no wish for (no style, no pace, no goals)."""
MAX_ZONE_DISTANCE_H = 12.0
CACHE_BYTES = 2_500 * 1024 * 1024
"""Scores are kept when the whole matrix fits (50k x 10k in float32 is 2 GB): the
assignment reads every block more than once, and scoring is the expensive part."""

Matrix = npt.NDArray[np.float32]
Index = npt.NDArray[np.intp]


@dataclass(frozen=True)
class Block:
    """Signals and constraints for mentees [start, stop) against every mentor."""

    signals: dict[str, Matrix]
    overlap_hours: Matrix
    """Shared hours a week, averaged over the program's span."""
    shared_language: npt.NDArray[np.bool_]
    conflict: npt.NDArray[np.bool_]
    feasible: npt.NDArray[np.bool_]
    live: npt.NDArray[np.bool_]
    """Pairs that meet live, so need shared time (not async: domain/formats.py)."""

    def too_little_time(self, need: float) -> npt.NDArray[np.bool_]:
        """Pairs meeting live with less shared time a week than the cadence needs."""
        short: npt.NDArray[np.bool_] = self.live & (self.overlap_hours + 1e-6 < need)
        return short

    def score(self, weights: dict[str, float], rows: Index | None = None) -> Matrix:
        """Every pair's score with these weights; `rows`: only those rows of the block."""
        used = {name: w for name, w in weights.items() if name in self.signals}
        total = sum(used.values()) or 1.0
        feasible = self.feasible if rows is None else self.feasible[rows]
        score = np.zeros(feasible.shape, dtype=np.float32)
        term = np.empty_like(score)
        for name, weight in used.items():
            signal = self.signals[name] if rows is None else self.signals[name][rows]
            np.multiply(signal, np.float32(weight / total), out=term)
            score += term
        score[~feasible] = -np.inf
        return score


class PoolScores:
    """The pool's scores as a ScoreSource for the assignment."""

    def __init__(self, pool: Pool) -> None:
        self.pool = pool
        memo = pool.prepared.memo if pool.prepared is not None else {}
        if "mentor_times" not in memo:
            memo["mentor_times"] = MentorTimes.of_people(pool.mentor_side.times, pool.span.minutes)
        self.overlap = PairOverlap(memo["mentor_times"], pool.mentee_side.times, pool.span.weeks)
        offsets = np.concatenate([pool.mentee_side.offset, pool.mentor_side.offset])
        zones, zone_of = np.unique(np.nan_to_num(offsets, nan=99.0), return_inverse=True)
        self.mentee_zone = zone_of[: len(pool.mentee_side.ids)]
        self.mentor_zone = zone_of[len(pool.mentee_side.ids) :]
        self.zone_table = _timezone(
            np.where(zones == 99.0, np.nan, zones), np.where(zones == 99.0, np.nan, zones)
        )
        self.speaks = np.ascontiguousarray(pool.mentor_side.languages.T)
        self.speaks_f32 = self.speaks.astype(np.float32)
        self.mentee_format_set = _format_sets(pool.mentee_side.formats)
        self.mentor_format_set = _format_sets(pool.mentor_side.formats)
        self.mentee_channel_set = _format_sets(pool.mentee_side.channels)
        self.mentor_channel_set = _format_sets(pool.mentor_side.channels)
        self.style_fit = _style_table(pool.mentee_side.style, pool.mentor_side.style)
        self.program_async = is_async(pool.rules.session_format)
        n, m = pool.shape
        self._cacheable = n * m * 4 <= CACHE_BYTES
        self._cache: dict[tuple[int, int], Matrix] = {}
        self._last_row: tuple[int, Block] | None = None

    @property
    def shape(self) -> tuple[int, int]:
        return self.pool.shape

    def rows(self, start: int, stop: int) -> Matrix:
        """Scores are kept when the whole matrix fits CACHE_BYTES: the assignment reads
        every block once per round, and scoring is the expensive part."""
        key = (start, stop)
        if key in self._cache:
            return self._cache[key]
        scores = self.scored(self.block(start, stop), start)
        if self._cacheable:
            self._cache[key] = scores
        return scores

    def scored(self, block: Block, start: int) -> Matrix:
        """The block's scores (its rows from `start`): the program's weights, and for a
        mentee in an experiment arm, that arm's rule (domain/arms.py)."""
        scores = block.score(self.pool.rules.weights)
        if self.pool.arms:
            follow_arms(self.pool, block, scores, start)
        return scores

    def rule_of(self, i: int) -> ArmRule | None:
        """The experiment arm's rule mentee row `i` is matched with, if any."""
        return self.pool.arms[i] if self.pool.arms else None

    def weights_of(self, i: int) -> dict[str, float]:
        rule = self.rule_of(i)
        return rule.weights if rule is not None else self.pool.rules.weights

    def row_block(self, i: int) -> Block:
        """Mentee row i's block, kept until another row is asked for: explaining a
        shortlist's options, one after another, scores the row once."""
        if self._last_row is None or self._last_row[0] != i:
            self._last_row = (i, self.block(i, i + 1))
        return self._last_row[1]

    def block(self, start: int, stop: int) -> Block:
        pool, mentees, mentors = self.pool, self.pool.mentee_side, self.pool.mentor_side
        rows = slice(start, stop)
        overlap = self.overlap.hours(rows)
        shared = (mentees.languages[rows].astype(np.float32) @ self.speaks_f32) > 0
        conflict = _conflicts(pool, rows)
        live = self._live(rows)
        need = pool.rules.min_overlap_hours
        feasible = (
            shared
            & ~conflict
            & ~pool.excluded[rows]
            & (pool.capacity > 0)[None, :]
            & ~(live & (overlap + 1e-6 < need))
            & (mentees.person[rows, None] != mentors.person[None, :])
        )
        signals = {
            "skills": self._skills(rows),
            "availability": np.where(live, _availability(overlap, need), np.float32(1.0)),
            "timezone": np.take(self.zone_table[self.mentee_zone[rows]], self.mentor_zone, axis=1),
            "format": np.take(
                FORMAT_FIT[self.mentee_format_set[rows]], self.mentor_format_set, axis=1
            ),
            "style": np.take(self.style_fit[mentees.style[rows] + 1], mentors.style + 1, axis=1),
            "channel": np.take(
                CHANNEL_FIT[self.mentee_channel_set[rows]], self.mentor_channel_set, axis=1
            ),
            "pace": _pace(pool.pace_need[rows], overlap),
            "language": _language(mentees.first_language[rows], self.speaks, shared),
        }
        return Block(signals, overlap, shared, conflict, feasible, live)

    def _live(self, rows: slice) -> npt.NDArray[np.bool_]:
        n, m = rows.stop - rows.start, len(self.pool.mentor_side.ids)
        if self.program_async:
            return np.zeros((n, m), dtype=np.bool_)
        meets_async = np.take(
            ASYNC_PAIRS[self.mentee_format_set[rows]], self.mentor_format_set, axis=1
        )
        live: npt.NDArray[np.bool_] = ~meets_async
        return live

    def _skills(self, rows: slice) -> Matrix:
        coverage = self.pool.coverage
        covered = coverage.block(rows.start, rows.stop)
        has_goals = coverage.has_goals[rows, None]
        return np.where(has_goals, covered, np.float32(NEUTRAL)).astype(np.float32)


def _availability(overlap: Matrix, need: float) -> Matrix:
    """Full marks at twice the time the cadence needs: room to reschedule."""
    if need <= 0:
        return np.ones(overlap.shape, dtype=np.float32)
    value: Matrix = np.minimum(1.0, overlap / np.float32(2 * need)).astype(np.float32)
    return value


def _timezone(mentee: npt.NDArray[np.float64], mentor: npt.NDArray[np.float64]) -> Matrix:
    distance = np.abs(mentee[:, None] - mentor[None, :])
    distance = np.minimum(distance, 24 - distance)
    value = 1 - np.minimum(distance, MAX_ZONE_DISTANCE_H) / MAX_ZONE_DISTANCE_H
    return np.where(np.isnan(value), NEUTRAL, value).astype(np.float32)


def _format_sets(formats: npt.NDArray[np.bool_]) -> npt.NDArray[np.intp]:
    """Each person's set of formats as a small integer (bit f set for format f)."""
    bits = formats.astype(np.intp) << np.arange(formats.shape[1], dtype=np.intp)
    sets: npt.NDArray[np.intp] = bits.sum(axis=1, dtype=np.intp)
    return sets


def _format_table(kinds: int) -> Matrix:
    """Fit of every pair of format sets: the share of the mentee's formats the mentor
    offers, 1 when the mentee prefers none."""
    sets = np.arange(1 << kinds)
    wanted = np.bitwise_count(sets).astype(np.float32)
    shared = np.bitwise_count(sets[:, None] & sets[None, :]).astype(np.float32)
    return np.where(wanted[:, None] > 0, shared / np.maximum(wanted, 1)[:, None], 1.0).astype(
        np.float32
    )


FORMAT_FIT = _format_table(len(FORMATS))
ASYNC_PAIRS = async_table(FORMATS)
"""Format set x format set: whether such a pair meets async (domain/formats.py)."""
CHANNEL_FIT = _format_table(len(CHANNELS))


def _style_table(mentee: npt.NDArray[np.int32], mentor: npt.NDArray[np.int32]) -> Matrix:
    """Fit of every pair of style codes, shifted by one so that row and column 0 stand
    for "no style given" (neutral)."""
    kinds = int(max(mentee.max(initial=-1), mentor.max(initial=-1))) + 2
    table = np.eye(kinds, dtype=np.float32)
    table[0, :] = NEUTRAL
    table[:, 0] = NEUTRAL
    return table


def _pace(need: npt.NDArray[np.float64], overlap: Matrix) -> Matrix:
    """Shared hours a week against the hours a week the mentee's pace asks for."""
    per_hour = np.where(np.isnan(need), 0.0, 1 / need).astype(np.float32)
    value = np.multiply(overlap, per_hour[:, None])
    np.minimum(value, np.float32(1.0), out=value)
    value[np.isnan(need)] = NEUTRAL
    return value


def _language(
    first: npt.NDArray[np.int32], speaks: npt.NDArray[np.bool_], shared: npt.NDArray[np.bool_]
) -> Matrix:
    """1 when the mentor speaks the mentee's first language, 0.5 for another shared one.
    `speaks` is languages x mentors."""
    first_spoken = speaks[np.maximum(first, 0)] & (first >= 0)[:, None]
    return np.where(first_spoken, np.float32(1.0), shared * np.float32(NEUTRAL))


def _conflicts(pool: Pool, rows: slice) -> npt.NDArray[np.bool_]:
    mentees, mentors, rules = pool.mentee_side, pool.mentor_side, pool.rules
    shape = (rows.stop - rows.start, len(mentors.ids))
    conflict = np.zeros(shape, dtype=np.bool_)
    if rules.exclude_same_manager_line:
        manager, person = mentees.manager[rows, None], mentees.person[rows, None]
        conflict |= (manager >= 0) & (manager == mentors.manager[None, :])
        conflict |= (manager >= 0) & (manager == mentors.person[None, :])
        conflict |= (mentors.manager[None, :] >= 0) & (mentors.manager[None, :] == person)
    if rules.exclude_same_org_unit:
        unit = mentees.org_unit[rows, None]
        conflict |= (unit >= 0) & (unit == mentors.org_unit[None, :])
    return conflict
