"""Idempotency-Key answers on a real MongoDB-wire server: replayed while fresh, gone
once their time is up, so personal data in them does not linger."""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any

import pytest
from mentornet_chassis.idempotency import IdempotencyStore

pytestmark = pytest.mark.integration


async def test_answers_are_replayed_then_purged_after_their_ttl(mongo: Any, unique: str) -> None:
    collection = mongo[f"test_idem_{unique}"]["idempotency"]
    keys = IdempotencyStore(collection, ttl=timedelta(hours=1))
    assert await keys.claim("me|POST /x|k1", "f1") is None
    await keys.done("me|POST /x|k1", "f1", {"status": 201, "headers": [], "body": "secret"})
    replay = await keys.claim("me|POST /x|k1", "f1")
    assert replay is not None
    assert replay["answer"]["body"] == "secret"

    old = time.time() - 7200
    await collection.update_one({"_id": "me|POST /x|k1"}, {"$set": {"created_epoch": old}})
    assert await keys.claim("me|POST /x|k1", "f1") is None
    await keys.done("me|POST /x|k1", "f1", {"status": 201, "headers": [], "body": "again"})
    await collection.insert_one({"_id": "me|POST /x|k2", "created_epoch": old, "state": "done"})
    assert await keys.purge() == 1
    assert await collection.count_documents({}) == 1
