"""Who asks, in the terms intake's rules decide on.

The HTTP edge builds a Caller from the token's principal (api/access.py), and the
import worker from an import job's owner, so no use case reads a token.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from .programs import ProgramState


def _acts_for_no_program(_: ProgramState) -> bool:
    return False


@dataclass(frozen=True)
class Caller:
    subject: str
    roles: frozenset[str] = frozenset()
    programs: frozenset[str] = frozenset()
    """The programs the caller's token names (kept with an import job they start)."""
    enrolments: frozenset[str] = frozenset()
    """The caller's enrolments (participant ids, one per program)."""
    verified_email: str | None = None
    is_service: bool = False
    acts_for: Callable[[ProgramState], bool] = field(default=_acts_for_no_program)
    """Whether the caller acts for this program's team (a coordinator or a service)."""

    @property
    def ids(self) -> frozenset[str]:
        """Every id naming the caller: their subject and their enrolments."""
        return self.enrolments | {self.subject}
