"""The local stack's mail server: an SMTP server (aiosmtpd) that keeps every message it
is given as a file, `NNNNN.eml`, in a directory, and sends nothing on. `make run`'s
notifier delivers to it, and the demo counts what arrived and says where to read it."""

from __future__ import annotations

import asyncio
import itertools
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from mentornet_contracts.cli_parser import OneLineParser


class Keeper:
    """aiosmtpd's handler: each accepted message, whole, in its own file."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        directory.mkdir(parents=True, exist_ok=True)
        start = len(list(directory.glob("*.eml")))
        self.numbers = itertools.count(start + 1)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        path = self.directory / f"{next(self.numbers):05d}.eml"
        scratch = path.with_suffix(".tmp")
        scratch.write_bytes(envelope.original_content or envelope.content)
        scratch.replace(path)
        return "250 Message accepted for delivery"


def delivered(directory: Path) -> list[Path]:
    """The messages the sink has kept, oldest first."""
    return sorted(directory.glob("*.eml")) if directory.exists() else []


async def serve(port: int, directory: Path) -> None:
    controller = Controller(Keeper(directory), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        await asyncio.Event().wait()
    finally:
        controller.stop()


def main() -> None:
    parser = OneLineParser(prog="mentornet-mailsink", description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--dir", type=Path, required=True)
    args = parser.parse_args()
    asyncio.run(serve(args.port, args.dir))


if __name__ == "__main__":
    main()
