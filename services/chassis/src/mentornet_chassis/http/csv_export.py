"""CSV exports: the same figures a JSON route answers, as a download. One writer, so
every export has the same header row, line endings, file name rules and OpenAPI entry."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from fastapi import Response


def csv_responses(row: str, columns: Sequence[str]) -> dict[int | str, dict[str, Any]]:
    """The OpenAPI `responses` of a CSV route; `row` says what one row is."""
    return {
        200: {
            "description": f"One row per {row}: " + ", ".join(columns) + ".",
            "content": {"text/csv": {"schema": {"type": "string"}}},
        }
    }


def csv_download(rows: Iterable[Mapping[str, Any]], columns: Sequence[str], name: str) -> Response:
    """`rows` as a CSV attachment named `name`.csv (characters a file name should not
    carry become `_`)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(columns), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    filename = re.sub(r"[^A-Za-z0-9_.-]", "_", f"{name}.csv")
    return Response(
        out.getvalue(),
        media_type="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
