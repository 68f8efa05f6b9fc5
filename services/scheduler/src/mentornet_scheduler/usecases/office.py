"""What every desk that books or changes sessions works with: the stores, each
match's booking context, the mentor's ledger and the timer settings. The desks
(booking, cohorts, desk, pauses) extend it with what only they need."""

from __future__ import annotations

from dataclasses import dataclass

from ..domain import timers
from ..store import SchedulerStores
from .context import Contexts
from .reservations import Reservations


@dataclass(eq=False)
class Office:
    stores: SchedulerStores
    contexts: Contexts
    reservations: Reservations
    clockwork: timers.Clockwork
