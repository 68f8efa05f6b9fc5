"""Settings from environment variables, validated before anything starts.

Kafka and MongoDB blocks read `KAFKA_*` and `MONGODB_*` (one deployment talks to one
cluster); service settings read `MENTORNET_<SERVICE>_*`.
"""

from __future__ import annotations

import os
from enum import StrEnum
from pathlib import Path
from typing import Self, TypeVar

from mentornet_contracts.budget import DLQ_HEADROOM_BYTES, MAX_MESSAGE_BYTES
from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from pymongo.errors import ConfigurationError, InvalidURI
from pymongo.uri_parser import parse_uri

from mentornet_chassis.http.authsettings import AuthSettings
from mentornet_chassis.process.secret_files import SecretFileError, read_secret_files
from mentornet_chassis.tracing.setup import TracingSettingsError, exporting

DEFAULT_KAFKA = "127.0.0.1:19092"
DEFAULT_MONGO = "mongodb://127.0.0.1:27117"


class Environment(StrEnum):
    DEVELOPMENT = "development"
    PRODUCTION = "production"


class KafkaSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="KAFKA_", extra="ignore")

    bootstrap_servers: str = Field(
        default=DEFAULT_KAFKA, min_length=1, description="host:port[,host:port] of the brokers."
    )
    client_id: str | None = Field(default=None, description="Kafka client id (default: service).")
    security_protocol: str = Field(
        default="PLAINTEXT",
        pattern="^(PLAINTEXT|SSL|SASL_PLAINTEXT|SASL_SSL)$",
        description="PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL.",
    )
    sasl_mechanism: str | None = Field(
        default=None,
        pattern="^(PLAIN|SCRAM-SHA-256|SCRAM-SHA-512)$",
        description="PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512 (required with SASL).",
    )
    sasl_username: str | None = Field(default=None, description="SASL user (the KafkaUser).")
    sasl_password: SecretStr | None = Field(default=None, description="SASL password (secret).")
    ssl_cafile: str | None = Field(default=None, description="CA bundle for the brokers' TLS.")
    idempotent_producer: bool = Field(
        default=False, description="Real Kafka supports it; the embedded Tansu broker refuses it."
    )
    session_timeout_ms: int = Field(
        default=10_000,
        ge=1_000,
        le=300_000,
        description="Consumer group session: a member silent this long loses its partitions "
        "to the others. Heartbeats go every third of it. Tansu answers a member's join after "
        "half of it, so it is also how long a service takes to start consuming there.",
    )
    max_message_bytes: int = Field(
        default=MAX_MESSAGE_BYTES,
        ge=65_536,
        description="Largest record produced (the topics' max.message.bytes); an event must "
        "fit in it with room for the DLQ headers, or its request is refused with a 422.",
    )

    @property
    def max_event_bytes(self) -> int:
        return self.max_message_bytes - DLQ_HEADROOM_BYTES

    @model_validator(mode="after")
    def _sasl_needs_credentials(self) -> Self:
        if self.security_protocol.startswith("SASL"):
            if not self.sasl_mechanism:
                raise ValueError("KAFKA_SASL_MECHANISM is required with SASL")
            if not self.sasl_username or self.sasl_password is None:
                raise ValueError(
                    "KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD are required with SASL"
                )
        return self


class MongoSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="MONGODB_", extra="ignore")

    uri: SecretStr = Field(
        default=SecretStr(DEFAULT_MONGO), description="MongoDB connection string (secret)."
    )
    database: str | None = Field(
        default=None, description="Database name (default: mentornet_<service>)."
    )
    tls_ca_file: str | None = Field(default=None, description="CA bundle for MongoDB's TLS.")

    @field_validator("uri")
    @classmethod
    def _parsable(cls, value: SecretStr) -> SecretStr:
        try:
            parse_uri(value.get_secret_value(), validate=True, warn=True)
        except (InvalidURI, ConfigurationError, ValueError) as exc:
            raise ValueError(f"not a MongoDB URI ({exc})") from None
        return value


class ServiceSettings(BaseSettings):
    """Base of every service's settings; subclasses set `env_prefix`."""

    model_config = SettingsConfigDict(env_prefix="MENTORNET_", extra="ignore")

    environment: Environment = Field(
        default=Environment.DEVELOPMENT,
        description="development or production (production demands explicit secrets).",
    )
    http_host: str = Field(default="127.0.0.1", description="Address the HTTP server binds.")
    http_port: int = Field(default=8100, ge=0, le=65535, description="HTTP port.")
    http_keep_alive_s: int = Field(
        default=75,
        gt=0,
        le=3600,
        description="How long an idle client connection stays open. Longer than the idle "
        "timeout of the load balancers and clients in front (60 s is common), so the server "
        "never closes a connection a client is just reusing: that request would fail with "
        "'server disconnected'.",
    )
    log_level: str = Field(default="INFO", description="DEBUG, INFO, WARNING or ERROR.")
    max_attempts: int = Field(
        default=5, ge=1, le=100, description="Tries of a failing event before the DLQ."
    )
    retry_backoff_ms: int = Field(default=200, ge=0, description="First retry pause.")
    retry_backoff_max_ms: int = Field(default=10_000, ge=0, description="Longest retry pause.")
    shutdown_timeout_s: float = Field(
        default=20.0, gt=0, description="How long SIGTERM waits for in-flight work."
    )
    relay_interval_ms: int = Field(
        default=500, ge=10, description="Outbox relay poll when no write wakes it."
    )
    relay_idle_max_ms: int = Field(
        default=5000,
        ge=10,
        description="Longest outbox relay poll while it finds nothing to send: the poll "
        "doubles from relay_interval_ms up to this (never below it). Entries left by a "
        "crashed replica wait on an idle one up to this plus 2 s.",
    )
    park_max_seconds: float = Field(
        default=900.0, gt=0, description="How long a parked record may wait before the DLQ."
    )
    park_retry_max_ms: int = Field(
        default=30_000, ge=10, description="Longest pause between tries of a parked record."
    )
    relay_max_attempts: int = Field(
        default=8,
        ge=1,
        le=1000,
        description="Tries of an outbox record the broker refuses before it is poisoned.",
    )
    relay_backoff_ms: int = Field(
        default=1000, ge=10, description="First pause before an outbox record is tried again."
    )
    relay_backoff_max_ms: int = Field(
        default=60_000, ge=10, description="Longest pause between tries of an outbox record."
    )
    max_rewinds: int = Field(
        default=3,
        ge=1,
        le=100,
        description="Times a batch is delivered again for the same record before that record "
        "is set aside to the DLQ.",
    )
    stall_after_s: float = Field(
        default=300.0,
        gt=0,
        description="Health reports the relay or a partition stuck when it has not moved "
        "for this long.",
    )
    max_body_bytes: int = Field(default=1_048_576, ge=1024, description="HTTP body limit.")
    idempotency_ttl_hours: float = Field(
        default=24.0, gt=0, description="How long a POST's answer is kept for replays."
    )
    consumer_group: str | None = Field(
        default=None, description="Kafka consumer group; defaults to mentornet-<service>."
    )
    simulated_clock_file: Path | None = Field(
        default=None,
        description="Development only: a shared clock file (offset in seconds) a demo moves.",
    )
    kafka: KafkaSettings = Field(default_factory=KafkaSettings)
    mongo: MongoSettings = Field(default_factory=MongoSettings)
    auth: AuthSettings = Field(default_factory=AuthSettings)

    @model_validator(mode="after")
    def _production_needs_explicit_secrets(self) -> Self:
        if self.environment is Environment.PRODUCTION:
            if "MONGODB_URI" not in _environ():
                raise ValueError("MONGODB_URI must be set in production")
            if "KAFKA_BOOTSTRAP_SERVERS" not in _environ():
                raise ValueError("KAFKA_BOOTSTRAP_SERVERS must be set in production")
            if self.auth.hs256_key is None and self.auth.jwks_url is None:
                raise ValueError("AUTH_JWKS_URL (or AUTH_HS256_KEY) must be set in production")
            if self.simulated_clock_file is not None:
                raise ValueError("a simulated clock is for development, not production")
        return self

    @property
    def production(self) -> bool:
        return self.environment is Environment.PRODUCTION


def _environ() -> dict[str, str]:
    import os

    return dict(os.environ)


S = TypeVar("S", bound=ServiceSettings)


class SettingsError(SystemExit):
    """Raised instead of a traceback: one line naming the variable and the reason."""


def load_settings(cls: type[S], service: str) -> S:
    """The service's settings from the environment (a setting's `_FILE` variable read
    into it: secret_files.py), the OTEL_* variables checked too."""
    try:
        exporting(os.environ)
        read_secret_files(cls, os.environ)
        return cls()
    except ValidationError as exc:
        raise SettingsError(
            f"mentornet-{service}: refusing to start: {describe(exc, cls)}"
        ) from None
    except (TracingSettingsError, SecretFileError) as exc:
        raise SettingsError(f"mentornet-{service}: refusing to start: {exc}") from None


def describe(exc: ValidationError, cls: type[ServiceSettings]) -> str:
    """Name the environment variable behind the first error, e.g. MONGODB_URI."""
    error = exc.errors()[0]
    loc = [str(part) for part in error["loc"]]
    nested: dict[str, type[BaseSettings]] = {
        "kafka": KafkaSettings,
        "mongo": MongoSettings,
        "auth": AuthSettings,
    }
    source: type[BaseSettings] = cls
    by_title = {s.__name__: s for s in nested.values()}
    if exc.title in by_title:
        source = by_title[exc.title]
    elif loc and loc[0] in nested:
        source, loc = nested[loc[0]], loc[1:]
    prefix = str(source.model_config.get("env_prefix", ""))
    name = (prefix + "_".join(loc)).upper() if loc else prefix.rstrip("_") or "settings"
    message = str(error["msg"]).removeprefix("Value error, ")
    return f"{name}: {message}"
