from pydantic_settings import SettingsConfigDict

from mentornet_chassis.settings import ServiceSettings


class FeedbackSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="MENTORNET_FEEDBACK_", extra="ignore")

    http_port: int = 8104
