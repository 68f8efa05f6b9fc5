"""docker-compose cannot start here (no Docker engine): its schema and its wiring are
checked instead: real Kafka in KRaft mode, MongoDB as a replica set, every service
healthy only after both, with the ports and URLs it is configured for."""

from __future__ import annotations

import base64
import importlib
import os
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


def _as_compose_leaves_it(value: object) -> str:
    """A variable as compose substitutes it with nothing set by the operator: its
    default, or for a required one (`:?`) a value the operator would give."""

    def substitute(found: re.Match[str]) -> str:
        name, op, rest = found.group(1), found.group(2), found.group(3) or ""
        return rest if op == ":-" else "s" * 32 if op == ":?" else name

    return re.sub(r"\$\{([A-Z0-9_]+)(:-|:\?)?([^}]*)\}", substitute, str(value))


@pytest.mark.parametrize("service", sorted(SERVICES))
def test_each_service_starts_with_the_settings_compose_gives_it_by_default(
    compose: dict[str, Any], service: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Optional variables left unset reach the container as empty strings: every
    service's settings must read those as "not set", not refuse to start."""
    environment = compose["services"][service]["environment"]
    for name in [n for n in os.environ if n.startswith("MENTORNET_")]:
        monkeypatch.delenv(name)
    for name, value in environment.items():
        monkeypatch.setenv(name, _as_compose_leaves_it(value))
    settings_class = importlib.import_module(f"mentornet_{service}.app").SETTINGS
    settings = settings_class()
    assert settings.production
