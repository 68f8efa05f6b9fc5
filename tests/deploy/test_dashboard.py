"""The Grafana dashboard shows every metric the services expose, with queries that parse
as PromQL and name only metrics that exist, in a ConfigMap Grafana's sidecar loads."""

from __future__ import annotations

import json
import re

import promql_parser
import pytest
from mentornet_chassis.process.metrics import Metrics

from deploy import dashboard, validate

pytestmark = pytest.mark.unit

METRIC = re.compile(r"\bmentornet_[a-z_]+")


SUFFIXES = {"counter": ("_total",), "histogram": ("_bucket", "_sum", "_count"), "gauge": ("",)}


def _exposed() -> tuple[set[str], set[str]]:
    """The metric families a service exposes, and the sample names Prometheus stores
    for them (a counter's `_total`, a histogram's `_bucket`, `_sum` and `_count`)."""
    families = {f.name: f.type for f in Metrics("intake").registry.collect()}
    samples = {name + suffix for name, kind in families.items() for suffix in SUFFIXES[kind]}
    return set(families), samples


def _queries() -> list[str]:
    return [t["expr"] for p in dashboard.dashboard()["panels"] for t in p["targets"]]


def test_every_query_parses_as_promql_and_names_only_exposed_metrics() -> None:
    _, samples = _exposed()
    for expr in _queries():
        promql_parser.parse(expr.replace("$svc", "intake"))
        assert set(METRIC.findall(expr)) <= samples, expr
    [variable] = [v for v in dashboard.dashboard()["templating"]["list"] if v["name"] == "svc"]
    assert variable["query"] == "label_values(mentornet_service_info, service)"
    assert "mentornet_service_info" in samples


def test_a_broken_query_would_be_caught() -> None:
    with pytest.raises(ValueError, match="parenthesis"):
        promql_parser.parse("sum by (service (rate(mentornet_dlq_total[5m]))")


def test_every_exposed_metric_is_on_the_dashboard() -> None:
    families, _ = _exposed()
    used = {name for expr in _queries() for name in METRIC.findall(expr)}
    used.add("mentornet_service_info")
    shown = {f for f in families if any(name.startswith(f) for name in used)}
    assert families - shown == set()


def test_the_dashboard_ships_in_the_monitoring_component_for_grafanas_sidecar(
    rendered: dict[str, list[validate.Resource]],
) -> None:
    for overlay, resources in rendered.items():
        [config] = [
            r
            for r in resources
            if r["kind"] == "ConfigMap" and r["metadata"]["name"] == "mentornet-grafana-dashboard"
        ]
        assert config["metadata"]["labels"]["grafana_dashboard"] == "1", overlay
        board = json.loads(config["data"]["mentornet-services.json"])
        assert board == dashboard.dashboard()
        ids = [p["id"] for p in board["panels"]]
        assert len(ids) == len(set(ids))
        cells = {(p["gridPos"]["x"], p["gridPos"]["y"]) for p in board["panels"]}
        assert len(cells) == len(ids), "panels overlap"
