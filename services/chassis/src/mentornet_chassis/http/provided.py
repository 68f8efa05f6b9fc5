"""Typed dependencies for module-level routers.

A service's routers are built once, at import, with no parts in them; the composition
root hands the app the objects its routes use (ServiceParts.provides: use cases,
stores, settings), and a route asks for one by its type:

    Programs = Annotated[ProgramDesk, Depends(provided(ProgramDesk))]

    @router.get("/programs/{program_id}", ...)
    async def get(program_id: str, desk: Programs) -> ProgramView: ...
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar, cast

from fastapi import FastAPI, Request

T = TypeVar("T")


class NotProvided(LookupError):
    """A route asked for a part its composition root did not provide."""


def provide(app: FastAPI, parts: Iterable[object]) -> None:
    """Each part under its own type (and its bases up to `object`, so a route may ask
    for a base class); the first part given for a type wins."""
    table: dict[type[Any], object] = {}
    for part in parts:
        for kind in type(part).__mro__[:-1]:
            table.setdefault(kind, part)
    app.state.provided = table


def provided(kind: type[T]) -> Callable[[Request], T]:
    def lookup(request: Request) -> T:
        table: dict[type[Any], object] = getattr(request.app.state, "provided", {})
        try:
            return cast(T, table[kind])
        except KeyError:
            raise NotProvided(f"no {kind.__name__} provided to this app") from None

    lookup.__name__ = f"provided_{kind.__name__}"
    return lookup
