"""`mentornet intake import FILE`: run an import job and show its progress.

The file goes to intake as an import job; the command follows the job with a progress
bar (a line per change when not on a terminal), then prints the outcome and the first
rejected rows with their reasons. Exit status: 0 done, 1 the job failed, 2 refused.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, TextIO

import httpx
from mentornet_contracts.cli_parser import FAILURE, USAGE_ERROR, OneLineParser

MEDIA_TYPES = {
    ".csv": "text/csv",
    ".jsonl": "application/x-ndjson",
    ".ndjson": "application/x-ndjson",
}
SHOWN_REJECTIONS = 20


def progress_bar(job: dict[str, Any], width: int = 30) -> str:
    """One line: a bar, rows done of all rows, percent, and the outcomes so far."""
    filled = round(width * job["percent"] / 100)
    return (
        f"[{'#' * filled}{'.' * (width - filled)}] {job['processed']}/{job['rows']} rows "
        f"{job['percent']:5.1f}%  registered {job['registered']}  skipped {job['skipped']}  "
        f"rejected {job['rejected']}"
    )


def rejection_lines(rows: Sequence[dict[str, Any]]) -> list[str]:
    return [
        f"  row {row['row']}: " + "; ".join(f"{e['field']}: {e['reason']}" for e in row["errors"])
        for row in rows
    ]


def parser() -> argparse.ArgumentParser:
    root = OneLineParser(prog="mentornet intake", description=__doc__)
    commands = root.add_subparsers(dest="command", required=True)
    upload = commands.add_parser("import", help="import a CSV or JSON Lines file of people")
    upload.add_argument("file", type=Path)
    upload.add_argument("--program", required=True, help="program id")
    upload.add_argument("--role", required=True, choices=["mentee", "mentor"])
    upload.add_argument(
        "--url", default=os.environ.get("MENTORNET_INTAKE_URL", "http://127.0.0.1:8101")
    )
    upload.add_argument(
        "--token",
        default=os.environ.get("MENTORNET_TOKEN"),
        help="coordinator bearer token (default: $MENTORNET_TOKEN)",
    )
    upload.add_argument("--poll", type=float, default=0.5, help="seconds between checks")
    upload.add_argument(
        "--json",
        action="store_true",
        dest="as_json",
        help="the job, then every rejected row, one JSON object per line",
    )
    return root


def _refused(response: httpx.Response) -> str:
    try:
        body = response.json()
        return f"{response.status_code} {body['field']}: {body['reason']}"
    except (ValueError, KeyError, TypeError):
        return f"{response.status_code} {response.text[:200]}"


def follow(http: httpx.Client, job: dict[str, Any], poll_s: float, out: TextIO) -> dict[str, Any]:
    on_terminal = out.isatty()
    last = ""
    while True:
        line = progress_bar(job)
        if line != last:
            out.write(f"\r{line}" if on_terminal else f"{line}\n")
            out.flush()
            last = line
        if job["status"] in ("done", "failed"):
            if on_terminal:
                out.write("\n")
            return job
        time.sleep(poll_s)
        job = http.get(f"/import-jobs/{job['job_id']}").raise_for_status().json()


def import_file(args: argparse.Namespace) -> int:
    media_type = MEDIA_TYPES.get(args.file.suffix.lower())
    if media_type is None:
        return _said(f"{args.file}: use a .csv, .jsonl or .ndjson file", USAGE_ERROR)
    if not args.token:
        return _said("set MENTORNET_TOKEN or pass --token (see `mentornet token`)", USAGE_ERROR)
    try:
        content = args.file.read_bytes()
    except OSError as exc:
        return _said(f"{args.file}: {exc.strerror or exc}", FAILURE)
    headers = {"Authorization": f"Bearer {args.token}"}
    with httpx.Client(base_url=args.url, headers=headers, timeout=120) as http:
        started = http.post(
            f"/programs/{args.program}/import-jobs/{args.role}",
            content=content,
            headers={"Content-Type": media_type},
        )
        if started.status_code != 202:
            return _said(f"refused: {_refused(started)}", FAILURE)
        job = follow(http, started.json(), args.poll, sys.stderr)
        if args.as_json:
            print(json.dumps(job))
            for row in rejected_rows(http, job["job_id"]):
                print(json.dumps(row))
            return _said(f"failed: {job['error']}", FAILURE) if job["status"] == "failed" else 0
        rejected = http.get(
            f"/import-jobs/{job['job_id']}/rows",
            params={"outcome": "rejected", "limit": SHOWN_REJECTIONS},
        ).raise_for_status()
    print(
        f"import {job['job_id']} {job['status']}: {job['registered']} registered, "
        f"{job['skipped']} already there, {job['rejected']} rejected"
    )
    print("\n".join(rejection_lines(rejected.json()["rows"])))
    if job["rejected"] > SHOWN_REJECTIONS:
        print(f"  ... all of them: GET {args.url}/import-jobs/{job['job_id']}/rows")
    if job["status"] == "failed":
        return _said(f"failed: {job['error']}", FAILURE)
    return 0


def rejected_rows(http: httpx.Client, job_id: str, page: int = 1000) -> Iterator[dict[str, Any]]:
    """Every rejected row of a job, a page at a time."""
    offset = 0
    while True:
        rows = (
            http.get(
                f"/import-jobs/{job_id}/rows",
                params={"outcome": "rejected", "offset": offset, "limit": page},
            )
            .raise_for_status()
            .json()["rows"]
        )
        yield from rows
        if len(rows) < page:
            return
        offset += page


def _said(reason: str, status: int) -> int:
    """One line on stderr, named after the command; the exit status."""
    print(f"mentornet intake import: {reason}", file=sys.stderr)
    return status


def run(argv: Sequence[str]) -> int:
    args = parser().parse_args(argv)
    try:
        return import_file(args)
    except httpx.HTTPError as exc:
        return _said(f"cannot reach intake at {args.url}: {exc}", FAILURE)
