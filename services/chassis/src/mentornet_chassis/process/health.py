"""`/healthz`: whether the work is moving, not only whether the dependencies answer.

`/readyz` says whether this process can take traffic (MongoDB and Kafka answer, it has
partitions). `/healthz` says whether its events get out and its partitions move: the
relay's unsent records and the oldest one's age, records the relay gave up on, and
every assigned partition's lag and how long it has stood still. It answers 503 while
anything has not moved for STALL_AFTER_S (or a record is poisoned), naming it, and
200 again once it moves. It is meant for people and monitors, not as a Kubernetes
probe: restarting a pod does not move a poisoned record, and a stalled partition is
reported by every replica that holds it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from mentornet_chassis.messaging.outbox import OutboxRelay
from mentornet_chassis.messaging.progress import PartitionWatch


@dataclass(frozen=True)
class HealthReport:
    stalled: bool
    body: dict[str, Any]


def health_report(
    service: str, relay: OutboxRelay, watch: PartitionWatch | None, stall_after_s: float
) -> HealthReport:
    status = relay.status
    age = status.oldest_age_s()
    problems: list[str] = []
    if status.poisoned:
        problems.append(
            f"{status.poisoned} outbox record(s) poisoned: `mentornet outbox list "
            f"--service {service}`, then retry or discard"
        )
    if age >= stall_after_s:
        problems.append(f"the oldest unsent outbox record is {age:.0f} s old")
    partitions = watch.states if watch is not None else []
    problems += [
        f"{p.topic}/{p.partition} has {p.lag} record(s) waiting and has not moved for "
        f"{p.still_since_s:.0f} s"
        for p in partitions
        if p.stalled
    ]
    body = {
        "service": service,
        "status": "stalled" if problems else "ok",
        "problems": problems,
        "relay": {
            "pending": status.pending,
            "oldest_unsent_s": round(age, 1),
            "failing": status.failing,
            "poisoned": status.poisoned,
        },
        "partitions": [p.as_json() for p in partitions],
        "stall_after_s": stall_after_s,
    }
    return HealthReport(bool(problems), body)
