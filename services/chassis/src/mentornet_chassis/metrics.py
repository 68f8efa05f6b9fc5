"""Prometheus metrics, one registry per process (so tests can build several)."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


class Metrics:
    def __init__(self, service: str) -> None:
        self.registry = CollectorRegistry()
        self.events_consumed = Counter(
            "mentornet_events_consumed",
            "Events handled, by type and outcome (applied, duplicate, unchanged, ignored).",
            ["event_type", "outcome"],
            registry=self.registry,
        )
        self.events_emitted = Counter(
            "mentornet_events_emitted",
            "Events published from the outbox, by type.",
            ["event_type"],
            registry=self.registry,
        )
        self.events_failed = Counter(
            "mentornet_events_failed",
            "Handler attempts that raised, by type.",
            ["event_type"],
            registry=self.registry,
        )
        self.dlq = Counter(
            "mentornet_dlq",
            "Records sent to the DLQ, by reason.",
            ["reason"],
            registry=self.registry,
        )
        self.handler_seconds = Histogram(
            "mentornet_handler_seconds",
            "Handler latency in seconds, by event type.",
            ["event_type"],
            registry=self.registry,
        )
        self.parked = Gauge(
            "mentornet_parked_records",
            "Records parked until the fact they refer to arrives.",
            registry=self.registry,
        )
        self.outbox_backlog = Gauge(
            "mentornet_outbox_backlog",
            "Outbox records not yet acknowledged by the broker.",
            registry=self.registry,
        )
        info = Gauge(
            "mentornet_service_info",
            "Always 1; the label names the service.",
            ["service"],
            registry=self.registry,
        )
        info.labels(service=service).set(1)

    def render(self) -> bytes:
        return generate_latest(self.registry)
