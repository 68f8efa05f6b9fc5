"""Where a person's address comes from: intake, asked at send time over its internal
API (GET /internal/participants/{participant_id}/contact) with a service token. The
notifier keeps no address: it holds the answer for the one send and forgets it.

The token: no other service calls another over HTTP, so there is no shared client to
reuse; the composition root gives a `token()` callable: the configured service token
(MENTORNET_NOTIFIER_INTAKE_TOKEN, with an OIDC provider), else one minted with the
service role under AUTH_HS256_KEY (or the development key locally)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote

import httpx

CONTACT_PATH = "/internal/participants/{participant_id}/contact"


@dataclass(frozen=True)
class Contact:
    participant_id: str
    email: str | None
    display_name: str | None
    time_zone: str | None


class ContactUnavailable(Exception):
    """Intake did not answer usefully (down, 5xx, refused): try again later."""


class Contacts:
    def __init__(self, base_url: str, token: Callable[[], str], timeout_s: float = 10.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.timeout_s = timeout_s
        self._client: httpx.AsyncClient | None = None

    def _http(self) -> httpx.AsyncClient:
        if self._client is None:
            self._client = httpx.AsyncClient(base_url=self.base_url, timeout=self.timeout_s)
        return self._client

    async def lookup(self, participant_id: str) -> Contact | None:
        """The person's contact, or None when intake knows none (unknown or erased)."""
        path = CONTACT_PATH.format(participant_id=quote(participant_id, safe=""))
        headers = {"Authorization": f"Bearer {self.token()}"}
        try:
            answer = await self._http().get(path, headers=headers)
        except httpx.HTTPError as exc:
            raise ContactUnavailable(f"intake unreachable: {exc!r}") from exc
        if answer.status_code == 404:
            return None
        if answer.status_code != 200:
            raise ContactUnavailable(f"intake answered {answer.status_code}")
        found = answer.json()
        return Contact(
            participant_id=participant_id,
            email=found.get("email"),
            display_name=found.get("display_name"),
            time_zone=found.get("time_zone"),
        )

    async def close(self) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None
