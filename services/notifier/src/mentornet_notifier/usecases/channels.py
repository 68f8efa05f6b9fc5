"""Channels through Apprise: e-mail over SMTP (an Apprise mailto/mailtos URL from the
settings, the recipient's address added as `to` for the one send). Apprise is
synchronous, so each send runs in a thread (asyncio.to_thread) with a time limit.

Every e-mail carries `X-MentorNet-Delivery-Id: <delivery id>`, the same on every try:
the one duplicate a crash between "accepted" and "marked" can cause (usecases/sending.py)
has the same id as the first, so a mail system or an operator can tell it apart."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from urllib.parse import quote

import apprise
from apprise.attachment.memory import AttachMemory

from ..settings import BACKSTOP
from .tls import defer_ca_loading

ICS_NAME = "invite.ics"
ICS_TYPE = "text/calendar"
DELIVERY_HEADER = "X-MentorNet-Delivery-Id"


class SendFailed(Exception):
    def __init__(self, reason: str, *, permanent: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.permanent = permanent


@dataclass(frozen=True)
class Outgoing:
    delivery_id: str
    to: str
    subject: str
    body: str
    ics: str | None


class EmailChannel:
    def __init__(self, url: str | None, sender: str, timeout_s: float) -> None:
        self.url = url
        self.sender = sender
        self.timeout_s = timeout_s
        defer_ca_loading()

    @property
    def on(self) -> bool:
        return self.url is not None

    def _target(self, to: str, delivery_id: str) -> str:
        if self.url is None:
            raise SendFailed("e-mail is off (MENTORNET_NOTIFIER_EMAIL_URL unset)")
        joiner = "&" if "?" in self.url else "?"
        target = f"{self.url}{joiner}to={quote(to, safe='@')}"
        target += f"&+{DELIVERY_HEADER}={quote(delivery_id, safe='')}"
        target += f"&cto={self.timeout_s:g}&rto={self.timeout_s:g}"
        if "from=" not in self.url:
            target += f"&from={quote(self.sender, safe='@')}"
        return target

    def _send(self, message: Outgoing) -> None:
        notifier = apprise.Apprise()
        if not notifier.add(self._target(message.to, message.delivery_id)):
            raise SendFailed("the e-mail URL is not valid for Apprise", permanent=True)
        attach = apprise.AppriseAttachment()
        if message.ics is not None:
            attach.add(
                AttachMemory(  # type: ignore[no-untyped-call]
                    content=message.ics, name=ICS_NAME, mimetype=ICS_TYPE
                )
            )
        with apprise.LogCapture(level=logging.WARNING, fmt="%(message)s") as logs:  # type: ignore[no-untyped-call]
            ok = notifier.notify(
                body=message.body, title=message.subject, attach=attach if message.ics else None
            )
        if not ok:
            said = " ".join(str(logs.getvalue()).replace(message.to, "<recipient>").split())
            said = said[-300:]
            raise SendFailed(f"the SMTP relay refused or failed: {said or 'no reason given'}")

    async def send(self, message: Outgoing) -> None:
        """The SMTP client's own socket timeout (Apprise's `cto`/`rto`, `timeout_s`) ends
        a slow send inside its thread; the outer limit is only a backstop, since a thread
        given up on could still hand the message over after its failure was recorded,
        and the retry would send it a second time."""
        try:
            await asyncio.wait_for(
                asyncio.to_thread(self._send, message), self.timeout_s * BACKSTOP
            )
        except TimeoutError as exc:
            limit = self.timeout_s * BACKSTOP
            raise SendFailed(f"no answer from the SMTP relay in {limit:g} s") from exc
        except SendFailed:
            raise
        except Exception as exc:  # Apprise's own faults count as a failed try, retried
            raise SendFailed(f"{type(exc).__name__}: {exc}"[:300]) from exc
