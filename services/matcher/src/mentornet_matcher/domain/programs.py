"""The programs read model: each program's published rules, as last updated."""

from __future__ import annotations

from typing import Any

from mentornet_contracts.events.programs import ProgramPublished, ProgramUpdated, apply_update

from .rules import Rules

Program = dict[str, Any]


def on_published(current: Program | None, event: ProgramPublished) -> Program:
    return event.model_dump(mode="json")


def on_updated(current: Program | None, event: ProgramUpdated) -> Program:
    return apply_update(current, event)


def as_published(program: Program) -> ProgramPublished:
    return ProgramPublished.model_validate(program)


def rules_of(program: Program) -> Rules:
    return Rules.of(as_published(program))


def approval_mode(program: Program) -> str:
    return str(program["approval_mode"])
