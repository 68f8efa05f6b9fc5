"""Idempotency-Key on every POST: the first request with a key runs; repeats get its
answer (status, content type and body), so a client may retry any POST safely.

Keys are scoped to the verified caller and the route. A repeat with a different body
is refused (422), a repeat while the first is still running gets 409, and a first
attempt that failed (an error status or an exception) releases the key so the client
can retry. A running request holds its key on a lease it renews; a process that dies
mid-request (SIGKILL, OOM, a lost node) stops renewing, and once the lease lapses a
repeat runs as a first request instead of getting 409 until the TTL. Applied to every
service's HTTP app as ASGI middleware.

Answers are kept for `ttl` (default 24 hours) and then purged, so personal data in a
response (an answer, a report) does not outlive its use for retries: an erasure
leaves nothing behind here for longer than that.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from mentornet_chassis.errors import Conflict, Invalid, Refusal
from mentornet_chassis.http.answers import IdempotencyStore
from mentornet_chassis.http.bodylimit import Message, Scope
from mentornet_chassis.store.mongo import Document

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 200
Subject = Callable[[str], Awaitable[str | None]]
"""The verified subject of an Authorization header, or None (the route answers 401)."""


def _refusal(previous: Document, fingerprint: str) -> Refusal | None:
    if previous["state"] == "released":
        return Conflict(HEADER, "the first request with this key failed; retry")
    if previous["fingerprint"] != fingerprint:
        return Invalid(HEADER, "this key was already used with a different body")
    if previous["state"] != "done":
        return Conflict(HEADER, "a request with this key is still running")
    return None


class Idempotency:
    """ASGI middleware, inside BodyLimit (which caps what it buffers)."""

    def __init__(self, app: Any, store: IdempotencyStore, subject: Subject) -> None:
        self.app = app
        self.store = store
        self.subject = subject
        self.holding: set[asyncio.Task[None]] = set()
        """The renewals running, referenced until they end."""

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        headers = dict(scope.get("headers") or ()) if scope["type"] == "http" else {}
        key = headers.get(HEADER.lower().encode())
        if scope["type"] != "http" or scope["method"] != "POST" or key is None:
            await self.app(scope, receive, send)
            return
        if not 0 < len(key) <= MAX_KEY_LENGTH:
            await _send_error(send, Invalid(HEADER, "1 to 200 chars"))
            return
        who = await self.subject(headers.get(b"authorization", b"").decode("latin-1"))
        if who is None:
            await self.app(scope, receive, send)
            return
        body, replay = await _buffered(receive)
        fingerprint = hashlib.sha256(body).hexdigest()
        doc_id = f"{who}|POST {scope['path']}|{key.decode('latin-1')}"
        holder = uuid.uuid4().hex
        previous = await self.store.claim(doc_id, fingerprint, holder)
        if previous is not None:
            refusal = _refusal(previous, fingerprint)
            if refusal is not None:
                await _send_error(send, refusal)
            else:
                await _send_answer(send, previous["answer"])
            return
        finished = asyncio.Event()
        holding = asyncio.create_task(self.store.hold(doc_id, holder, finished))
        self.holding.add(holding)
        holding.add_done_callback(self.holding.discard)
        try:
            await self._run(scope, replay, send, doc_id, fingerprint, holder)
        finally:
            finished.set()

    async def _run(
        self, scope: Scope, receive: Any, send: Any, doc_id: str, print_: str, holder: str
    ) -> None:
        answer: dict[str, Any] = {"status": 500, "headers": [], "body": ""}
        chunks: list[bytes] = []

        async def recording(message: Message) -> None:
            if message["type"] == "http.response.start":
                answer["status"] = message["status"]
                answer["headers"] = [
                    [n.decode("latin-1"), v.decode("latin-1")]
                    for n, v in message.get("headers", [])
                    if n.lower() in (b"content-type", b"location")
                ]
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, receive, recording)
        except BaseException:
            await self.store.release(doc_id, holder)
            raise
        text = b"".join(chunks).decode("utf-8", "replace")
        if 200 <= answer["status"] < 300:
            await self.store.done(doc_id, print_, {**answer, "body": text}, holder)
        else:
            await self.store.release(doc_id, holder)


async def _buffered(receive: Any) -> tuple[bytes, Callable[[], Awaitable[Message]]]:
    """Read the whole body (BodyLimit, outside this middleware, caps it) and a receive
    that hands it to the app again."""
    parts: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        parts.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    body = b"".join(parts)
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if sent:
            message: Message = await receive()
            return message
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return body, replay


async def _send_answer(send: Any, answer: dict[str, Any]) -> None:
    body = str(answer["body"]).encode()
    headers = [[str(n).encode("latin-1"), str(v).encode("latin-1")] for n, v in answer["headers"]]
    headers.append([b"content-length", str(len(body)).encode()])
    await send({"type": "http.response.start", "status": int(answer["status"]), "headers": headers})
    await send({"type": "http.response.body", "body": body})


async def _send_error(send: Any, error: Refusal) -> None:
    body = json.dumps(error.body).encode()
    await send(
        {
            "type": "http.response.start",
            "status": error.status,
            "headers": [
                [b"content-type", b"application/json"],
                [b"content-length", str(len(body)).encode()],
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
