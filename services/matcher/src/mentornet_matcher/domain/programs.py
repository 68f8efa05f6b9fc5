"""The programs read model: each program's published rules, as last updated."""

from __future__ import annotations

from typing import Any

from mentornet_contracts.events.programs import ProgramPublished, ProgramUpdated

from .rules import Rules

Program = dict[str, Any]


class UnknownProgram(LookupError):
    """An update for a program whose publication has not been seen: retried, then DLQ."""


def on_published(current: Program | None, event: ProgramPublished) -> Program:
    return event.model_dump(mode="json")


def on_updated(current: Program | None, event: ProgramUpdated) -> Program:
    if current is None:
        raise UnknownProgram(f"program {event.program_id} was never published here")
    return {**current, **event.model_dump(mode="json", exclude_none=True)}


def as_published(program: Program) -> ProgramPublished:
    return ProgramPublished.model_validate(program)


def rules_of(program: Program) -> Rules:
    return Rules.of(as_published(program))


def approval_mode(program: Program) -> str:
    return str(program["approval_mode"])
