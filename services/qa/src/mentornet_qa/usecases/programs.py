"""A program's QA settings, kept by its coordinators: the escalation playbook and the
recognition thresholds."""

from __future__ import annotations

from collections.abc import Sequence

from mentornet_chassis.errors import NotFound
from mentornet_chassis.store.typed import Change

from ..domain import playbook, recognition
from ..domain.program import Program, ProgramState, QaRules, with_rules
from ..store import QaStores


class ProgramRules:
    def __init__(self, stores: QaStores) -> None:
        self.stores = stores

    async def published(self, program_id: str) -> Program:
        program = await self.stores.program(program_id)
        if program is None:
            raise NotFound("program_id", f"no published program {program_id}")
        return program

    async def set_playbook(self, program_id: str, chosen: playbook.Playbook) -> None:
        """A first step per trigger (the others keep the default) and the last step."""
        await self._keep(program_id, QaRules(playbook=chosen.model_dump(mode="json")))

    async def set_awards(
        self, program_id: str, thresholds: Sequence[recognition.Threshold]
    ) -> None:
        await self._keep(program_id, QaRules(awards=[t.model_dump() for t in thresholds]))

    async def _keep(self, program_id: str, rules: QaRules) -> None:
        def decide(state: ProgramState | None) -> Change[ProgramState]:
            if state is None or not state.get("name"):
                raise NotFound("program_id", f"no published program {program_id}")
            return Change(with_rules(state, rules))

        await self.stores.programs.apply(program_id, decide)
