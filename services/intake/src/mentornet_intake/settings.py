from mentornet_chassis.process.settings import ServiceSettings
from pydantic import Field
from pydantic_settings import SettingsConfigDict


class IntakeSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="MENTORNET_INTAKE_", extra="ignore")

    http_port: int = 8101
    max_import_bytes: int = Field(
        default=32 * 1_048_576, ge=1024, description="Body limit for import-job uploads."
    )
