from mentornet_chassis.settings import ServiceSettings
from pydantic_settings import SettingsConfigDict


class FeedbackSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="MENTORNET_FEEDBACK_", extra="ignore")

    http_port: int = 8104
