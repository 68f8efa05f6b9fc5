"""What placing one newcomer reads about their program, kept for a moment.

A burst of registrations (a bulk import, a launch day) places newcomers one after
another in the same program; each would read the program, its batch-run record (roster
version and mentor prices), the taxonomy and every mentor's load. A view holds those
for `ttl_s` and follows this process's own writes to mentors' loads, so within a burst
only the first newcomer reads them.

Staleness is bounded and never oversells: the view only ranks mentors. Holding a place
is still a check and a write on the mentor's load (proposals.py), so a place another
replica took meanwhile makes that hold fail and the next mentor is tried; a newcomer the
view cannot place is tried again on fresh reads before being waitlisted. Programs,
rosters and the taxonomy changed by this process drop its views at once; changed by
another replica, they show within `ttl_s`. Proposals waiting for a coordinator are read
fresh every time: they change with no load write.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, replace

from mentornet_chassis.store.aggregates import Loaded
from mentornet_chassis.store.typed import typed
from mentornet_contracts.events.participants import MenteeRegistered
from mentornet_contracts.events.programs import ApprovalMode

from ..domain import loads
from ..domain.documents import BatchRun, Program
from ..domain.pool import MentorSide, Pool
from ..domain.programs import approval_mode, rules_of
from ..domain.rules import MentorLoad, Rules
from ..store import BatchRuns, MatcherStores
from .pools import PoolReader


@dataclass(frozen=True)
class ProgramView:
    program: Program
    rules: Rules
    run: BatchRun
    mentors: MentorSide
    holders: dict[str, str]
    """Each mentor's participant id to whose load holds their places (loads.holder)."""
    loads: dict[str, Loaded]
    """Loads of the program's mentors who carry any, by holder, as this process last
    saw them."""
    held: dict[str, MentorLoad]
    """The same by mentor, as what they carry in this program, everywhere and in hours."""

    @property
    def members(self) -> frozenset[str]:
        return frozenset(self.holders.values())

    taken: float
    fresh: bool = True
    """Read just now (not served from memory)."""

    @property
    def prices(self) -> dict[str, float]:
        last = self.run.get("last")
        return dict(last.get("prices", {})) if last else {}

    @property
    def mode(self) -> ApprovalMode:
        return approval_mode(self.program)


class NewcomerViews:
    def __init__(
        self,
        stores: MatcherStores,
        runs: BatchRuns,
        reader: PoolReader,
        ttl_s: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.stores = stores
        self.runs = runs
        self.reader = reader
        self.ttl_s = ttl_s
        self.clock = clock
        self._views: dict[str, ProgramView] = {}
        stores.loads.watch_writes(self._load_written)

    async def view(self, program_id: str, *, fresh: bool = False) -> ProgramView | None:
        """The program as a newcomer's placement needs it; None if it is unknown."""
        kept = self._views.get(program_id)
        if not fresh and kept is not None and self.clock() - kept.taken < self.ttl_s:
            return replace(kept, fresh=False)
        program = await self.stores.program(program_id)
        if program is None:
            return None
        run = await self.runs.get(program_id) or BatchRun()
        mentors = await self.reader.mentors(program, run)
        holders = {m.participant_id: loads.holder(m) for m in mentors.mentors}
        held = await self.stores.loads.load_many(set(holders.values()))
        carried = {
            m: loads.load_in(typed(held[h].state), program_id)
            for m, h in holders.items()
            if h in held
        }
        view = ProgramView(
            program, rules_of(program), run, mentors, holders, held, carried, self.clock()
        )
        self._views[program_id] = view
        return view

    def forget(self, program_id: str | None = None) -> None:
        """Drop the views of one program (or all): its rules, roster or taxonomy changed."""
        if program_id is None:
            self._views.clear()
        else:
            self._views.pop(program_id, None)

    def _load_written(self, holder: str, written: Loaded) -> None:
        for view in self._views.values():
            if holder in view.members:
                view.loads[holder] = written
                carried = loads.load_in(typed(written.state), view.program["program_id"])
                for mentor_id in (m for m, h in view.holders.items() if h == holder):
                    view.held[mentor_id] = carried

    async def pool(
        self, view: ProgramView, mentee: MenteeRegistered, failed: frozenset[tuple[str, str]]
    ) -> Pool:
        program_id = view.program["program_id"]
        reviewed = view.mode == ApprovalMode.COORDINATOR_REVIEW
        return await self.reader.assemble(
            program_id, [mentee], view.mentors, view.held, view.rules, failed, pending=reviewed
        )
