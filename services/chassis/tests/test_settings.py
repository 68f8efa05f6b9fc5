from __future__ import annotations

from pathlib import Path

import pytest
from mentornet_chassis.process.settings import ServiceSettings, SettingsError, load_settings
from pydantic_settings import SettingsConfigDict

pytestmark = pytest.mark.unit


class DemoSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="MENTORNET_DEMO_", extra="ignore")


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (
        "MONGODB_URI",
        "KAFKA_BOOTSTRAP_SERVERS",
        "KAFKA_SECURITY_PROTOCOL",
        "MENTORNET_DEMO_ENVIRONMENT",
        "KAFKA_SESSION_TIMEOUT_MS",
    ):
        monkeypatch.delenv(name, raising=False)


def refusal(monkeypatch: pytest.MonkeyPatch, **env: str) -> str:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError) as caught:
        load_settings(DemoSettings, "demo")
    return str(caught.value)


def test_defaults_point_at_the_embedded_stack() -> None:
    settings = load_settings(DemoSettings, "demo")
    assert settings.kafka.bootstrap_servers == "127.0.0.1:19092"
    assert settings.mongo.uri.get_secret_value() == "mongodb://127.0.0.1:27117"
    assert not settings.kafka.idempotent_producer


def test_unparsable_mongo_uri_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    message = refusal(monkeypatch, MONGODB_URI="postgres://nope")
    assert message.startswith("mentornet-demo: refusing to start: MONGODB_URI:")
    assert "\n" not in message


def test_production_requires_explicit_mongo_uri(monkeypatch: pytest.MonkeyPatch) -> None:
    message = refusal(
        monkeypatch, MENTORNET_DEMO_ENVIRONMENT="production", KAFKA_BOOTSTRAP_SERVERS="kafka:9092"
    )
    assert "MONGODB_URI must be set in production" in message


def test_sasl_without_password_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    message = refusal(
        monkeypatch,
        KAFKA_SECURITY_PROTOCOL="SASL_SSL",
        KAFKA_SASL_MECHANISM="SCRAM-SHA-512",
        KAFKA_SASL_USERNAME="intake",
    )
    assert "KAFKA_SASL_PASSWORD" in message


def test_bad_number_names_the_prefixed_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    message = refusal(monkeypatch, MENTORNET_DEMO_MAX_ATTEMPTS="0")
    assert "MENTORNET_DEMO_MAX_ATTEMPTS" in message


def test_secrets_do_not_leak_into_repr(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MONGODB_URI", "mongodb://user:hunter2@db:27017")
    settings = load_settings(DemoSettings, "demo")
    assert "hunter2" not in repr(settings)


def test_short_hs256_key_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    message = refusal(monkeypatch, AUTH_HS256_KEY="short")
    assert "AUTH_HS256_KEY: an HS256 key needs at least 32 bytes" in message


def test_production_refuses_a_simulated_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    message = refusal(
        monkeypatch,
        MENTORNET_DEMO_ENVIRONMENT="production",
        KAFKA_BOOTSTRAP_SERVERS="kafka:9092",
        MONGODB_URI="mongodb://mongo:27017",
        AUTH_HS256_KEY="k" * 32,
        MENTORNET_DEMO_SIMULATED_CLOCK_FILE="/tmp/clock.json",
    )
    assert "a simulated clock is for development, not production" in message


def test_an_otlp_protocol_this_build_lacks_is_refused_in_one_line(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    message = refusal(
        monkeypatch,
        OTEL_EXPORTER_OTLP_ENDPOINT="http://collector:4317",
        OTEL_EXPORTER_OTLP_PROTOCOL="grpc",
    )
    assert message.startswith("mentornet-demo: refusing to start: OTEL_EXPORTER_OTLP_PROTOCOL=")
    assert "http/protobuf" in message
    assert "\n" not in message


def test_a_secret_mounted_as_a_file_is_read_through_its_file_variable(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / "uri").write_text("mongodb://svc:s3cret@db.internal:27017/?tls=false\n")
    (tmp_path / "password").write_text("kafka-pass")
    (tmp_path / "key").write_text("k" * 40 + "\n\n")
    for name in ("MONGODB_URI", "KAFKA_SASL_PASSWORD"):
        monkeypatch.setenv(name, "")
    monkeypatch.setenv("MONGODB_URI_FILE", str(tmp_path / "uri"))
    monkeypatch.setenv("KAFKA_SASL_PASSWORD_FILE", str(tmp_path / "password"))
    monkeypatch.setenv("AUTH_HS256_KEY", "")
    monkeypatch.setenv("AUTH_HS256_KEY_FILE", str(tmp_path / "key"))
    settings = load_settings(DemoSettings, "demo")
    assert settings.mongo.uri.get_secret_value() == (
        "mongodb://svc:s3cret@db.internal:27017/?tls=false"
    )
    assert settings.kafka.sasl_password is not None
    assert settings.kafka.sasl_password.get_secret_value() == "kafka-pass"
    assert settings.auth.hs256_key is not None
    assert settings.auth.hs256_key.get_secret_value() == "k" * 40 + "\n"


def test_a_setting_given_twice_or_an_unreadable_file_is_refused_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / "uri").write_text("mongodb://db:27017")
    monkeypatch.setenv("MONGODB_URI_FILE", str(tmp_path / "uri"))
    both = refusal(monkeypatch, MONGODB_URI="mongodb://other:27017")
    assert both == (
        "mentornet-demo: refusing to start: MONGODB_URI and MONGODB_URI_FILE are both set: set one"
    )
    monkeypatch.setenv("MONGODB_URI", "")
    missing = refusal(monkeypatch, MONGODB_URI_FILE=str(tmp_path / "absent"))
    assert missing.startswith("mentornet-demo: refusing to start: MONGODB_URI_FILE: cannot read")
    assert "No such file or directory" in missing


def test_the_group_session_is_ten_seconds_unless_set(monkeypatch: pytest.MonkeyPatch) -> None:
    assert load_settings(DemoSettings, "demo").kafka.session_timeout_ms == 10_000
    monkeypatch.setenv("KAFKA_SESSION_TIMEOUT_MS", "4000")
    assert load_settings(DemoSettings, "demo").kafka.session_timeout_ms == 4_000
    monkeypatch.setenv("KAFKA_SESSION_TIMEOUT_MS", "500")
    with pytest.raises(SettingsError, match="KAFKA_SESSION_TIMEOUT_MS"):
        load_settings(DemoSettings, "demo")
