"""Background workers' idle wait: until woken, stopping, or the poll interval passes."""

from __future__ import annotations

import asyncio


async def pause(stopping: asyncio.Event, wake: asyncio.Event, seconds: float) -> None:
    wake.clear()
    waits = [asyncio.ensure_future(e.wait()) for e in (wake, stopping)]
    await asyncio.wait(waits, timeout=seconds, return_when=asyncio.FIRST_COMPLETED)
    for waiting in waits:
        waiting.cancel()
