from mentornet_chassis.settings import ServiceSettings
from pydantic_settings import SettingsConfigDict


class SchedulerSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="MENTORNET_SCHEDULER_", extra="ignore")

    http_port: int = 8103
