"""Refuse request bodies over a size limit with 413 and a JSON reason, before parsing."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from mentornet_chassis.errors import error_body

Scope = dict[str, Any]
Message = dict[str, Any]


BODILESS = frozenset({"GET", "HEAD", "OPTIONS"})
"""Methods whose routes never read a body: one sent along is ignored, not refused (and
their documents list no 413)."""


class BodyTooLarge(Exception):
    pass


class BodyLimit:
    """ASGI middleware: checks Content-Length, and counts streamed bytes when it is absent.

    `overrides` maps a path pattern (a regular expression matched from the start) to its
    own limit, for the few routes that take uploads."""

    def __init__(self, app: Any, max_bytes: int, overrides: Mapping[str, int] = {}) -> None:
        self.app = app
        self.default_bytes = max_bytes
        self.overrides = [(re.compile(pattern), limit) for pattern, limit in overrides.items()]

    def limit_for(self, path: str) -> int:
        for pattern, limit in self.overrides:
            if pattern.match(path):
                return limit
        return self.default_bytes

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        max_bytes = self.limit_for(scope.get("path", ""))
        declared = dict(scope.get("headers") or ()).get(b"content-length")
        reads_body = scope.get("method") not in BODILESS
        if reads_body and declared is not None and declared.isdigit() and int(declared) > max_bytes:
            await self._refuse(send, max_bytes)
            return
        seen = 0

        async def counting_receive() -> Message:
            nonlocal seen
            message: Message = await receive()
            seen += len(message.get("body", b""))
            if seen > max_bytes:
                raise BodyTooLarge
            return message

        try:
            await self.app(scope, counting_receive, send)
        except BodyTooLarge:
            await self._refuse(send, max_bytes)

    async def _refuse(self, send: Any, max_bytes: int) -> None:
        problem = {"field": "body", "reason": f"request body over {max_bytes} bytes"}
        body = json.dumps(error_body("payload_too_large", [problem])).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})
