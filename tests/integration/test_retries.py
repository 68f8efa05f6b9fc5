"""Proof (d): a handler that fails twice then succeeds is applied exactly once;
a handler that always fails is dead-lettered after the configured attempts."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from typing import Any

import pytest
from mentornet_chassis.process.runtime import Build, Runtime, ServiceParts
from mentornet_chassis.store.aggregates import Applied
from mentornet_contracts import REGISTRY, Envelope, dlq, encode, new_envelope
from mentornet_contracts.catalogue import SERVICES
from mentornet_contracts.events.participants import MenteeRegistered
from mentornet_matcher.app import build as build_matcher
from mentornet_matcher.settings import MatcherSettings
from mentornet_tooling.testing.backends import Endpoints
from mentornet_tooling.testing.kafka import find_records, header, produce_record
from mentornet_tooling.testing.poll import eventually
from mentornet_tooling.testing.services import running, service_settings

pytestmark = pytest.mark.integration


def failing_matcher(target: str, failures: int, calls: Counter[str]) -> Build:
    """The real matcher, whose mentee handler fails `failures` times for `target`."""

    def build(runtime: Runtime) -> ServiceParts:
        parts = build_matcher(runtime)
        real = parts.handlers[MenteeRegistered]

        async def flaky(envelope: Envelope[Any]) -> Applied | None:
            if envelope.subject == target:
                calls[target] += 1
                if calls[target] <= failures:
                    raise RuntimeError(f"transient failure {calls[target]}")
            return await real(envelope)

        return replace(parts, handlers={**parts.handlers, MenteeRegistered: flaky})

    return build


def mentee(pid: str) -> Envelope[MenteeRegistered]:
    return new_envelope(
        MenteeRegistered(participant_id=pid, program_id="prog-r", languages=("en",)), "intake"
    )


async def test_d_fails_twice_then_applied_exactly_once(
    stack: Endpoints, mongo: Any, unique: str
) -> None:
    pid, calls = f"p-flaky-{unique}", Counter[str]()
    settings = service_settings(stack, MatcherSettings, "matcher", max_attempts=5)
    async with running(
        "matcher", settings, failing_matcher(pid, 2, calls), from_log_end=True
    ) as matcher:
        envelope = mentee(pid)
        await produce_record(stack.bootstrap_servers, encode(envelope, REGISTRY))
        collection = mongo[matcher.database]["candidates"]
        doc = await eventually(lambda: collection.find_one({"_id": pid}), what="the candidate")
        assert calls[pid] == 3
        assert doc["version"] == 1
        assert doc["inbox"] == [envelope.id]
        metrics = (await matcher.http.get("/metrics")).text
        assert f'mentornet_events_failed_total{{event_type="{envelope.type}"}} 2.0' in metrics


async def test_always_failing_handler_is_dead_lettered_and_partition_moves_on(
    stack: Endpoints, mongo: Any, unique: str
) -> None:
    doomed, after, calls = f"p-doomed-{unique}", f"p-after-{unique}", Counter[str]()
    settings = service_settings(stack, MatcherSettings, "matcher", max_attempts=3)
    async with running(
        "matcher", settings, failing_matcher(doomed, 99, calls), from_log_end=True
    ) as matcher:
        await produce_record(stack.bootstrap_servers, encode(mentee(doomed), REGISTRY))
        await produce_record(stack.bootstrap_servers, encode(mentee(after), REGISTRY))
        [dead] = await find_records(
            stack.bootstrap_servers,
            SERVICES["matcher"].dlq.name,
            lambda r: r.key == doomed.encode(),
        )
        assert header(dead, dlq.ATTEMPTS) == "3"
        assert header(dead, dlq.REASON) == "handler_error"
        assert header(dead, dlq.ERROR_TYPE) == "RuntimeError"
        assert "transient failure 3" in (header(dead, dlq.ERROR_MESSAGE) or "")
        assert header(dead, "ce_type") == "mentornet.mentee.registered.v2"
        collection = mongo[matcher.database]["candidates"]
        await eventually(lambda: collection.find_one({"_id": after}), what="the next record")
        assert await collection.find_one({"_id": doomed}) is None
        assert calls[doomed] == 3
