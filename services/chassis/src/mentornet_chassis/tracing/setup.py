"""One tracer per service process, configured by the standard `OTEL_*` variables.

Spans are always made, so trace ids propagate through HTTP and Kafka and appear in log
lines even with no tracing backend. They are exported over OTLP (HTTP/protobuf) only
when `OTEL_EXPORTER_OTLP_ENDPOINT` (or `..._TRACES_ENDPOINT`) is set and
`OTEL_TRACES_EXPORTER` is not `none`; `OTEL_SDK_DISABLED=true` turns tracing off
altogether. The exporter itself reads the other `OTEL_EXPORTER_OTLP_*` variables
(headers, timeout, compression, certificates), the provider reads `OTEL_TRACES_SAMPLER`
and the resource `OTEL_RESOURCE_ATTRIBUTES` and `OTEL_SERVICE_NAME`.

Each service has its own provider rather than the process-global one, so services run
side by side in one process (the integration tests) keep their own service names and
exporters.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from opentelemetry.sdk.resources import SERVICE_NAME, SERVICE_VERSION, Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, SimpleSpanProcessor, SpanExporter
from opentelemetry.trace import NoOpTracer, Tracer

INSTRUMENTATION = "mentornet_chassis"
ENDPOINTS = ("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTEL_EXPORTER_OTLP_ENDPOINT")
PROTOCOLS = ("OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "OTEL_EXPORTER_OTLP_PROTOCOL")
SUPPORTED_PROTOCOL = "http/protobuf"


class TracingSettingsError(ValueError):
    """An `OTEL_*` variable asks for something this build cannot do."""


@dataclass(frozen=True)
class Tracing:
    """A service's tracer; `exports` says whether its spans leave the process (store
    command spans are made only then: they are many and useful only in a backend)."""

    tracer: Tracer
    provider: TracerProvider | None = None
    exports: bool = False

    def shutdown(self) -> None:
        """Export what is still buffered; called once the service has stopped."""
        if self.provider is not None:
            self.provider.shutdown()


NO_TRACING = Tracing(NoOpTracer())


def exporting(environ: Mapping[str, str]) -> bool:
    """Whether the environment asks for OTLP export."""
    chosen = environ.get("OTEL_TRACES_EXPORTER", "otlp").strip().lower()
    if chosen == "none" or not any(environ.get(name) for name in ENDPOINTS):
        return False
    if chosen != "otlp":
        raise TracingSettingsError(
            f"OTEL_TRACES_EXPORTER={chosen!r}: only otlp (or none) is supported"
        )
    for name in PROTOCOLS:
        protocol = environ.get(name)
        if protocol and protocol != SUPPORTED_PROTOCOL:
            raise TracingSettingsError(
                f"{name}={protocol!r}: only {SUPPORTED_PROTOCOL} is supported "
                "(an OpenTelemetry Collector takes it on port 4318)"
            )
    return True


def tracing_for(
    service: str,
    version: str,
    *,
    exporter: SpanExporter | None = None,
    environ: Mapping[str, str] | None = None,
) -> Tracing:
    """The tracer `service` runs with; `exporter` (tests) takes every span at once."""
    env = os.environ if environ is None else environ
    if env.get("OTEL_SDK_DISABLED", "").strip().lower() == "true" and exporter is None:
        return NO_TRACING
    provider = TracerProvider(resource=_resource(service, version, env))
    if exporter is not None:
        provider.add_span_processor(SimpleSpanProcessor(exporter))
    elif exporting(env):
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    else:
        return Tracing(provider.get_tracer(INSTRUMENTATION, version), provider, exports=False)
    return Tracing(provider.get_tracer(INSTRUMENTATION, version), provider, exports=True)


def _resource(service: str, version: str, env: Mapping[str, str]) -> Resource:
    attributes = {SERVICE_VERSION: version, "service.namespace": "mentornet"}
    if not env.get("OTEL_SERVICE_NAME"):
        attributes[SERVICE_NAME] = f"mentornet-{service}"
    return Resource.create(attributes)
