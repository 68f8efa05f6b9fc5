from mentornet_chassis.settings import ServiceSettings
from pydantic_settings import SettingsConfigDict


class MatcherSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="MENTORNET_MATCHER_", extra="ignore")

    http_port: int = 8102

    batch_poll_seconds: float = 1.0
    """How often a replica looks for programs that asked for a batch run."""
    batch_schedule_seconds: float = 3600.0
    """Every program gets a batch run at least this often."""
