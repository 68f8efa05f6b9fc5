"""Bearer JWT authentication and role checks shared by every service's HTTP API.

Locally tokens are signed with an HS256 key from settings (`mentornet token` mints
them); in production they come from an OIDC provider and are verified against its
JWKS. Claims used: `sub`, `roles` (coordinator, mentor, mentee, service, reviewer), and
for coordinators and reviewers `programs` (the programs they run or review).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import jwt
from fastapi import Depends, Request

from .authsettings import AuthSettings
from .http import ApiError

DEV_KEY = "mentornet-local-development-key-not-for-production"


class Role(StrEnum):
    COORDINATOR = "coordinator"
    MENTOR = "mentor"
    MENTEE = "mentee"
    SERVICE = "service"
    REVIEWER = "reviewer"
    """A QA reviewer: reads sessions' feedback and reports, scores samples."""


@dataclass(frozen=True)
class Principal:
    subject: str
    roles: frozenset[Role]
    programs: frozenset[str] = frozenset()

    def has(self, *roles: Role) -> bool:
        return bool(self.roles.intersection(roles))

    def is_self(self, participant_id: str) -> bool:
        return self.subject == participant_id

    def runs(self, program_id: str) -> bool:
        return self.has(Role.COORDINATOR) and program_id in self.programs

    def reviews(self, program_id: str) -> bool:
        """A QA reviewer of this program (its id in the token's `programs`)."""
        return self.has(Role.REVIEWER) and program_id in self.programs


def unauthorized(reason: str) -> ApiError:
    return ApiError(401, "unauthorized", "Authorization", reason)


def forbidden(reason: str) -> ApiError:
    return ApiError(403, "forbidden", "Authorization", reason)


class TokenVerifier:
    def __init__(self, settings: AuthSettings, *, production: bool) -> None:
        if production and settings.hs256_key is None and settings.jwks_url is None:
            raise ValueError("AUTH_JWKS_URL or AUTH_HS256_KEY must be set in production")
        self.settings = settings
        self.key = settings.hs256_key.get_secret_value() if settings.hs256_key else DEV_KEY
        self.jwks = jwt.PyJWKClient(settings.jwks_url) if settings.jwks_url else None

    async def verify(self, token: str) -> Principal:
        try:
            claims = await self._claims(token)
        except jwt.ExpiredSignatureError:
            raise unauthorized("token expired") from None
        except (jwt.InvalidTokenError, jwt.PyJWKClientError) as exc:
            raise unauthorized(f"invalid token: {exc}") from None
        return _principal(claims)

    async def subject_of(self, authorization: str) -> str | None:
        """The verified subject of an Authorization header; None if there is none."""
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() != "bearer" or not token:
            return None
        try:
            return (await self.verify(token.strip())).subject
        except ApiError:
            return None

    async def _claims(self, token: str) -> dict[str, Any]:
        options = {"require": ["sub", "exp"]}
        common: dict[str, Any] = {
            "issuer": self.settings.issuer,
            "leeway": self.settings.leeway_s,
            "options": options,
        }
        if self.settings.audience:
            common["audience"] = self.settings.audience
        else:
            options["verify_aud"] = False  # type: ignore[assignment]
        if self.jwks is not None:
            signing_key = await asyncio.to_thread(self.jwks.get_signing_key_from_jwt, token)
            return dict(jwt.decode(token, signing_key.key, algorithms=["RS256", "ES256"], **common))
        return dict(jwt.decode(token, self.key, algorithms=["HS256"], **common))


def _principal(claims: dict[str, Any]) -> Principal:
    raw_roles = claims.get("roles", [])
    if not isinstance(raw_roles, list):
        raise unauthorized("claim roles must be a list")
    try:
        roles = frozenset(Role(r) for r in raw_roles)
    except ValueError:
        raise unauthorized(f"unknown role in {raw_roles!r}") from None
    programs = claims.get("programs", [])
    if not isinstance(programs, list):
        raise unauthorized("claim programs must be a list")
    return Principal(
        subject=str(claims["sub"]), roles=roles, programs=frozenset(str(p) for p in programs)
    )


def mint(
    key: str,
    subject: str,
    roles: list[str],
    *,
    programs: list[str] | None = None,
    ttl_s: int = 3600,
    issuer: str | None = None,
) -> str:
    """An HS256 token for local use and tests."""
    now = int(time.time())
    claims: dict[str, Any] = {"sub": subject, "roles": roles, "iat": now, "exp": now + ttl_s}
    if programs:
        claims["programs"] = programs
    if issuer:
        claims["iss"] = issuer
    return jwt.encode(claims, key, algorithm="HS256")


def authenticator(verifier: TokenVerifier) -> Callable[[Request], Awaitable[Principal]]:
    """A FastAPI dependency giving the caller's Principal, or 401."""

    async def principal(request: Request) -> Principal:
        header = request.headers.get("Authorization", "")
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token:
            raise unauthorized("send a bearer token: Authorization: Bearer <jwt>")
        return await verifier.verify(token.strip())

    return principal


def requiring(current: Callable[[Request], Awaitable[Principal]], *roles: Role) -> Any:
    """`principal: Principal = requiring(current, Role.COORDINATOR)`: 401, then 403."""

    async def check(request: Request) -> Principal:
        principal = await current(request)
        if not principal.has(*roles):
            raise forbidden(f"needs role {' or '.join(roles)}")
        return principal

    return Depends(check)
