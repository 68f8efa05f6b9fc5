"""The notifier's clock (chassis timers): every `poll_seconds`, the ledger entries whose
time has come (their `send_at`, or a lease that ran out) are sent (usecases/sending.py),
and so are the daily digests that are due (usecases/digests.py), `send_concurrency` at
a time: a send mostly waits on intake and the SMTP relay."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from mentornet_chassis.messaging.timers import DueScanner, DueTask

from .store import NotifierStores
from .usecases.digests import Digester
from .usecases.sending import Sender


def delivery_timers(
    stores: NotifierStores,
    sender: Sender,
    digester: Digester,
    clock: Callable[[], datetime],
    poll_s: float,
    wake_relay: Callable[[], None],
    concurrency: int = 1,
) -> DueScanner:
    tasks = [
        DueTask(stores.deliveries_store, sender.work),
        DueTask(stores.digests_store, digester.work),
    ]
    retry = timedelta(seconds=max(poll_s, 5))
    return DueScanner(tasks, clock, poll_s, wake_relay, retry=retry, concurrency=concurrency)
