"""The notifier's settings (`MENTORNET_NOTIFIER_*`)."""

from typing import Self

from mentornet_chassis.process.settings import ServiceSettings
from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import SettingsConfigDict

BACKSTOP = 3
"""A send may run this many send timeouts (an SMTP exchange waits for several replies)."""


class NotifierSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="MENTORNET_NOTIFIER_", extra="ignore")

    http_port: int = 8106
    email_url: str | None = Field(
        default=None,
        description="Apprise SMTP URL without `to`, e.g. `mailtos://relay:587?user=u&pass=p`"
        " (none: e-mail is off; messages are recorded `skipped`, never sent).",
    )
    webhook_url: str | None = Field(
        default=None,
        max_length=2000,
        pattern=r"^https?://",
        description="The deployment's webhook (a chat bridge or an integration endpoint):"
        " one JSON POST per message to people who turned the webhook channel on (none: the"
        " channel is off). A 4xx answer is a dead letter; 5xx and timeouts are retried.",
    )
    webhook_secret: SecretStr | None = Field(
        default=None,
        description="Signs every webhook POST (X-MentorNet-Signature: t=<unix>,v1=<HMAC-SHA256"
        " of t.body>); required in production when the webhook is on.",
    )
    sender: str = Field(
        default="noreply@mentornet.local", max_length=254, description="The From address."
    )
    max_attempts: int = Field(default=6, ge=1, le=100, description="Tries before a dead letter.")
    backoff_base_seconds: float = Field(
        default=30.0, gt=0, description="First retry delay; doubles with every failure."
    )
    backoff_cap_seconds: float = Field(default=3600.0, gt=0, description="Longest retry delay.")
    lease_seconds: float = Field(
        default=120.0,
        gt=0,
        description="How long a send holds its delivery before a retry (more than 3 send"
        " timeouts).",
    )
    poll_seconds: float = Field(default=5.0, gt=0, description="How often due deliveries run.")
    send_concurrency: int = Field(
        default=4,
        ge=1,
        le=64,
        description="Messages a replica sends at once (each under its own lease); a crash"
        " can send each of them once more.",
    )
    send_timeout_seconds: float = Field(
        default=30.0,
        gt=0,
        description="A send's time limit: the webhook's answer, or each step of an SMTP"
        " exchange (connect, then each reply).",
    )
    quiet_start: str | None = Field(
        default=None, pattern=r"^([01]\d|2[0-3]):[0-5]\d$", description="Default quiet start."
    )
    quiet_end: str | None = Field(
        default=None, pattern=r"^([01]\d|2[0-3]):[0-5]\d$", description="Default quiet end."
    )
    intake_url: str = Field(
        default="http://127.0.0.1:8101", description="Intake's base URL (contact lookup)."
    )
    intake_token: SecretStr | None = Field(
        default=None,
        description="Bearer token with the service role for intake (with an OIDC provider);"
        " unset: minted with AUTH_HS256_KEY (or the development key).",
    )
    unsubscribe_key: SecretStr | None = Field(
        default=None,
        description="Signs unsubscribe links; its own key, never the token key (required in"
        " production; rotating it revokes every link).",
    )
    unsubscribe_link_days: float = Field(default=90.0, gt=0, description="How long a link works.")
    public_url: str = Field(
        default="http://127.0.0.1:8106", description="Base of unsubscribe links."
    )

    @field_validator("email_url", "webhook_url", "webhook_secret", mode="before")
    @classmethod
    def _empty_is_unset(cls, value: object) -> object:
        """Compose passes an optional variable nobody set as an empty string."""
        return None if value == "" else value

    @model_validator(mode="after")
    def _a_lease_outlasts_a_send(self) -> Self:
        """A lease shorter than a send could end while the send is still running, and
        another replica would send the same message again."""
        if self.lease_seconds <= self.send_timeout_seconds * BACKSTOP:
            raise ValueError(
                f"MENTORNET_NOTIFIER_LEASE_SECONDS must be longer than {BACKSTOP} times"
                " MENTORNET_NOTIFIER_SEND_TIMEOUT_SECONDS (a send's longest run)"
            )
        return self

    @model_validator(mode="after")
    def _links_need_a_secret_in_production(self) -> Self:
        if self.production and self.unsubscribe_key is None:
            raise ValueError("MENTORNET_NOTIFIER_UNSUBSCRIBE_KEY must be set in production")
        if self.production and self.webhook_url and self.webhook_secret is None:
            raise ValueError(
                "MENTORNET_NOTIFIER_WEBHOOK_SECRET must be set in production with a webhook"
            )
        return self
