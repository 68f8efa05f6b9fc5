"""Where bearer tokens are verified: `AUTH_*` environment variables."""

from __future__ import annotations

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class AuthSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="AUTH_", extra="ignore")

    hs256_key: SecretStr | None = Field(default=None, description="Shared key for HS256 tokens.")
    jwks_url: str | None = Field(default=None, description="OIDC JWKS URL for RS/ES tokens.")
    issuer: str | None = Field(default=None, description="Required `iss` claim, if set.")
    audience: str | None = Field(default=None, description="Required `aud` claim, if set.")
    leeway_s: int = Field(default=30, ge=0, le=600, description="Clock skew allowed, seconds.")

    @field_validator("hs256_key")
    @classmethod
    def _long_enough(cls, key: SecretStr | None) -> SecretStr | None:
        if key is not None and len(key.get_secret_value().encode()) < 32:
            raise ValueError("an HS256 key needs at least 32 bytes (RFC 7518 3.2)")
        return key
