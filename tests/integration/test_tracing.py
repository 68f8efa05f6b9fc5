"""One trace from a registration through every service, on the real broker and store.

Each service runs with OpenTelemetry's in-memory exporter. A mentee's registration is
one POST to intake; the trace it starts must reach the matcher (which places the mentee
and proposes a match), the scheduler, feedback and QA (which read the registration, and
QA the proposal too), every span parent-linked to the POST through the records'
`ce_traceparent` headers."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from functools import partial
from typing import Any

import pytest
from mentornet_contracts.catalogue import MATCHES, PARTICIPANTS
from mentornet_tooling.testing.backends import Endpoints
from mentornet_tooling.testing.poll import eventually
from mentornet_tooling.testing.services import RunningService
from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind

from tests.support.helpers import matcher_knows, mentee_body, open_program
from tests.support.pipeline import SERVICES, pipeline

pytestmark = pytest.mark.integration

WINDOWS = {
    "timezone": "Europe/Berlin",
    "weekly": [{"weekday": day, "start": "09:00", "end": "17:00"} for day in ("mon", "tue")],
}


@dataclass
class Traced:
    services: dict[str, RunningService]
    exporters: dict[str, InMemorySpanExporter]

    def spans(self) -> list[tuple[str, ReadableSpan]]:
        return [(name, s) for name, e in self.exporters.items() for s in e.get_finished_spans()]


@pytest.fixture
async def traced(stack: Endpoints) -> AsyncIterator[Traced]:
    exporters = {name: InMemorySpanExporter() for name in SERVICES}
    async with pipeline(stack, dict(exporters)) as services:
        yield Traced(services, exporters)


def _person(unique: str, program_id: str, name: str, **fields: Any) -> dict[str, Any]:
    return mentee_body(
        unique,
        program_id,
        display_name=name,
        email=f"{name.lower()}-{unique}@example.org",
        formats=["video"],
        availability=WINDOWS,
        **fields,
    )


def _service_of(span: ReadableSpan) -> str:
    return str(span.resource.attributes["service.name"])


def _event_type(span: ReadableSpan) -> str:
    return str((span.attributes or {}).get("cloudevents.event_type", ""))


async def test_one_registration_is_one_trace_through_every_service_linked_through_kafka(
    traced: Traced, unique: str
) -> None:
    intake, matcher = traced.services["intake"], traced.services["matcher"]
    program_id, coordinator = await open_program(intake, unique, approval_mode="auto")
    mentor = await intake.http.post(
        "/participants/mentors",
        json=_person(unique, program_id, "Grace", skills=[{"skill_id": "python", "level": 5}]),
        headers=coordinator,
    )
    assert mentor.status_code == 201, mentor.text
    mentor_id = mentor.json()["participant_id"]
    await eventually(partial(matcher_knows, matcher, mentor_id), what="the mentor known")

    registered = await intake.http.post(
        "/participants/mentees", json=_person(unique, program_id, "Ada"), headers=coordinator
    )
    assert registered.status_code == 201, registered.text
    mentee_id = registered.json()["participant_id"]
    [post] = [
        span
        for _, span in traced.spans()
        if span.kind is SpanKind.SERVER and span.name == "POST /participants/mentees"
    ]
    trace_id = post.context.trace_id

    def in_trace() -> list[tuple[str, ReadableSpan]]:
        return [(n, s) for n, s in traced.spans() if s.context.trace_id == trace_id]

    async def every_service_reached() -> list[tuple[str, ReadableSpan]] | None:
        """Waits for QA's proposal span and a span of every service: the scheduler and
        feedback handle the registration on their own consumers, maybe after QA."""
        spans = in_trace()
        proposal_at_qa = any(
            name == "qa" and _event_type(s).startswith("mentornet.match.proposed")
            for name, s in spans
        )
        registration_handled = {
            name
            for name, s in spans
            if s.kind is SpanKind.CONSUMER
            and _event_type(s).startswith("mentornet.mentee.registered")
        }
        every_service = {name for name, _ in spans} >= set(SERVICES)
        done = (
            proposal_at_qa and every_service and {"scheduler", "feedback"} <= registration_handled
        )
        return spans if done else None

    spans = await eventually(every_service_reached, what="every service to join the trace")
    by_id = {s.context.span_id: (name, s) for name, s in spans}

    roots = [s for _, s in spans if s.parent is None]
    assert roots == [post], [s.name for s in roots]
    orphans = [s.name for _, s in spans if s.parent and s.parent.span_id not in by_id]
    assert not orphans, orphans
    assert {_service_of(s) for _, s in spans} >= {f"mentornet-{name}" for name in SERVICES}
    assert post.attributes is not None
    assert post.attributes["http.response.status_code"] == 201

    def chain(span: ReadableSpan) -> list[tuple[str, str]]:
        """The span's ancestors up to the root, as (service, span name), leaf first."""
        links = []
        current: ReadableSpan | None = span
        while current is not None:
            service, _ = by_id[current.context.span_id]
            links.append((service, current.name))
            current = by_id[current.parent.span_id][1] if current.parent else None
        return links

    [qa_proposal] = [
        s
        for name, s in spans
        if name == "qa" and _event_type(s).startswith("mentornet.match.proposed")
    ]
    assert chain(qa_proposal) == [
        ("qa", f"process {MATCHES.name}"),
        ("matcher", f"send {MATCHES.name}"),
        ("matcher", f"process {PARTICIPANTS.name}"),
        ("intake", f"send {PARTICIPANTS.name}"),
        ("intake", "POST /participants/mentees"),
    ]
    for service in ("scheduler", "feedback"):
        handled = [
            s
            for name, s in spans
            if name == service
            and s.kind is SpanKind.CONSUMER
            and _event_type(s).startswith("mentornet.mentee.registered")
        ]
        assert len(handled) == 1, (service, [s.name for s in handled])
        assert chain(handled[0])[1:] == [
            ("intake", f"send {PARTICIPANTS.name}"),
            ("intake", "POST /participants/mentees"),
        ]
        assert (handled[0].attributes or {})["mentornet.outcome"] == "applied"

    store_calls = [s for name, s in spans if name == "intake" and s.kind is SpanKind.CLIENT]
    assert store_calls, "intake's store commands for the registration"
    assert all(s.attributes and s.attributes["db.system.name"] == "mongodb" for s in store_calls)
    matcher_writes = [
        s
        for name, s in spans
        if name == "matcher" and s.kind is SpanKind.CLIENT and s.parent is not None
    ]
    assert matcher_writes, "the matcher's store commands while placing the mentee"
    assert mentee_id
