from mentornet_chassis.settings import ServiceSettings
from pydantic_settings import SettingsConfigDict


class QaSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="MENTORNET_QA_", extra="ignore")

    http_port: int = 8105
