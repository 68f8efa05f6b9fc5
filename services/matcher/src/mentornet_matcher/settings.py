from mentornet_chassis.process.settings import ServiceSettings
from pydantic import Field
from pydantic_settings import SettingsConfigDict


class MatcherSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="MENTORNET_MATCHER_", extra="ignore")

    http_port: int = 8102

    batch_poll_seconds: float = Field(
        default=1.0, gt=0, description="How often a replica looks for programs due a batch run."
    )
    batch_schedule_seconds: float = Field(
        default=3600.0, gt=0, description="Every program gets a batch run at least this often."
    )
    timer_poll_seconds: float = Field(
        default=5.0, gt=0, description="How often paused matches due to resume are looked for."
    )
    newcomer_view_ms: int = Field(
        default=500,
        ge=0,
        description="How long placing newcomers reuses what it read of their program (0: never).",
    )
