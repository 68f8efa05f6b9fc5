"""Operator commands find the local stack where `mentornet dev up` put it: with no
KAFKA_BOOTSTRAP_SERVERS or MONGODB_URI, the ports its MENTORNET_DEV_* variables set
(read when the command runs); a named server always wins."""

from __future__ import annotations

import pytest
from mentornet_tooling.devstack import DevConfig
from mentornet_tooling.operator.reading import kafka_settings, local_default

pytestmark = pytest.mark.unit


def test_a_moved_local_broker_is_the_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KAFKA_BOOTSTRAP_SERVERS", raising=False)
    monkeypatch.setenv("MENTORNET_DEV_KAFKA_PORT", "29092")
    assert kafka_settings().bootstrap_servers == "127.0.0.1:29092"
    monkeypatch.delenv("MENTORNET_DEV_KAFKA_PORT")
    assert kafka_settings().bootstrap_servers == "127.0.0.1:19092"


def test_a_named_broker_wins_over_the_local_one(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MENTORNET_DEV_KAFKA_PORT", "29092")
    monkeypatch.setenv("KAFKA_BOOTSTRAP_SERVERS", "kafka-0:9092")
    assert kafka_settings().bootstrap_servers == "kafka-0:9092"
    assert kafka_settings("other:9092").bootstrap_servers == "other:9092"


def test_a_moved_local_store_is_the_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MONGODB_URI", raising=False)
    monkeypatch.setenv("MENTORNET_DEV_MONGO_PORT", "37017")
    assert local_default("MONGODB_URI", "mongodb") == "mongodb://127.0.0.1:37017"
    monkeypatch.setenv("MONGODB_URI", "mongodb://db:27017")
    assert local_default("MONGODB_URI", "mongodb") is None


def test_the_dev_config_reads_its_variables_when_made(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MENTORNET_DEV_SMTP_PORT", "2626")
    monkeypatch.setenv("MENTORNET_DEV_HTTP_PORT_OFFSET", "100")
    cfg = DevConfig()
    assert (cfg.smtp_port, cfg.http_port("intake")) == (2626, 8201)
