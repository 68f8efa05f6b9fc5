"""Signed links: valid for their parts and expiry under their key until they expire; any
other part, expiry, key or separator refuses them."""

from __future__ import annotations

import hashlib
import hmac

import pytest
from mentornet_chassis.process.signed_links import SignedLinks

pytestmark = pytest.mark.unit

NOW = 1_800_000_000.0


class Clock:
    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def test_a_link_is_valid_for_its_parts_until_it_expires() -> None:
    clock = Clock(NOW)
    links = SignedLinks(b"key-one", lifetime=3600, clock=clock)
    expires, key = links.sign("p-1", "token-1")
    assert expires == int(NOW + 3600)
    assert links.valid("p-1", "token-1", expires=expires, key=key)
    assert not links.valid("p-1", "token-2", expires=expires, key=key)
    assert not links.valid("p-2", "token-1", expires=expires, key=key)
    assert not links.valid("p-1", "token-1", expires=expires + 1, key=key), "forged life"
    assert not SignedLinks(b"key-two", 3600, clock=clock).valid(
        "p-1", "token-1", expires=expires, key=key
    )
    assert not SignedLinks(b"key-one", 3600, "|", clock).valid(
        "p-1", "token-1", expires=expires, key=key
    )
    clock.now = expires
    assert links.valid("p-1", "token-1", expires=expires, key=key), "good to the second"
    clock.now = expires + 1
    assert not links.valid("p-1", "token-1", expires=expires, key=key)


def test_the_signature_is_the_hmac_of_the_joined_parts_so_old_links_still_verify() -> None:
    links = SignedLinks(b"key", 60, "|", Clock(NOW))
    expected = hmac.new(b"key", b"prog-1|1800000060", hashlib.sha256).hexdigest()[:40]
    assert links.signature("prog-1", expires=1_800_000_060) == expected
    assert links.valid("prog-1", expires=1_800_000_060, key=expected)


def test_a_key_or_part_beyond_ascii_is_refused_not_an_error() -> None:
    """Found by schemathesis: hmac.compare_digest refuses non-ASCII strings (TypeError,
    a 500); a link anyone can type must get a plain no."""
    links = SignedLinks(b"k", 3600, clock=lambda: 1000.0)
    expires, key = links.sign("p-1")
    assert links.valid("p-1", expires=expires, key=key)
    assert not links.valid("p-1", expires=expires, key="¡°h¶P" + key[5:])
    assert not links.valid("\udca1p\x06", expires=expires, key=key)
