"""The webhook channel: one JSON POST per message to the deployment's webhook
(MENTORNET_NOTIFIER_WEBHOOK_URL: a chat bridge or an integration endpoint).

Why httpx and not Apprise here (Apprise still carries e-mail): Apprise's JSON
notification (`json://`) answers `notify()` with a bare True/False; the status code
only appears in a log line and the receiver's answer only at DEBUG level, and a
connection error looks the same as a 404. The issue asks for exactly that distinction
(4xx: dead letter with the answer; 5xx and timeouts: retry with backoff), and its
payload is a fixed {version, title, message, type} that cannot carry the recipient's
participant id, kind and source event per message. So this generic JSON webhook is one
httpx POST; what the answer means is decided in domain/webhook.py.

Each send opens its own client (closed after the one POST): webhook messages are few
and the service has no shutdown hook to close a shared one. The `Idempotency-Key`
header is the delivery id, the same on every retry, so a receiver can drop the
duplicate a crash between "accepted" and "marked" can cause (usecases/sending.py). With
a secret (MENTORNET_NOTIFIER_WEBHOOK_SECRET), `X-MentorNet-Signature` signs the time and
the exact body (domain/webhook.signature), so the receiver knows the message is ours."""

from __future__ import annotations

import asyncio
import time

import httpx

from ..domain import webhook
from ..domain.documents import Delivery
from .channels import SendFailed

MAX_READ = 4096
"""Bytes of the receiver's answer read (only the first 200 characters are kept)."""


class WebhookChannel:
    def __init__(self, url: str | None, timeout_s: float, secret: bytes | None = None) -> None:
        self.url = url
        self.timeout_s = timeout_s
        self.secret = secret

    @property
    def on(self) -> bool:
        return self.url is not None

    async def _post(self, url: str, entry: Delivery) -> webhook.Refusal | None:
        content = webhook.body(entry)
        headers = {"Idempotency-Key": entry["delivery_id"], "Content-Type": "application/json"}
        if self.secret is not None:
            headers[webhook.SIGNATURE_HEADER] = webhook.signature(
                self.secret, int(time.time()), content
            )
        async with (
            httpx.AsyncClient(timeout=self.timeout_s, follow_redirects=False) as client,
            client.stream("POST", url, content=content, headers=headers) as answer,
        ):
            text = b""
            async for chunk in answer.aiter_bytes():
                text += chunk
                if len(text) >= MAX_READ:
                    break
            return webhook.answered(answer.status_code, text[:MAX_READ].decode(errors="replace"))

    async def send(self, entry: Delivery) -> None:
        if self.url is None:
            raise SendFailed("the webhook is off (MENTORNET_NOTIFIER_WEBHOOK_URL unset)")
        try:
            refused = await asyncio.wait_for(self._post(self.url, entry), self.timeout_s)
        except (TimeoutError, httpx.TimeoutException):
            refused = webhook.unanswered(f"no answer in {self.timeout_s:g} s")
        except httpx.HTTPError as exc:
            said = f"{type(exc).__name__}: {exc}".replace(self.url, "<webhook url>")
            refused = webhook.unanswered(said)
        if refused is not None:
            raise SendFailed(refused.reason, permanent=refused.permanent)
