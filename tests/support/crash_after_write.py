"""The real matcher process, killed with SIGKILL right after one aggregate write.

Used by the crash-recovery proof: the write for CRASH_TARGET is acknowledged by
MongoDB, then the process dies before FastStream can commit the Kafka offset.
"""

from __future__ import annotations

import os
import signal
from typing import Any

from mentornet_chassis.process.runner import run_service
from mentornet_chassis.process.settings import load_settings
from mentornet_chassis.store.aggregates import AggregateStore
from mentornet_matcher.app import build
from mentornet_matcher.settings import MatcherSettings


def main() -> None:
    target = os.environ["CRASH_TARGET"]
    original = AggregateStore.save

    async def save_then_die(
        self: AggregateStore, aggregate_id: str, *args: Any, **kwargs: Any
    ) -> int:
        version = await original(self, aggregate_id, *args, **kwargs)
        if aggregate_id == target:
            os.kill(os.getpid(), signal.SIGKILL)
        return version

    AggregateStore.save = save_then_die  # type: ignore[method-assign]
    run_service("matcher", load_settings(MatcherSettings, "matcher"), build)


if __name__ == "__main__":
    main()
