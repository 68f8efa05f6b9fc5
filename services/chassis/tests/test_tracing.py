"""The tracing pieces without a broker: the trace context in event headers, the tracer's
configuration from OTEL_* variables, the spans of HTTP requests and store commands, and
the trace ids in log lines."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import httpx
import pytest
from mentornet_chassis.http.app import create_http_app
from mentornet_chassis.http.guard import guarded_router
from mentornet_chassis.http.policy import Grant, allow
from mentornet_chassis.process.metrics import Metrics
from mentornet_chassis.tracing.mongo import CommandSpans
from mentornet_chassis.tracing.propagation import (
    context_of,
    context_of_record,
    current_trace_headers,
    with_current_trace,
)
from mentornet_chassis.tracing.setup import TracingSettingsError, exporting, tracing_for
from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import NoOpTracer, SpanKind, Tracer
from pymongo import monitoring

pytestmark = pytest.mark.unit

PARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"


@pytest.fixture
def exported() -> Iterator[tuple[Tracer, InMemorySpanExporter]]:
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    yield provider.get_tracer("test"), exporter
    provider.shutdown()


def test_an_event_made_in_a_span_carries_its_context_under_both_names(
    exported: tuple[Tracer, InMemorySpanExporter],
) -> None:
    tracer, _ = exported
    assert current_trace_headers() == []
    with tracer.start_as_current_span("work") as span:
        headers = dict(current_trace_headers())
    ids = span.get_span_context()
    expected = f"00-{ids.trace_id:032x}-{ids.span_id:016x}-{ids.trace_flags:02x}"
    assert headers == {"ce_traceparent": expected, "traceparent": expected}


def test_a_context_is_read_back_from_either_name_and_the_cloudevents_one_wins() -> None:
    other = "00-11111111111111111111111111111111-2222222222222222-01"
    for headers in (
        {"ce_traceparent": PARENT},
        {"traceparent": PARENT},
        {"ce_traceparent": PARENT, "traceparent": other},
    ):
        parent = trace.get_current_span(context_of(headers)).get_span_context()
        assert (parent.trace_id, parent.span_id) == (
            0x0AF7651916CD43DD8448EB211C80319C,
            0xB7AD6B7169203331,
        ), headers
        assert parent.is_remote


@pytest.mark.parametrize("bad", ["", "garbage", "00-" + "0" * 32 + "-" + "0" * 16 + "-01"])
def test_a_context_that_is_not_valid_starts_a_new_trace(bad: str) -> None:
    assert (
        not trace.get_current_span(context_of({"ce_traceparent": bad})).get_span_context().is_valid
    )


def test_raw_record_headers_that_are_not_ascii_are_ignored_not_refused() -> None:
    context = context_of_record([("ce_traceparent", b"\xff\xfe"), ("traceparent", PARENT.encode())])
    assert trace.get_current_span(context).get_span_context().span_id == 0xB7AD6B7169203331


def test_publishing_replaces_the_writers_context_with_the_current_one(
    exported: tuple[Tracer, InMemorySpanExporter],
) -> None:
    tracer, _ = exported
    with tracer.start_as_current_span("send") as span:
        headers = with_current_trace(
            {"ce_id": "e-1", "ce_traceparent": PARENT, "traceparent": PARENT}
        )
    assert headers["ce_id"] == "e-1"
    assert headers["ce_traceparent"] == headers["traceparent"]
    assert f"{span.get_span_context().span_id:016x}" in headers["traceparent"]


def test_a_tracestate_over_512_characters_is_left_out(
    exported: tuple[Tracer, InMemorySpanExporter],
) -> None:
    tracer, _ = exported
    for state, kept in (("vendor=abc", True), ("v=" + "a" * 511, False)):
        parent = context_of({"traceparent": PARENT, "tracestate": state})
        with tracer.start_as_current_span("work", context=parent):
            headers = dict(current_trace_headers())
        assert ("ce_tracestate" in headers) is kept, len(state)
        assert ("tracestate" in headers) is kept


@pytest.mark.parametrize(
    ("environ", "exports"),
    [
        ({}, False),
        ({"OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318"}, True),
        ({"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "http://collector:4318/v1/traces"}, True),
        ({"OTEL_EXPORTER_OTLP_ENDPOINT": "http://c:4318", "OTEL_TRACES_EXPORTER": "none"}, False),
        (
            {
                "OTEL_EXPORTER_OTLP_ENDPOINT": "http://c:4318",
                "OTEL_EXPORTER_OTLP_PROTOCOL": "http/protobuf",
            },
            True,
        ),
    ],
)
def test_spans_are_exported_only_when_an_otlp_endpoint_is_set(
    environ: dict[str, str], exports: bool
) -> None:
    assert exporting(environ) is exports


@pytest.mark.parametrize(
    ("environ", "named"),
    [
        (
            {"OTEL_EXPORTER_OTLP_ENDPOINT": "http://c:4317", "OTEL_EXPORTER_OTLP_PROTOCOL": "grpc"},
            "OTEL_EXPORTER_OTLP_PROTOCOL",
        ),
        (
            {"OTEL_EXPORTER_OTLP_ENDPOINT": "http://c:4318", "OTEL_TRACES_EXPORTER": "zipkin"},
            "OTEL_TRACES_EXPORTER",
        ),
    ],
)
def test_an_exporter_this_build_lacks_is_refused_naming_the_variable(
    environ: dict[str, str], named: str
) -> None:
    with pytest.raises(TracingSettingsError, match=named):
        exporting(environ)


def test_without_an_endpoint_spans_are_made_but_stay_in_the_process() -> None:
    tracing = tracing_for("intake", "1.2.3", environ={})
    with tracing.tracer.start_as_current_span("work") as span:
        assert span.get_span_context().is_valid
    assert not tracing.exports
    assert tracing.provider is not None
    assert tracing.provider.resource.attributes["service.name"] == "mentornet-intake"
    assert tracing.provider.resource.attributes["service.version"] == "1.2.3"


def test_the_sdk_disabled_means_no_spans_at_all() -> None:
    tracing = tracing_for("intake", "1", environ={"OTEL_SDK_DISABLED": "true"})
    assert isinstance(tracing.tracer, NoOpTracer)


def _app(tracer: Tracer) -> Any:
    router = guarded_router()

    @router.get("/things/{thing_id}", **allow("things.read", Grant.PUBLIC))
    async def thing(thing_id: str) -> dict[str, str]:
        return {"thing_id": thing_id}

    @router.get("/broken", **allow("broken.read", Grant.PUBLIC))
    async def broken() -> None:
        raise RuntimeError("broken")

    async def ready() -> dict[str, bool]:
        return {"ok": True}

    return create_http_app("test", Metrics("test"), ready, [router], tracer=tracer)


async def test_a_request_is_a_server_span_named_by_its_route_continuing_the_callers_trace(
    exported: tuple[Tracer, InMemorySpanExporter],
) -> None:
    tracer, exporter = exported
    transport = httpx.ASGITransport(app=_app(tracer), raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
        assert (await http.get("/things/t-1", headers={"traceparent": PARENT})).status_code == 200
        assert (await http.get("/broken")).status_code == 500
        assert (await http.get("/readyz")).status_code == 200
        assert (await http.get("/nowhere")).status_code == 404
    spans = {s.name: s for s in exporter.get_finished_spans()}
    assert set(spans) == {"GET /things/{thing_id}", "GET /broken", "GET"}
    thing = spans["GET /things/{thing_id}"]
    assert thing.kind is SpanKind.SERVER
    assert thing.context.trace_id == 0x0AF7651916CD43DD8448EB211C80319C
    assert thing.parent is not None
    assert thing.parent.span_id == 0xB7AD6B7169203331
    assert thing.attributes is not None
    assert thing.attributes["http.route"] == "/things/{thing_id}"
    assert thing.attributes["http.response.status_code"] == 200
    assert not spans["GET /broken"].status.is_ok
    assert spans["GET /broken"].parent is None
    assert spans["GET"].attributes is not None
    assert spans["GET"].attributes["http.response.status_code"] == 404


def _command(name: str, request_id: int, **fields: Any) -> monitoring.CommandStartedEvent:
    return monitoring.CommandStartedEvent(
        {name: "people", **fields}, "mentornet_intake", request_id, ("db.local", 27017), 1
    )


def test_store_commands_are_client_spans_under_the_current_span_without_their_contents(
    exported: tuple[Tracer, InMemorySpanExporter],
) -> None:
    tracer, exporter = exported
    listener = CommandSpans(tracer)
    listener.started(_command("find", 1))
    with tracer.start_as_current_span("handling") as parent:
        listener.started(_command("insert", 2, documents=[{"email": "ada@example.org"}]))
        listener.started(_command("update", 3))
    listener.succeeded(
        monitoring.CommandSucceededEvent(
            timedelta(milliseconds=1), {"ok": 1}, "insert", 2, ("db.local", 27017), 1
        )
    )
    listener.failed(
        monitoring.CommandFailedEvent(
            timedelta(milliseconds=1),
            {"codeName": "DuplicateKey"},
            "update",
            3,
            ("db.local", 27017),
            1,
        )
    )
    spans = {s.name: s for s in exporter.get_finished_spans() if s.kind is SpanKind.CLIENT}
    assert set(spans) == {"insert people", "update people"}
    insert = spans["insert people"]
    assert insert.parent is not None
    assert insert.parent.span_id == parent.get_span_context().span_id
    assert insert.attributes == {
        "db.system.name": "mongodb",
        "db.namespace": "mentornet_intake",
        "db.operation.name": "insert",
        "db.collection.name": "people",
        "server.address": "db.local",
        "server.port": 27017,
    }
    assert "ada@example.org" not in json.dumps(dict(insert.attributes))
    assert spans["update people"].status.description == "DuplicateKey"


SCRIPT = """
import structlog
from opentelemetry.sdk.trace import TracerProvider
from mentornet_chassis.process.logging import configure_logging
import logging
configure_logging("intake", json=True)
structlog.get_logger("ours").info("outside")
tracer = TracerProvider().get_tracer("t")
with tracer.start_as_current_span("work") as span:
    ids = span.get_span_context()
    print(f"{ids.trace_id:032x} {ids.span_id:016x}", flush=True)
    structlog.get_logger("ours").info("inside")
    logging.getLogger("aiokafka").warning("a library inside")
"""


def test_log_lines_written_in_a_span_carry_its_trace_and_span_ids() -> None:
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=60, check=True
    )
    trace_id, span_id = done.stdout.split()
    lines = {line["event"]: line for line in map(json.loads, done.stderr.splitlines())}
    assert "trace_id" not in lines["outside"]
    for event in ("inside", "a library inside"):
        assert (lines[event]["trace_id"], lines[event]["span_id"]) == (trace_id, span_id)
