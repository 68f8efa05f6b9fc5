"""The notifier's clock (chassis timers): every `poll_seconds`, the ledger entries whose
time has come (their `send_at`, or a lease that ran out) are sent (usecases/sending.py)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from mentornet_chassis.messaging.timers import DueScanner, DueTask

from .store import NotifierStores
from .usecases.sending import Sender


def delivery_timers(
    stores: NotifierStores,
    sender: Sender,
    clock: Callable[[], datetime],
    poll_s: float,
    wake_relay: Callable[[], None],
) -> DueScanner:
    tasks = [DueTask(stores.deliveries_store, sender.work)]
    return DueScanner(tasks, clock, poll_s, wake_relay, retry=timedelta(seconds=max(poll_s, 5)))
