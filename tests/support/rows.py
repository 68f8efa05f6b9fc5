"""A bulk-import file for tests: valid mentee rows with known bad ones mixed in."""

from __future__ import annotations

import csv
import io

COLUMNS = [
    "display_name",
    "email",
    "languages",
    "formats",
    "timezone",
    "weekly",
    "consent_version",
    "consent_accepted_at",
    "urgency",
]
BAD = [
    ("email", {"email": "not-an-address"}),
    ("consent", {"consent_version": "", "consent_accepted_at": ""}),
    ("languages", {"languages": "english"}),
    ("availability", {"timezone": "Mars/Olympus"}),
    ("availability", {"weekly": "mon 09:00-11:00;mon 10:00-12:00"}),
]


def row(n: int, unique: str) -> dict[str, str]:
    return {
        "display_name": f"Person {n}",
        "email": f"p{n}-{unique}@example.org",
        "languages": "en;de",
        "formats": "video",
        "timezone": "Europe/Berlin",
        "weekly": "tue 09:00-11:00;thu 15:00-17:00",
        "consent_version": "2026-10",
        "consent_accepted_at": "2026-11-01T09:00:00Z",
        "urgency": str(1 + n % 5),
    }


def csv_file(unique: str, count: int = 1000) -> tuple[bytes, dict[int, str]]:
    """Mentee rows; every 20th is bad in one of five ways. Returns the file and, for each
    bad row, the field its first error names."""
    out, bad_rows = io.StringIO(), {}
    writer = csv.DictWriter(out, fieldnames=COLUMNS)
    writer.writeheader()
    for n in range(1, count + 1):
        values = row(n, unique)
        if n % 20 == 0:
            field, change = BAD[(n // 20) % len(BAD)]
            values.update(change)
            bad_rows[n] = field
        writer.writerow(values)
    return out.getvalue().encode(), bad_rows
