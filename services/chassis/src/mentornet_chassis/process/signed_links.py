"""Links that work without a bearer token until they expire: what the link opens (its
parts, say a participant id) and the expiry, signed with an HMAC under a key of their
own (never the token key, so a leaked link cannot help forge tokens).

The signature is SHA-256 over the parts and the expiry joined by the separator, cut to
40 hex digits. Changing the key, the separator or any part stops every earlier link.
Pure apart from the clock, which is given (the wall clock by default). Here, not in
http/, because use cases sign and check links and use cases know nothing of HTTP."""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Callable
from dataclasses import dataclass

Clock = Callable[[], float]
"""Seconds since the epoch."""
WALL_CLOCK: Clock = time.time


@dataclass(frozen=True)
class SignedLinks:
    key: bytes
    lifetime: float
    """Seconds a new link works for."""
    separator: str = ":"
    clock: Clock = WALL_CLOCK

    def signature(self, *parts: str, expires: int) -> str:
        message = self.separator.join([*parts, str(expires)]).encode(errors="surrogateescape")
        return hmac.new(self.key, message, hashlib.sha256).hexdigest()[:40]

    def sign(self, *parts: str) -> tuple[int, str]:
        """A new link's expiry and signature."""
        expires = int(self.clock() + self.lifetime)
        return expires, self.signature(*parts, expires=expires)

    def valid(self, *parts: str, expires: int, key: str) -> bool:
        """Signed for these parts and this expiry, and not yet expired. Compared as
        bytes: a key with characters beyond ASCII (anyone can type one into a link) is
        simply wrong, not an error."""
        if expires < self.clock():
            return False
        given = key.encode(errors="surrogateescape")
        return hmac.compare_digest(self.signature(*parts, expires=expires).encode(), given)
