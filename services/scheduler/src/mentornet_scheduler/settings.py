from typing import Self

from mentornet_chassis.process.settings import ServiceSettings
from pydantic import Field, SecretStr, model_validator
from pydantic_settings import SettingsConfigDict


class SchedulerSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="MENTORNET_SCHEDULER_", extra="ignore")

    http_port: int = 8103
    reminder_offsets_minutes: list[int] = Field(
        default=[1440, 60], description="Reminders before each session, in minutes (JSON list)."
    )
    attendance_prompt_hours: float = Field(
        default=2.0, ge=0, description="Hours after a session's end to prompt for attendance."
    )
    attendance_deadline_hours: float = Field(
        default=72.0, gt=0, description="Hours after a session's end to count it missed."
    )
    buffer_minutes: int = Field(default=15, ge=0, le=240, description="Gap kept between sessions.")
    booking_lead_hours: float = Field(
        default=24.0, ge=0, description="The earliest a new booking may start, from now."
    )
    cohort_settle_hours: float = Field(
        default=48.0, ge=0, description="How long a cohort gathers members before its slot is set."
    )
    timer_poll_seconds: float = Field(
        default=5.0, gt=0, description="How often timers are checked."
    )
    booking_retry_seconds: float = Field(
        default=60.0, gt=0, description="Retry for a booking waiting on calendars or the program."
    )
    feed_key: SecretStr | None = Field(
        default=None,
        description="Signs calendar feed URLs; its own key, never the token key (required"
        " in production; rotating it revokes every feed URL).",
    )
    feed_link_days: int = Field(
        default=365, ge=1, le=3650, description="How long a calendar feed URL works."
    )
    public_url: str = Field(
        default="http://127.0.0.1:8103", description="Base URL calendar feeds are served under."
    )

    @model_validator(mode="after")
    def _feeds_need_a_key_in_production(self) -> Self:
        if self.production and self.feed_key is None:
            raise ValueError("MENTORNET_SCHEDULER_FEED_KEY must be set in production")
        return self
