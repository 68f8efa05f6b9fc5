"""Pin the production image by digest: the release step, once the image is pushed.

`python -m deploy --pin-image sha256:<64 hex>` (the digest the registry answered the
push with) writes it into the prod overlay's `images:` entry, so production runs exactly
the image that was tested, whatever later happens to its tag. Until a release has done
so the overlay names the tag only, and the checkov run in `make test` says so
(tests/deploy/test_checkov.py)."""

from __future__ import annotations

import re
from pathlib import Path

DIGEST = re.compile(r"^sha256:[0-9a-f]{64}$")
ENTRY = re.compile(
    r"(?P<head>images:\n  - name: ghcr\.io/mentornet/mentornet\n    newTag: [^\n]+\n)"
    r"(?:    digest: [^\n]+\n)?"
)


class PinError(ValueError):
    pass


def pin(kustomization: Path, digest: str) -> None:
    if not DIGEST.match(digest):
        raise PinError(f"--pin-image: {digest!r} is not a digest (sha256: and 64 hex digits)")
    text = kustomization.read_text()
    pinned, count = ENTRY.subn(lambda m: f"{m['head']}    digest: {digest}\n", text)
    if count != 1:
        raise PinError(f"{kustomization}: no images entry for ghcr.io/mentornet/mentornet")
    kustomization.write_text(pinned)


def pinned_digest(kustomization: Path) -> str | None:
    found = re.search(r"^    digest: (sha256:[0-9a-f]{64})$", kustomization.read_text(), re.M)
    return found[1] if found else None
