from mentornet_chassis.process.settings import ServiceSettings
from pydantic import Field
from pydantic_settings import SettingsConfigDict


class FeedbackSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="MENTORNET_FEEDBACK_", extra="ignore")

    http_port: int = 8104
    due_after_days: float = Field(default=3.0, gt=0, description="Days a survey is open for.")
    edit_window_hours: float = Field(
        default=48.0, ge=0, description="Hours after the first answer that it can be edited."
    )
    close_after_days: float = Field(
        default=14.0, ge=0, description="Days after the due date that late answers are taken."
    )
    timer_poll_seconds: float = Field(default=5.0, gt=0, description="How often reminders run.")
