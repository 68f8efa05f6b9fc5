"""docker-compose cannot start here (no Docker engine): its schema and its wiring are
checked instead: real Kafka in KRaft mode, MongoDB as a replica set, every service
healthy only after both, with the ports and URLs it is configured for."""

from __future__ import annotations

import base64
import re
from typing import Any

import pytest
import yaml
from mentornet_contracts import SERVICES

from deploy import validate

pytestmark = pytest.mark.unit


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    document: dict[str, Any] = yaml.safe_load(validate.COMPOSE.read_text())
    return document


def test_the_compose_file_fits_the_compose_schema(compose: dict[str, Any]) -> None:
    assert validate.compose_problems(compose) == []


def test_a_broken_compose_file_is_rejected_with_the_place(compose: dict[str, Any]) -> None:
    broken = {**compose, "services": {**compose["services"]}}
    broken["services"]["qa"] = {**compose["services"]["qa"], "helthcheck": {}}
    problems = validate.compose_problems(broken)
    assert any(p.startswith("compose/docker-compose.yml: services.qa") for p in problems), problems


def test_kafka_runs_in_kraft_mode_from_the_official_image(compose: dict[str, Any]) -> None:
    kafka = compose["services"]["kafka"]
    assert kafka["image"].startswith("apache/kafka:")
    assert kafka["environment"]["KAFKA_PROCESS_ROLES"] == "broker,controller"
    assert not [k for k in kafka["environment"] if "ZOOKEEPER" in k]
    assert kafka["environment"]["KAFKA_AUTO_CREATE_TOPICS_ENABLE"] == "false"
    assert "healthcheck" in kafka


def test_the_kraft_cluster_id_is_a_base64_uuid(compose: dict[str, Any]) -> None:
    """kafka-storage format refuses anything but 16 bytes, URL-safe base64 (22 chars)."""
    cluster_id = compose["services"]["kafka"]["environment"]["CLUSTER_ID"]
    assert len(cluster_id) == 22
    assert len(base64.urlsafe_b64decode(cluster_id + "==")) == 16


def test_mongodb_is_a_single_node_replica_set_healthy_once_primary(
    compose: dict[str, Any],
) -> None:
    mongo = compose["services"]["mongodb"]
    assert mongo["image"].startswith("mongo:")
    assert mongo["command"][:2] == ["--replSet", "rs0"]
    script = mongo["healthcheck"]["test"][-1]
    assert "rs.initiate({_id: 'rs0'" in script
    assert script.strip().endswith("quit(db.hello().isWritablePrimary ? 0 : 1)")


@pytest.mark.parametrize("service", sorted(SERVICES))
def test_each_service_waits_for_healthy_stores_and_checks_its_own_readiness(
    compose: dict[str, Any], service: str
) -> None:
    spec = compose["services"][service]
    assert spec["command"] == ["serve", service]
    assert spec["depends_on"]["kafka"]["condition"] == "service_healthy"
    assert spec["depends_on"]["mongodb"]["condition"] == "service_healthy"
    assert spec["depends_on"]["topics"]["condition"] == "service_completed_successfully"
    env = spec["environment"]
    port = env[f"MENTORNET_{service.upper()}_HTTP_PORT"]
    assert env[f"MENTORNET_{service.upper()}_HTTP_HOST"] == "0.0.0.0"
    assert spec["ports"] == [f"{port}:{port}"]
    assert f"127.0.0.1:{port}/readyz" in " ".join(spec["healthcheck"]["test"])
    assert "replicaSet=rs0" in env["MONGODB_URI"]
    assert spec["read_only"] is True
    assert spec["cap_drop"] == ["ALL"]


def test_the_topics_step_creates_the_registry_topics(compose: dict[str, Any]) -> None:
    assert compose["services"]["topics"]["command"][:2] == ["topics", "create"]


def test_every_variable_compose_asks_for_is_documented() -> None:
    asked = set(re.findall(r"\$\{([A-Z0-9_]+)", validate.COMPOSE.read_text()))
    operations = (validate.ROOT / "docs" / "operations.md").read_text()
    assert asked
    assert {v for v in asked if f"`{v}`" not in operations} == set()
