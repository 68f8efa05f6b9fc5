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
import contextlib
import hashlib
import json
import time
import uuid
from collections.abc import Awaitable, Callable, Collection
from datetime import UTC, datetime, timedelta
from typing import Any

import pymongo
from mentornet_contracts.events.participants import person_id_of
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import DuplicateKeyError, PyMongoError

from mentornet_chassis.errors import Conflict, Invalid, Refusal
from mentornet_chassis.http.bodylimit import Message, Scope
from mentornet_chassis.process.workers import pause
from mentornet_chassis.store.mongo import Document

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 200
COLLECTION = "idempotency"
PURGE_EVERY_S = 3600.0
RUNNING_LEASE_S = 30.0
"""How long a running request's claim holds without being renewed; it is renewed every
third of that while the request runs, so only a claim whose process died lapses (or
one whose renewals a store outage longer than about two thirds of it held up)."""
RENEW_TIMEOUT_S = 2.0
"""How long one renewal may wait for the store: a renewal still waiting when its request
fails would otherwise extend the claim that request could not release."""

Subject = Callable[[str], Awaitable[str | None]]
"""The verified subject of an Authorization header, or None (the route answers 401)."""


class IdempotencyStore:
    def __init__(
        self, collection: AsyncCollection[Document], ttl: timedelta = timedelta(hours=24)
    ) -> None:
        self.collection = collection
        self.ttl = ttl

    async def ensure_indexes(self) -> None:
        await self.collection.create_index("created_epoch")

    async def purge(self) -> int:
        """Drop answers older than the TTL; how many went. Times are epoch seconds (the
        embedded server stores a datetime written with $set as text)."""
        cutoff = time.time() - self.ttl.total_seconds()
        result = await self.collection.delete_many({"created_epoch": {"$lt": cutoff}})
        return int(result.deleted_count)

    async def forget(self, ids: Collection[str]) -> int:
        """Erasure: drop every kept answer made by or about these people (their ids in
        the caller, the path or the answer); how many went. Answers live a day at most,
        so the scan is short."""
        wanted = set(ids)
        gone = []
        async for doc in self.collection.find({}, {"_id": 1, "answer": 1}):
            if wanted & _named_in(str(doc["_id"]), doc.get("answer")):
                gone.append(doc["_id"])
        if gone:
            await self.collection.delete_many({"_id": {"$in": gone}})
        return len(gone)

    async def run_purge(self, stopping: asyncio.Event) -> None:
        """A background worker: purge every hour (and once at start)."""
        while not stopping.is_set():
            await self.purge()
            await pause(stopping, asyncio.Event(), PURGE_EVERY_S)

    async def claim(self, doc_id: str, fingerprint: str, holder: str) -> Document | None:
        """None when this request runs (`holder` then holds the key); else the earlier
        request's record. A record older than the TTL, or a running claim whose lease
        lapsed, is dropped, and the request runs as a first one."""
        for _ in range(2):
            try:
                await self.collection.insert_one(
                    {
                        "_id": doc_id,
                        "fingerprint": fingerprint,
                        "state": "running",
                        "holder": holder,
                        "lease_epoch": time.time() + RUNNING_LEASE_S,
                        "created_at": datetime.now(UTC),
                        "created_epoch": time.time(),
                    }
                )
            except DuplicateKeyError:
                previous = await self.collection.find_one({"_id": doc_id})
                if previous is None:
                    break
                if not await self._dropped_if_lapsed(previous):
                    return previous
                continue
            return None
        return {"state": "released", "fingerprint": fingerprint}

    async def _dropped_if_lapsed(self, previous: Document) -> bool:
        now = time.time()
        stale = now - self.ttl.total_seconds()
        if float(previous.get("created_epoch", 0.0)) < stale:
            await self.collection.delete_one(
                {"_id": previous["_id"], "created_epoch": {"$lt": stale}}
            )
            return True
        if previous["state"] == "running" and float(previous.get("lease_epoch", now)) < now:
            await self.collection.delete_one(
                {"_id": previous["_id"], "holder": previous["holder"], "lease_epoch": {"$lt": now}}
            )
            return True
        return False

    async def renew(self, doc_id: str, holder: str) -> None:
        await self.collection.update_one(
            {"_id": doc_id, "holder": holder, "state": "running"},
            {"$set": {"lease_epoch": time.time() + RUNNING_LEASE_S}},
        )

    async def hold(self, doc_id: str, holder: str, finished: asyncio.Event) -> None:
        """Renew the claim until its request has `finished`; a renewal the store refuses
        is tried again at the next turn. Ends by itself rather than being cancelled:
        cancelling a driver operation mid-flight is not safe (see mongo.ping)."""
        every = RUNNING_LEASE_S / 3
        while True:
            await pause(finished, asyncio.Event(), every)
            if finished.is_set():
                return
            with contextlib.suppress(PyMongoError), pymongo.timeout(RENEW_TIMEOUT_S):
                await self.renew(doc_id, holder)

    async def done(
        self, doc_id: str, fingerprint: str, answer: dict[str, Any], holder: str
    ) -> None:
        """Keep the answer, unless the claim lapsed and another request holds the key."""
        await self.collection.replace_one(
            {"_id": doc_id, "holder": holder},
            {
                "fingerprint": fingerprint,
                "state": "done",
                "answer": answer,
                "created_at": datetime.now(UTC),
                "created_epoch": time.time(),
            },
        )

    async def release(self, doc_id: str, holder: str) -> None:
        await self.collection.delete_one({"_id": doc_id, "holder": holder})


def _named_in(doc_id: str, answer: Any) -> set[str]:
    """Whole ids a kept answer names: its caller (and the caller's person), its path's
    segments, and every string in its JSON body (an id inside a longer one does not
    count; a body that is not JSON names nothing)."""
    caller, _, rest = doc_id.partition("|POST ")
    path = rest.partition("|")[0]
    named = {caller, person_id_of(caller), *path.split("/")}
    body = (answer or {}).get("body", "")
    with contextlib.suppress(TypeError, ValueError):
        named |= set(_strings(json.loads(body)))
    return named


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in (k, *_strings(v)) if isinstance(s, str)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


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
