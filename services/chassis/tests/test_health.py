"""/healthz names what does not move: a poisoned record, an old unsent one, a stalled
partition; and answers ok while everything moves."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from typing import Any

import pytest
from mentornet_chassis.messaging.outgoing import RelayStatus
from mentornet_chassis.messaging.progress import PartitionState
from mentornet_chassis.process.health import health_report

pytestmark = pytest.mark.unit


def relay(status: RelayStatus) -> Any:
    return SimpleNamespace(status=status)


def watch(*states: PartitionState) -> Any:
    return SimpleNamespace(states=list(states))


MOVING = PartitionState("mentornet.matches", 0, 10, 10, 0.0, False)
STUCK = PartitionState("mentornet.matches", 3, 4, 9, 400.0, True)


def test_everything_moving_is_ok() -> None:
    report = health_report("qa", relay(RelayStatus(pending=2)), watch(MOVING), 300.0)
    assert (report.stalled, report.body["status"], report.body["problems"]) == (False, "ok", [])
    assert report.body["partitions"][0]["lag"] == 0


def test_a_poisoned_record_an_old_one_and_a_stalled_partition_are_named() -> None:
    old = datetime.now(UTC) - timedelta(seconds=600)
    status = RelayStatus(pending=3, oldest_unsent=old, failing=0, poisoned=1)
    report = health_report("qa", relay(status), watch(MOVING, STUCK), 300.0)
    assert report.stalled
    assert report.body["status"] == "stalled"
    [poisoned, age, partition] = report.body["problems"]
    assert "1 outbox record(s) poisoned" in poisoned
    assert "mentornet outbox list --service qa" in poisoned
    assert age.startswith("the oldest unsent outbox record is 6")
    assert partition.startswith("mentornet.matches/3 has 5 record(s) waiting")
    assert report.body["relay"]["poisoned"] == 1


def test_a_young_unsent_record_is_not_a_stall() -> None:
    young = datetime.now(UTC) - timedelta(seconds=5)
    report = health_report("qa", relay(RelayStatus(1, young)), None, 300.0)
    assert (report.stalled, report.body["partitions"]) == (False, [])
