"""One-click unsubscribe links: the person and the kind, signed with the notifier's own
key (never the token key) and valid for `unsubscribe_link_days`; honoured at once."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from urllib.parse import urlencode

from mentornet_chassis.process.signed_links import SignedLinks

UNSUBSCRIBE_PATH = "/unsubscribe"


class UnsubscribeLinks:
    def __init__(
        self, key: bytes, public_url: str, days: float, clock: Callable[[], datetime]
    ) -> None:
        self.public_url = public_url.rstrip("/")
        self.links = SignedLinks(key, days * 86400, clock=lambda: clock().timestamp())

    def url(self, participant_id: str, kind: str) -> str:
        expires, key = self.links.sign(participant_id, kind)
        query = urlencode(
            {"participant_id": participant_id, "kind": kind, "expires": expires, "key": key}
        )
        return f"{self.public_url}{UNSUBSCRIBE_PATH}?{query}"

    def valid(self, participant_id: str, kind: str, expires: int, key: str) -> bool:
        return self.links.valid(participant_id, kind, expires=expires, key=key)
