"""Announcing that an import has handled its last row (import.finished), so consumers
can take its pool at once.

The announcement goes out through the program's outbox, remembered on the program
under the import's id: a worker that takes over a job whose last chunk is done
announces again, and nothing is written twice. It is written before the job is marked
finished, so a crash between the two repeats the harmless half.
"""

from __future__ import annotations

from mentornet_contracts import new_envelope

from ..domain.import_job import ImportEnd, correlation_of, finished_event
from .registrar import SERVICE, Registrar


async def announce_end(registrar: Registrar, end: ImportEnd) -> None:
    envelope = new_envelope(
        finished_event(end), SERVICE, correlation_id=correlation_of(end.import_id)
    )
    await registrar.programs.announce(end.program_id, envelope, end.handled_id)
    registrar.wake_relay()
