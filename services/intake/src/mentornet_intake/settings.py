from mentornet_chassis.settings import ServiceSettings
from pydantic_settings import SettingsConfigDict


class IntakeSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="MENTORNET_INTAKE_", extra="ignore")

    http_port: int = 8101
