"""Shared availability hours of every mentee-mentor pair, a block of mentees at a time.

People are reduced to their distinct availability patterns (UTC slots over the
horizon). Between patterns, shared slots are counted two ways:
- for a few mentee patterns (a newcomer), AND and popcount over 64-slot words;
- for a block, a matrix product over *slot groups*: slots that every mentor pattern
  either has or lacks together (the half-hours of one window, the same hour in
  every week of the horizon) are merged, the mentee side summing its slots per
  group. The product is exact (integer counts in float32) and about five times
  smaller than one over every slot.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from .slots import SLOT_MINUTES

Matrix = npt.NDArray[np.float32]
Words = npt.NDArray[np.uint64]
FEW_PATTERNS = 8
"""Up to this many distinct mentee patterns, overlap is counted bitwise."""


@dataclass(frozen=True)
class Patterns:
    """One side's distinct availability patterns and each person's pattern."""

    rows: Matrix
    """Each pattern as 0/1 float32 per slot."""
    of: npt.NDArray[np.intp]
    words: Words
    """Each pattern as 64-slot words, for AND and popcount."""

    @classmethod
    def of_slots(cls, slots: npt.NDArray[np.bool_]) -> Patterns:
        width = slots.shape[1] if slots.ndim == 2 else 0
        words = -(-width // 64)
        if slots.shape[0] == 0:
            return cls(
                np.zeros((0, width), np.float32),
                np.zeros(0, np.intp),
                np.zeros((0, words), np.uint64),
            )
        packed = np.packbits(slots, axis=1)
        distinct, which = np.unique(packed, axis=0, return_inverse=True)
        unpacked = np.unpackbits(distinct, axis=1)[:, :width].astype(np.float32)
        padded = np.zeros((distinct.shape[0], words * 8), np.uint8)
        padded[:, : distinct.shape[1]] = distinct
        return cls(unpacked, which.ravel(), np.ascontiguousarray(padded).view(np.uint64))


@dataclass(frozen=True)
class MentorSlots:
    """The mentor side, prepared once per roster: patterns, their words by slot word
    (for the bitwise path) and the slot groups (for the matrix path)."""

    patterns: Patterns
    words_t: Words
    group_of_slot: npt.NDArray[np.intp]
    """Each slot's group, -1 for slots no mentor has."""
    grouped: Matrix
    """Mentor patterns x groups: 1 where the pattern has the group's slots."""

    @classmethod
    def of_slots(cls, slots: npt.NDArray[np.bool_]) -> MentorSlots:
        patterns = Patterns.of_slots(slots)
        by_slot = np.packbits(patterns.rows.T > 0, axis=1)
        packed, group = np.unique(by_slot, axis=0, return_inverse=True)
        width = patterns.rows.shape[0]
        columns = np.unpackbits(packed, axis=1, count=width).astype(np.float32)
        kept = columns.any(axis=1)
        renumber = np.full(columns.shape[0], -1, np.intp)
        renumber[kept] = np.arange(int(kept.sum()))
        return cls(
            patterns=patterns,
            words_t=np.ascontiguousarray(patterns.words.T),
            group_of_slot=renumber[group.ravel()],
            grouped=np.ascontiguousarray(columns[kept].T),
        )

    def group_sums(self, rows: Matrix) -> Matrix:
        """Each row's slot count per group (slots of no group dropped), as a product
        with the slot-to-group indicator."""
        inside = np.flatnonzero(self.group_of_slot >= 0)
        indicator = np.zeros((self.group_of_slot.size, self.grouped.shape[1]), np.float32)
        indicator[inside, self.group_of_slot[inside]] = 1.0
        sums: Matrix = rows @ indicator
        return sums


class PairOverlap:
    """Shared hours between the pool's mentees and every mentor."""

    def __init__(self, mentors: MentorSlots, mentee_slots: npt.NDArray[np.bool_]) -> None:
        self.mentors = mentors
        self.mentees = Patterns.of_slots(mentee_slots)
        many = self.mentees.rows.shape[0] > FEW_PATTERNS
        self.grouped_mentees = mentors.group_sums(self.mentees.rows) if many else None

    def hours(self, rows: slice) -> Matrix:
        """Shared hours over the horizon, mentees [rows] x every mentor."""
        used, which = np.unique(self.mentees.of[rows], return_inverse=True)
        if self.grouped_mentees is None or len(used) <= FEW_PATTERNS:
            shared_slots = np.stack([self.shared_bits(int(p)) for p in used])
        else:
            shared_slots = self.grouped_mentees[used] @ self.mentors.grouped.T
        shared_slots *= np.float32(SLOT_MINUTES / 60)
        hours: Matrix = np.take(shared_slots[which.ravel()], self.mentors.patterns.of, axis=1)
        return np.ascontiguousarray(hours)

    def shared_bits(self, pattern: int) -> Matrix:
        """Slots one mentee pattern shares with every mentor pattern: AND and popcount
        over the mentee's non-empty 64-slot words."""
        words = self.mentees.words[pattern]
        words_t = self.mentors.words_t
        count = np.zeros(words_t.shape[1], np.int32)
        both = np.empty(words_t.shape[1], np.uint64)
        for k in np.flatnonzero(words):
            np.bitwise_and(words_t[k], words[k], out=both)
            count += np.bitwise_count(both)
        return count.astype(np.float32)
