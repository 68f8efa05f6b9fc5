"""The Grafana dashboard for the metrics every service exposes (chassis process/metrics.py),
as a ConfigMap that Grafana's dashboard sidecar (kube-prometheus-stack's default
`grafana_dashboard: "1"` label) loads. One row per concern the runbooks in
docs/operations.md answer: the flow of events, failures and dead letters, the outbox,
the consumers. `service` is the label Prometheus Operator gives each scraped Service."""

from __future__ import annotations

import json
from typing import Any

Panel = dict[str, Any]

UID = "mentornet-services"
SERVICE = 'service=~"$svc"'
Query = tuple[str, str]
"""A PromQL expression and its legend."""
_L = "{{service}}"


def _m(name: str) -> str:
    """A MentorNet metric, for the services chosen on the dashboard."""
    return f"mentornet_{name}{{{SERVICE}}}"


PANELS: list[tuple[str, str, list[Query]]] = [
    (
        "Events handled per second, by outcome",
        "ops",
        [
            (
                f"sum by (service, outcome) (rate({_m('events_consumed_total')}[5m]))",
                _L + " {{outcome}}",
            )
        ],
    ),
    (
        "Events published per second",
        "ops",
        [(f"sum by (service) (rate({_m('events_emitted_total')}[5m]))", _L)],
    ),
    (
        "Handler time, 95th percentile",
        "s",
        [
            (
                "histogram_quantile(0.95, sum by (service, le) "
                f"(rate({_m('handler_seconds_bucket')}[5m])))",
                _L,
            )
        ],
    ),
    (
        "Handler attempts that failed per second",
        "ops",
        [
            (
                f"sum by (service, event_type) (rate({_m('events_failed_total')}[5m]))",
                _L + " {{event_type}}",
            )
        ],
    ),
    (
        "Dead letters (15 min)",
        "short",
        [(f"sum by (service, reason) (increase({_m('dlq_total')}[15m]))", _L + " {{reason}}")],
    ),
    (
        "Records set aside, and dead letters not written twice (15 min)",
        "short",
        [
            (
                f"sum by (service) (increase({_m('consumer_set_aside_total')}[15m]))",
                _L + " set aside",
            ),
            (
                f"sum by (service) (increase({_m('dlq_repeats_suppressed_total')}[15m]))",
                _L + " repeats",
            ),
        ],
    ),
    (
        "Consumer lag (records)",
        "short",
        [(f"sum by (service, topic) ({_m('consumer_lag')})", _L + " {{topic}}")],
    ),
    (
        "Partitions stalled",
        "short",
        [(f"max by (service) ({_m('consumer_partitions_stalled')})", _L)],
    ),
    (
        "Batches rewound (15 min)",
        "short",
        [
            (
                f"sum by (service, topic) (increase({_m('consumer_rewinds_total')}[15m]))",
                _L + " {{topic}}",
            )
        ],
    ),
    (
        "Records parked",
        "short",
        [(f"max by (service) ({_m('parked_records')})", _L)],
    ),
    (
        "Outbox backlog and poisoned records",
        "short",
        [
            (f"max by (service) ({_m('outbox_backlog')})", _L + " backlog"),
            (f"max by (service) ({_m('outbox_poisoned')})", _L + " poisoned"),
        ],
    ),
    (
        "Oldest unsent outbox record",
        "s",
        [(f"max by (service) ({_m('outbox_oldest_unsent_seconds')})", _L)],
    ),
    (
        "Records the broker refused (10 min)",
        "short",
        [
            (
                f"sum by (service, reason) (increase({_m('outbox_relay_failures_total')}[10m]))",
                _L + " {{reason}}",
            )
        ],
    ),
]


def _panel(n: int, title: str, unit: str, queries: list[Query]) -> Panel:
    return {
        "id": n + 1,
        "type": "timeseries",
        "title": title,
        "datasource": {"type": "prometheus", "uid": "${datasource}"},
        "gridPos": {"h": 8, "w": 12, "x": 12 * (n % 2), "y": 8 * (n // 2)},
        "fieldConfig": {"defaults": {"unit": unit}, "overrides": []},
        "options": {"legend": {"displayMode": "list", "placement": "bottom"}},
        "targets": [
            {"refId": chr(ord("A") + i), "expr": expr, "legendFormat": legend}
            for i, (expr, legend) in enumerate(queries)
        ],
    }


def dashboard() -> dict[str, Any]:
    return {
        "uid": UID,
        "title": "MentorNet services",
        "tags": ["mentornet"],
        "timezone": "browser",
        "schemaVersion": 39,
        "version": 1,
        "refresh": "30s",
        "time": {"from": "now-6h", "to": "now"},
        "templating": {
            "list": [
                {"name": "datasource", "type": "datasource", "query": "prometheus"},
                {
                    "name": "svc",
                    "label": "Service",
                    "type": "query",
                    "datasource": {"type": "prometheus", "uid": "${datasource}"},
                    "query": "label_values(mentornet_service_info, service)",
                    "includeAll": True,
                    "multi": True,
                    "allValue": ".*",
                    "current": {"text": "All", "value": "$__all"},
                },
            ]
        },
        "panels": [_panel(n, *spec) for n, spec in enumerate(PANELS)],
    }


def config_map() -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {
            "name": "mentornet-grafana-dashboard",
            "labels": {"grafana_dashboard": "1", "app.kubernetes.io/part-of": "mentornet"},
            "annotations": {"grafana_folder": "MentorNet"},
        },
        "data": {"mentornet-services.json": json.dumps(dashboard(), indent=1) + "\n"},
    }
