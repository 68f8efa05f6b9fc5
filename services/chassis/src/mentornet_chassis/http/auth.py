"""Bearer JWT authentication and role checks shared by every service's HTTP API.

Locally tokens are signed with an HS256 key from settings (`mentornet token` mints
them); in production they come from an OIDC provider and are verified against its
JWKS, with its issuer and audience required. Claims used (docs/security.md):
`sub` (the person), `roles` (coordinator, reviewer, sponsor, taxonomy_curator, service; mentor
and mentee are accepted but grant nothing: being someone's mentor is a fact about a
match, not a claim), `programs` (the programs every scoped role in `roles` applies to)
and `program_roles` (a map from a program to the scoped roles held there only).
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import jwt

from mentornet_chassis.errors import Refusal, Unauthorized
from mentornet_chassis.http.authsettings import AuthSettings

DEV_KEY = "mentornet-local-development-key-not-for-production"


class Role(StrEnum):
    COORDINATOR = "coordinator"
    MENTOR = "mentor"
    MENTEE = "mentee"
    SERVICE = "service"
    REVIEWER = "reviewer"
    """A QA reviewer: reads sessions' feedback and reports, scores samples."""
    TAXONOMY_CURATOR = "taxonomy_curator"
    """Adds, renames and deprecates skills in the network-wide taxonomy."""
    SPONSOR = "sponsor"
    """An executive sponsor: reads the dashboards and figures of the programs in their
    scope, nothing else."""


SCOPED = (Role.COORDINATOR, Role.REVIEWER, Role.SPONSOR)
"""Roles that hold only in the programs a token names."""


@dataclass(frozen=True)
class Principal:
    subject: str
    roles: frozenset[Role]
    programs: frozenset[str] = frozenset()
    """Programs where every scoped role in `roles` holds."""
    program_roles: tuple[tuple[str, Role], ...] = ()
    """(program, role) pairs held in that program only."""
    enrolments: frozenset[str] = frozenset()
    """The caller's enrolments (participant ids, one per program), found by the guard."""
    verified_email: str | None = None
    """The token's `email`, when its `email_verified` is true."""

    @property
    def ids(self) -> frozenset[str]:
        """Every id naming the caller: their subject (the person) and their enrolments."""
        return self.enrolments | {self.subject}

    def one_of(self, *participant_ids: str) -> str | None:
        """Which of these enrolments is the caller's, if any."""
        return next((p for p in participant_ids if p in self.ids), None)

    def has(self, *roles: Role) -> bool:
        return bool(self.roles.intersection(roles)) or any(
            role in roles for _, role in self.program_roles
        )

    def is_self(self, participant_id: str) -> bool:
        return participant_id in self.ids

    def holds(self, role: Role, program_id: str) -> bool:
        """`role` in this program: granted for all the token's `programs`, or for it alone."""
        if role in self.roles and program_id in self.programs:
            return True
        return (program_id, role) in self.program_roles

    def runs(self, program_id: str) -> bool:
        return self.holds(Role.COORDINATOR, program_id)

    def reviews(self, program_id: str) -> bool:
        """A QA reviewer of this program."""
        return self.holds(Role.REVIEWER, program_id)

    def scope(self, role: Role) -> frozenset[str]:
        """Every program where `role` holds."""
        named = frozenset(p for p, r in self.program_roles if r == role)
        return (self.programs if role in self.roles else frozenset()) | named


class TokenVerifier:
    def __init__(self, settings: AuthSettings, *, production: bool) -> None:
        if production and settings.hs256_key is None and settings.jwks_url is None:
            raise ValueError("AUTH_JWKS_URL or AUTH_HS256_KEY must be set in production")
        if production and settings.jwks_url and not (settings.issuer and settings.audience):
            raise ValueError(
                "AUTH_ISSUER and AUTH_AUDIENCE must be set with AUTH_JWKS_URL in production:"
                " without them a token from any issuer, for any audience, is accepted"
            )
        self.settings = settings
        self.key = settings.hs256_key.get_secret_value() if settings.hs256_key else DEV_KEY
        self.jwks = jwt.PyJWKClient(settings.jwks_url) if settings.jwks_url else None

    async def verify(self, token: str) -> Principal:
        try:
            claims = await self._claims(token)
        except jwt.ExpiredSignatureError:
            raise Unauthorized("Authorization", "token expired") from None
        except (jwt.InvalidTokenError, jwt.PyJWKClientError) as exc:
            raise Unauthorized("Authorization", f"invalid token: {exc}") from None
        return _principal(claims)

    async def subject_of(self, authorization: str) -> str | None:
        """The verified subject of an Authorization header; None if there is none."""
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() != "bearer" or not token:
            return None
        try:
            return (await self.verify(token.strip())).subject
        except Refusal:
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


def _roles(raw: Any, claim: str) -> frozenset[Role]:
    if not isinstance(raw, list):
        raise Unauthorized("Authorization", f"claim {claim} must be a list")
    try:
        return frozenset(Role(r) for r in raw)
    except ValueError:
        raise Unauthorized("Authorization", f"unknown role in {claim}: {raw!r}") from None


def _program_roles(raw: Any) -> tuple[tuple[str, Role], ...]:
    if not isinstance(raw, dict):
        raise Unauthorized(
            "Authorization", "claim program_roles must map a program to a list of roles"
        )
    pairs = []
    for program, roles in raw.items():
        for role in _roles(roles, f"program_roles.{program}"):
            if role not in SCOPED:
                raise Unauthorized(
                    "Authorization", f"claim program_roles.{program}: {role} is not a scoped role"
                )
            pairs.append((str(program), role))
    return tuple(sorted(pairs))


def _principal(claims: dict[str, Any]) -> Principal:
    programs = claims.get("programs", [])
    if not isinstance(programs, list):
        raise Unauthorized("Authorization", "claim programs must be a list")
    return Principal(
        subject=str(claims["sub"]),
        roles=_roles(claims.get("roles", []), "roles"),
        programs=frozenset(str(p) for p in programs),
        program_roles=_program_roles(claims.get("program_roles", {})),
        verified_email=_verified_email(claims),
    )


def _verified_email(claims: dict[str, Any]) -> str | None:
    email = claims.get("email")
    if claims.get("email_verified") is True and isinstance(email, str) and email:
        return email.strip().lower()
    return None


def mint(
    key: str,
    subject: str,
    roles: list[str],
    *,
    programs: list[str] | None = None,
    ttl_s: int = 3600,
    issuer: str | None = None,
    audience: str | None = None,
    program_roles: dict[str, list[str]] | None = None,
    verified_email: str | None = None,
) -> str:
    """An HS256 token for local use and tests."""
    now = int(time.time())
    claims: dict[str, Any] = {"sub": subject, "roles": roles, "iat": now, "exp": now + ttl_s}
    if programs:
        claims["programs"] = programs
    if program_roles:
        claims["program_roles"] = program_roles
    if verified_email:
        claims.update(email=verified_email, email_verified=True)
    if issuer:
        claims["iss"] = issuer
    if audience:
        claims["aud"] = audience
    return jwt.encode(claims, key, algorithm="HS256")
