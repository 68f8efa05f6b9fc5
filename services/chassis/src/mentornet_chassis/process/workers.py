"""Background workers: what one is, its idle wait, and its restart after a store outage."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from typing import Any

from mentornet_chassis.messaging.records import STORE_UNREACHABLE
from mentornet_chassis.process.logging import get_logger

log = get_logger(__name__)

Worker = Callable[[asyncio.Event], Coroutine[Any, Any, None]]
"""A background worker: runs until the event it is given is set."""

OUTAGE_PAUSE_S = 1.0


async def pause(
    stopping: asyncio.Event, wake: asyncio.Event, seconds: float, *, clear: bool = True
) -> bool:
    """A worker's idle wait: until woken, stopping, or `seconds` pass; True unless the
    time ran out. `clear=False` keeps a wake that came before the wait (the caller
    cleared it before it looked)."""
    if clear:
        wake.clear()
    waits = [asyncio.ensure_future(e.wait()) for e in (wake, stopping)]
    done, _ = await asyncio.wait(waits, timeout=seconds, return_when=asyncio.FIRST_COMPLETED)
    for waiting in waits:
        waiting.cancel()
    return bool(done)


async def outliving_store_outages(
    work: Worker, stopping: asyncio.Event, pause_s: float = OUTAGE_PAUSE_S
) -> None:
    """Run a background worker; when it fails because MongoDB is unreachable, start it
    again after a pause. The failure is the store's: stopping the process would only
    restart it into the same outage (or, where nothing restarts it, end the service),
    and the workers keep their progress in the store, so starting one again is what a
    process restart would do. Any other failure still takes the process down."""
    while True:
        try:
            await work(stopping)
            return
        except STORE_UNREACHABLE as exc:
            log.warning(
                "store unreachable; background worker starts again",
                worker=getattr(work, "__qualname__", repr(work)),
                error=repr(exc),
            )
        await pause(stopping, asyncio.Event(), pause_s)
        if stopping.is_set():
            return
