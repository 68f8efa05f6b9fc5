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
        self.outbox_oldest_unsent = Gauge(
            "mentornet_outbox_oldest_unsent_seconds",
            "Age of the oldest outbox record not yet acknowledged (0 when none).",
            registry=self.registry,
        )
        self.outbox_poisoned = Gauge(
            "mentornet_outbox_poisoned",
            "Outbox records the relay gave up on: they wait for an operator.",
            registry=self.registry,
        )
        self.relay_failures = Counter(
            "mentornet_outbox_relay_failures",
            "Outbox records the broker refused, by reason (too_large, topic_refused, "
            "serialization, broker_unavailable, other).",
            ["reason"],
            registry=self.registry,
        )
        self.dlq_repeats = Counter(
            "mentornet_dlq_repeats_suppressed",
            "Records handed to the DLQ again (after a rewind or replay) that were not "
            "written twice: one dead letter per origin offset.",
            registry=self.registry,
        )
        self.rewinds = Counter(
            "mentornet_consumer_rewinds",
            "Batches delivered again because a record in them could not be finished, by partition.",
            ["topic", "partition"],
            registry=self.registry,
        )
        self.set_aside = Counter(
            "mentornet_consumer_set_aside",
            "Records dead-lettered because their batch kept failing on them.",
            ["topic", "partition"],
            registry=self.registry,
        )
        self.consumer_lag = Gauge(
            "mentornet_consumer_lag",
            "Records on a partition this process has not finished yet.",
            ["topic", "partition"],
            registry=self.registry,
        )
        self.partitions_stalled = Gauge(
            "mentornet_consumer_partitions_stalled",
            "Assigned partitions with records waiting that have not moved for the "
            "configured time (STALL_AFTER_S).",
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
