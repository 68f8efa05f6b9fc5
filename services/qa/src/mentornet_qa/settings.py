from typing import Self

from mentornet_chassis.process.settings import ServiceSettings
from pydantic import Field, SecretStr, model_validator
from pydantic_settings import SettingsConfigDict


class QaSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="MENTORNET_QA_", extra="ignore")

    http_port: int = 8105
    timer_poll_seconds: float = Field(default=5.0, gt=0, description="How often timers run.")
    sampling_seed: str = Field(
        default="mentornet", min_length=1, description="Seed of the QA sample (re-runnable)."
    )
    new_mentor_days: int = Field(default=90, ge=0, description="A mentor counts as new this long.")
    double_review_share: float = Field(
        default=0.2, ge=0, le=1, description="Share of samples reviewed twice."
    )
    audit_every_days: float = Field(default=7.0, gt=0, description="Fairness audit period.")
    audit_min_group: int = Field(default=5, ge=2, description="Smaller groups are suppressed.")
    audit_min_ratio: float = Field(
        default=0.8, gt=0, le=1, description="A ratio to the best group under this is flagged."
    )
    dashboard_key: SecretStr | None = Field(
        default=None,
        description="Signs dashboard links; its own key, never the token key (required in"
        " production; rotating it revokes every link).",
    )
    dashboard_link_hours: float = Field(default=12.0, gt=0, description="How long a link works.")
    public_url: str = Field(default="http://127.0.0.1:8105", description="Base of dashboard links.")

    @model_validator(mode="after")
    def _links_need_a_secret_in_production(self) -> Self:
        if self.production and self.dashboard_key is None:
            raise ValueError("MENTORNET_QA_DASHBOARD_KEY must be set in production")
        return self
