"""The programs read model: each program's published rules, as last updated."""

from __future__ import annotations

from typing import Any, cast

from mentornet_contracts.events.programs import (
    ApprovalMode,
    ProgramPublished,
    ProgramUpdated,
    apply_update,
)

from .documents import Program
from .rules import Rules


def on_published(current: Program | None, event: ProgramPublished) -> Program:
    return cast(Program, event.model_dump(mode="json"))


def on_updated(current: Program | None, event: ProgramUpdated) -> Program:
    return cast(Program, apply_update(cast(dict[str, Any] | None, current), event))


def as_published(program: Program) -> ProgramPublished:
    return ProgramPublished.model_validate(program)


def rules_of(program: Program) -> Rules:
    return Rules.of(as_published(program))


def approval_mode(program: Program) -> ApprovalMode:
    return ApprovalMode(program["approval_mode"])
