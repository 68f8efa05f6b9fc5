"""Idempotency-Key answers on a real MongoDB-wire server: replayed while fresh, gone
once their time is up, so personal data in them does not linger; a running request's
claim lapses once its process dies, so the client's retry is not refused for a day."""

from __future__ import annotations

import asyncio
import time
from datetime import timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from mentornet_chassis.http import answers
from mentornet_chassis.http.answers import IdempotencyStore
from mentornet_chassis.http.idempotency import Idempotency
from mentornet_tooling.testing.poll import eventually

pytestmark = pytest.mark.integration


async def test_answers_are_replayed_then_purged_after_their_ttl(mongo: Any, unique: str) -> None:
    collection = mongo[f"test_idem_{unique}"]["idempotency"]
    keys = IdempotencyStore(collection, ttl=timedelta(hours=1))
    assert await keys.claim("me|POST /x|k1", "f1", "h1") is None
    await keys.done("me|POST /x|k1", "f1", {"status": 201, "headers": [], "body": "secret"}, "h1")
    replay = await keys.claim("me|POST /x|k1", "f1", "h2")
    assert replay is not None
    assert replay["answer"]["body"] == "secret"

    old = time.time() - 7200
    await collection.update_one({"_id": "me|POST /x|k1"}, {"$set": {"created_epoch": old}})
    assert await keys.claim("me|POST /x|k1", "f1", "h3") is None
    await keys.done("me|POST /x|k1", "f1", {"status": 201, "headers": [], "body": "again"}, "h3")
    await collection.insert_one({"_id": "me|POST /x|k2", "created_epoch": old, "state": "done"})
    assert await keys.purge() == 1
    assert await collection.count_documents({}) == 1


async def test_a_claim_nobody_renews_lapses_and_only_its_new_holder_settles_it(
    mongo: Any, unique: str
) -> None:
    collection = mongo[f"test_idem_{unique}"]["idempotency"]
    keys = IdempotencyStore(collection)
    key = "me|POST /x|k1"
    assert await keys.claim(key, "f1", "dead") is None
    running = await keys.claim(key, "f1", "retry")
    assert running is not None
    assert (running["state"], running["holder"]) == ("running", "dead")

    await collection.update_one({"_id": key}, {"$set": {"lease_epoch": time.time() - 1}})
    await keys.renew(key, "someone-else")
    assert await keys.claim(key, "f1", "retry") is None
    await keys.done(key, "f1", {"status": 201, "headers": [], "body": "late"}, "dead")
    await keys.release(key, "dead")
    held = await collection.find_one({"_id": key})
    assert (held["state"], held["holder"]) == ("running", "retry")

    await collection.update_one({"_id": key}, {"$set": {"lease_epoch": time.time() - 1}})
    await keys.renew(key, "retry")
    still = await keys.claim(key, "f1", "third")
    assert still is not None
    assert still["holder"] == "retry"
    await keys.done(key, "f1", {"status": 201, "headers": [], "body": "first"}, "retry")
    replay = await keys.claim(key, "f1", "third")
    assert replay is not None
    assert replay["answer"]["body"] == "first"


def slow_app(calls: list[str], keys: IdempotencyStore) -> FastAPI:
    async def subject(_: str) -> str:
        return "me"

    app = FastAPI()
    app.add_middleware(Idempotency, store=keys, subject=subject)

    @app.post("/slow")
    async def slow() -> dict[str, int]:
        calls.append("slow")
        await asyncio.sleep(1.0)  # the work the request does
        return {"calls": len(calls)}

    return app


async def test_a_running_request_keeps_its_claim_past_the_lease(
    mongo: Any, unique: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The request renews its claim while it runs: a repeat meanwhile gets 409, not a
    second run, although the request outlives its first lease."""
    monkeypatch.setattr(answers, "RUNNING_LEASE_S", 0.3)
    collection = mongo[f"test_idem_{unique}"]["idempotency"]
    keys = IdempotencyStore(collection)

    async def renewed_past_its_first_lease() -> bool:
        doc = await collection.find_one({"_id": "me|POST /slow|k1"})
        return doc is not None and doc["lease_epoch"] > doc["created_epoch"] + 0.65

    calls: list[str] = []
    app = slow_app(calls, keys)
    headers = {"Idempotency-Key": "k1", "Authorization": "Bearer x"}
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://test"
    ) as http:
        first = asyncio.create_task(http.post("/slow", headers=headers))
        await eventually(renewed_past_its_first_lease, timeout=5, interval=0.02)
        repeat = await http.post("/slow", headers=headers)
        assert repeat.status_code == 409
        assert repeat.json()["reason"] == "a request with this key is still running"
        assert (await first).json() == {"calls": 1}
        assert (await http.post("/slow", headers=headers)).json() == {"calls": 1}
    assert calls == ["slow"]


async def test_a_hold_renews_the_claim_and_ends_by_itself_when_its_request_finished(
    mongo: Any, unique: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Nobody cancels the renewals (cancelling a driver operation mid-flight is not
    safe): the hold sees its request finished and returns."""
    monkeypatch.setattr(answers, "RUNNING_LEASE_S", 0.3)
    collection = mongo[f"test_idem_{unique}"]["idempotency"]
    keys = IdempotencyStore(collection)
    assert await keys.claim("me|POST /x|k1", "f1", "h1") is None
    first = (await collection.find_one({"_id": "me|POST /x|k1"}))["lease_epoch"]
    finished = asyncio.Event()
    holding = asyncio.create_task(keys.hold("me|POST /x|k1", "h1", finished))

    async def renewed() -> bool:
        doc = await collection.find_one({"_id": "me|POST /x|k1"})
        return bool(doc["lease_epoch"] > first)

    await eventually(renewed, timeout=5, what="the claim to be renewed")
    finished.set()
    await asyncio.wait_for(holding, timeout=2)
    assert not holding.cancelled()
