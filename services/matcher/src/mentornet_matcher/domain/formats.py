"""The format a confirmed match meets in: written check-ins (async) or live sessions.

Async when the program's sessions are async, or when async is the only format both
people accept (a person who lists no format accepts any). Otherwise None: the
scheduler books live sessions as before.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import numpy.typing as npt
from mentornet_contracts.events.common import SessionFormat

EVERY_FORMAT = frozenset(SessionFormat)


def _accepted(formats: Iterable[SessionFormat | str]) -> frozenset[SessionFormat]:
    listed = frozenset(SessionFormat(f) for f in formats)
    return listed or EVERY_FORMAT


def match_format(
    program_format: SessionFormat | str | None,
    mentee_formats: Iterable[SessionFormat | str],
    mentor_formats: Iterable[SessionFormat | str],
) -> SessionFormat | None:
    if program_format is not None and SessionFormat(program_format) == SessionFormat.ASYNC:
        return SessionFormat.ASYNC
    both = _accepted(mentee_formats) & _accepted(mentor_formats)
    return SessionFormat.ASYNC if both == {SessionFormat.ASYNC} else None


def async_table(order: Sequence[str]) -> npt.NDArray[np.bool_]:
    """match_format for every pair of format sets, without the program: entry [a, b]
    is whether a mentee listing the formats in set `a` and a mentor listing set `b`
    (bit i set for order[i]) meet async. Scoring looks pairs up in it."""
    sets = range(1 << len(order))

    def listed(bits: int) -> list[str]:
        return [f for i, f in enumerate(order) if bits >> i & 1]

    def meets_async(a: int, b: int) -> bool:
        return match_format(None, listed(a), listed(b)) == SessionFormat.ASYNC

    return np.array([[meets_async(a, b) for b in sets] for a in sets], dtype=np.bool_)


def is_async(program_format: SessionFormat | str | None) -> bool:
    """The program's matches all meet async, whatever the pair accepts."""
    return match_format(program_format, EVERY_FORMAT, EVERY_FORMAT) == SessionFormat.ASYNC
