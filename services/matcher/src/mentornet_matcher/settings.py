from mentornet_chassis.settings import ServiceSettings
from pydantic_settings import SettingsConfigDict


class MatcherSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="MENTORNET_MATCHER_", extra="ignore")

    http_port: int = 8102
