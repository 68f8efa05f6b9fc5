"""Shared minutes of every mentee-mentor pair over the program's span, exactly.

Each person's free time is a list of UTC minute intervals (domain/slots.py). The
mentors' interval boundaries, all together, cut the span into *elementary segments*:
inside one segment every mentor is either free throughout or not at all. Segments
that every mentor pattern has or lacks together (the same hour in every week, until
a clock change moves someone) are merged into *groups*. A mentor pattern is then a
0/1 row over groups, and a mentee a row of the minutes they are free inside each
group (their own boundaries need not be the mentors'); the product of the two is
the shared minutes, exact (integers below 2^24 in float32), whatever the zones'
offsets (+05:45, -03:30) and however long the span. The mentors' side is prepared
once per roster; a newcomer costs one row, multiplied over only the groups they are
free in.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from .slots import Intervals

Matrix = npt.NDArray[np.float32]
Indices = npt.NDArray[np.intp]
CHUNK_PEOPLE = 2048
"""Mentees whose minutes per group are counted in one pass (bounds the temporaries)."""
FEW_PATTERNS = 8
"""Up to this many distinct mentee patterns (a newcomer), only the groups a mentee is
free in are multiplied: a few dozen of some hundreds."""


@dataclass(frozen=True)
class Patterns:
    """One side's distinct free times and each person's pattern."""

    times: tuple[Intervals, ...]
    of: Indices

    @classmethod
    def of_people(cls, people: Sequence[Intervals]) -> Patterns:
        index: dict[bytes, int] = {}
        times: list[Intervals] = []
        of = np.zeros(len(people), np.intp)
        for person, free in enumerate(people):
            key = free.tobytes()
            found = index.get(key)
            if found is None:
                found = index[key] = len(times)
                times.append(free)
            of[person] = found
        return cls(tuple(times), of)


def _flat(times: Sequence[Intervals]) -> tuple[Indices, Intervals]:
    """Every interval with the index of its pattern."""
    counts = [len(t) for t in times]
    rows = np.repeat(np.arange(len(times), dtype=np.intp), counts)
    flat = np.concatenate(times) if sum(counts) else np.zeros((0, 2), np.int64)
    return rows, flat


@dataclass(frozen=True)
class MentorTimes:
    """The mentor side, prepared once per roster: patterns, the segment boundaries,
    each segment's group and the patterns over groups."""

    patterns: Patterns
    bounds: npt.NDArray[np.int64]
    """Segment k is [bounds[k], bounds[k + 1]) minutes from the span's start."""
    group_of_segment: Indices
    """Each segment's group, -1 for segments no mentor is free in."""
    grouped: Matrix
    """Mentor patterns x groups: 1 where the pattern is free in the group's segments."""
    by_group: Matrix
    """`grouped` transposed (groups x mentor patterns), each group's row contiguous."""

    @classmethod
    def of_people(cls, people: Sequence[Intervals], span_minutes: int) -> MentorTimes:
        patterns = Patterns.of_people(people)
        rows, flat = _flat(patterns.times)
        bounds = np.unique(np.concatenate([[0, span_minutes], flat.ravel()])).astype(np.int64)
        segments, width = len(bounds) - 1, len(patterns.times)
        if width == 0:
            nothing = np.zeros((0, 0), np.float32)
            return cls(patterns, bounds, np.full(segments, -1, np.intp), nothing, nothing)
        edges = np.zeros((width, segments + 1), np.int8)
        edges[rows, np.searchsorted(bounds, flat[:, 0])] = 1
        edges[rows, np.searchsorted(bounds, flat[:, 1])] = -1
        free = np.cumsum(edges[:, :segments], axis=1, dtype=np.int8) > 0
        by_segment = np.packbits(free.T, axis=1)
        packed, group = np.unique(by_segment, axis=0, return_inverse=True)
        columns = np.unpackbits(packed, axis=1, count=width).astype(np.float32)
        kept = columns.any(axis=1)
        renumber = np.full(columns.shape[0], -1, np.intp)
        renumber[kept] = np.arange(int(kept.sum()))
        return cls(
            patterns=patterns,
            bounds=bounds,
            group_of_segment=renumber[group.ravel()],
            grouped=np.ascontiguousarray(columns[kept].T),
            by_group=np.ascontiguousarray(columns[kept]),
        )

    @property
    def groups(self) -> int:
        return int(self.grouped.shape[1])

    def group_minutes(self, times: Sequence[Intervals]) -> Matrix:
        """Each mentee pattern's free minutes inside each group, a chunk at a time."""
        out = np.zeros((len(times), self.groups), np.float32)
        for first in range(0, len(times), CHUNK_PEOPLE):
            chunk = times[first : first + CHUNK_PEOPLE]
            out[first : first + len(chunk)] = self._minutes(chunk)
        return out

    def _minutes(self, times: Sequence[Intervals]) -> Matrix:
        """Each interval is cut at the segment boundaries it spans; each piece's
        minutes go to its segment's group."""
        rows, flat = _flat(times)
        width = len(times) * self.groups
        if not len(flat) or not self.groups:
            return np.zeros((len(times), self.groups), np.float32)
        first = np.searchsorted(self.bounds, flat[:, 0], side="right") - 1
        last = np.searchsorted(self.bounds, flat[:, 1], side="left") - 1
        pieces = last - first + 1
        offsets = np.arange(int(pieces.sum())) - np.repeat(np.cumsum(pieces) - pieces, pieces)
        segment = np.repeat(first, pieces) + offsets
        begin = np.maximum(np.repeat(flat[:, 0], pieces), self.bounds[segment])
        end = np.minimum(np.repeat(flat[:, 1], pieces), self.bounds[segment + 1])
        group = self.group_of_segment[segment]
        kept = group >= 0
        cell = np.repeat(rows, pieces)[kept] * self.groups + group[kept]
        counted = np.bincount(cell, weights=(end - begin)[kept], minlength=width)
        minutes: Matrix = counted.reshape(len(times), self.groups).astype(np.float32)
        return minutes


class PairOverlap:
    """Shared time between the pool's mentees and every mentor."""

    def __init__(self, mentors: MentorTimes, mentee_times: Sequence[Intervals], weeks: int) -> None:
        self.mentors = mentors
        self.weeks = weeks
        self.mentees = Patterns.of_people(mentee_times)
        self.grouped_mentees = mentors.group_minutes(self.mentees.times)

    def minutes(self, rows: slice) -> Matrix:
        """Shared minutes over the span, mentees [rows] x every mentor (exact)."""
        used, which = np.unique(self.mentees.of[rows], return_inverse=True)
        if len(used) <= FEW_PATTERNS:
            shared = np.stack([self._sparse(int(p)) for p in used])
        else:
            shared = self.grouped_mentees[used] @ self.mentors.grouped.T
        minutes: Matrix = np.take(shared[which.ravel()], self.mentors.patterns.of, axis=1)
        return np.ascontiguousarray(minutes)

    def _sparse(self, pattern: int) -> Matrix:
        """One mentee pattern against every mentor pattern, over the groups the mentee
        is free in."""
        row = self.grouped_mentees[pattern]
        free = np.flatnonzero(row)
        shared: Matrix = row[free] @ self.mentors.by_group[free]
        return shared

    def hours(self, rows: slice) -> Matrix:
        """Shared hours a week, averaged over the span."""
        hours: Matrix = self.minutes(rows) / np.float32(60 * self.weeks)
        return hours
