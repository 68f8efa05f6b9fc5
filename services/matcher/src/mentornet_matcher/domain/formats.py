"""The format a confirmed match meets in: written check-ins (async) or live sessions.

Async when the program's sessions are async, or when async is the only format both
people accept (a person who lists no format accepts any). Otherwise None: the
scheduler books live sessions as before.
"""

from __future__ import annotations

from collections.abc import Iterable

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
