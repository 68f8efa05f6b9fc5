"""With OTEL_EXPORTER_OTLP_ENDPOINT set, a service's spans reach an OTLP/HTTP receiver
as protobuf, with the resource the standard variables describe."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from mentornet_chassis.tracing.setup import tracing_for
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest

pytestmark = pytest.mark.unit


class Receiver(ThreadingHTTPServer):
    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.requests: list[tuple[str, str, ExportTraceServiceRequest]] = []


class Handler(BaseHTTPRequestHandler):
    server: Receiver

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        request = ExportTraceServiceRequest()
        request.ParseFromString(body)
        self.server.requests.append((self.path, self.headers["Content-Type"], request))
        self.send_response(200)
        self.send_header("Content-Type", "application/x-protobuf")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    server = Receiver()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def _resource(request: ExportTraceServiceRequest) -> dict[str, str]:
    [spans] = request.resource_spans
    return {a.key: a.value.string_value for a in spans.resource.attributes}


def test_spans_are_exported_over_otlp_http_with_the_services_resource(
    receiver: Receiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    host, port = receiver.server_address[:2]
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_ENDPOINT", f"http://{host!s}:{port}")
    monkeypatch.setenv("OTEL_RESOURCE_ATTRIBUTES", "deployment.environment.name=staging")
    monkeypatch.delenv("OTEL_SERVICE_NAME", raising=False)
    tracing = tracing_for("matcher", "0.3.0")
    assert tracing.exports
    tracer = tracing.tracer
    with (
        tracer.start_as_current_span("process participants"),
        tracer.start_as_current_span("update candidates"),
    ):
        pass
    tracing.shutdown()

    [(path, content_type, request)] = receiver.requests
    assert (path, content_type) == ("/v1/traces", "application/x-protobuf")
    resource = _resource(request)
    assert resource["service.name"] == "mentornet-matcher"
    assert resource["service.version"] == "0.3.0"
    assert resource["deployment.environment.name"] == "staging"
    [scope] = request.resource_spans[0].scope_spans
    by_name = {span.name: span for span in scope.spans}
    assert set(by_name) == {"process participants", "update candidates"}
    assert by_name["update candidates"].parent_span_id == by_name["process participants"].span_id


def test_otel_service_name_overrides_the_default_name(
    receiver: Receiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    host, port = receiver.server_address[:2]
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", f"http://{host!s}:{port}/custom")
    monkeypatch.setenv("OTEL_SERVICE_NAME", "matcher-eu")
    tracing = tracing_for("matcher", "0.3.0")
    with tracing.tracer.start_as_current_span("work"):
        pass
    tracing.shutdown()
    [(path, _, request)] = receiver.requests
    assert path == "/custom"
    assert _resource(request)["service.name"] == "matcher-eu"
