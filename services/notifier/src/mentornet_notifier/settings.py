"""The notifier's settings (`MENTORNET_NOTIFIER_*`)."""

from typing import Self

from mentornet_chassis.process.settings import ServiceSettings
from pydantic import Field, SecretStr, model_validator
from pydantic_settings import SettingsConfigDict


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
    sender: str = Field(
        default="noreply@mentornet.local", max_length=254, description="The From address."
    )
    max_attempts: int = Field(default=6, ge=1, le=100, description="Tries before a dead letter.")
    backoff_base_seconds: float = Field(
        default=30.0, gt=0, description="First retry delay; doubles with every failure."
    )
    backoff_cap_seconds: float = Field(default=3600.0, gt=0, description="Longest retry delay.")
    lease_seconds: float = Field(
        default=120.0, gt=0, description="How long a send holds its delivery before a retry."
    )
    poll_seconds: float = Field(default=5.0, gt=0, description="How often due deliveries run.")
    send_timeout_seconds: float = Field(
        default=30.0, gt=0, description="One send's limit (SMTP or webhook)."
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

    @model_validator(mode="after")
    def _links_need_a_secret_in_production(self) -> Self:
        if self.production and self.unsubscribe_key is None:
            raise ValueError("MENTORNET_NOTIFIER_UNSUBSCRIBE_KEY must be set in production")
        return self
