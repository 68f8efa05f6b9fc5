"""Calendar feed URLs: signed with the feed key, for one person's current feed token,
until they expire; another key, token or time refuses them."""

from __future__ import annotations

import time
from urllib.parse import parse_qs, urlparse

import pytest
from mentornet_scheduler.usecases.feeds import FeedSigner

pytestmark = pytest.mark.unit


def signed(url: str) -> tuple[int, str]:
    query = parse_qs(urlparse(url).query)
    return int(query["expires"][0]), query["key"][0]


def test_a_feed_url_works_until_it_expires_or_its_key_or_token_changes() -> None:
    signer = FeedSigner(b"feed-key-one", "https://mentornet.test", days=30)
    expires, key = signed(signer.url("p-1", "token-1"))
    assert expires > time.time() + 29 * 86400
    assert signer.check("p-1", "token-1", expires, key)
    assert not signer.check("p-1", "token-2", expires, key), "rotated token"
    assert not signer.check("p-2", "token-1", expires, key), "another person"
    assert not signer.check("p-1", "token-1", expires + 1, key), "a longer life is forged"
    rotated = FeedSigner(b"feed-key-two", "https://mentornet.test", days=30)
    assert not rotated.check("p-1", "token-1", expires, key), "rotated key"
    past = int(time.time()) - 1
    assert not signer.check("p-1", "token-1", past, signer.signature("p-1", "token-1", past))
