"""Moving the local stack's shared simulated clock (the services read it with
mentornet_chassis.process.clock.FileClock)."""

from __future__ import annotations

import json
import os
from datetime import datetime, timedelta
from pathlib import Path

from mentornet_chassis.process.clock import FileClock, offset_of


def set_offset(path: Path, seconds: float) -> None:
    """Replace the file whole (rename), so no reader sees half of it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    scratch = path.with_suffix(".tmp")
    scratch.write_text(json.dumps({"offset_seconds": seconds}))
    os.replace(scratch, path)


def advance(path: Path, by: timedelta) -> datetime:
    """Move the shared clock forward; returns the new "now"."""
    set_offset(path, offset_of(path) + by.total_seconds())
    return FileClock(path)()
