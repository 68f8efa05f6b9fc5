"""`mentornet contracts check|docs` (also `python -m mentornet_contracts.cli`).

check  compare committed schema snapshots with the code; exit 1 on any incompatibility.
docs   write snapshots of new and compatibly changed event versions, docs/events.md and
       docs/asyncapi/<service>.json; refuses (exit 1) if a change is incompatible.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from mentornet_contracts.cli_parser import OneLineParser

from .catalogue import REGISTRY, SERVICES
from .docs import write_asyncapi, write_event_docs
from .schemas import SnapshotConflictError, check, write_snapshots

SCHEMAS_SUBDIR = Path("contracts") / "schemas"


def find_root(start: Path | None = None) -> Path | None:
    """The repository root: the nearest directory upwards holding contracts/schemas."""
    here = (start or Path.cwd()).resolve()
    for candidate in (here, *here.parents):
        if (candidate / SCHEMAS_SUBDIR).is_dir():
            return candidate
    source_root = Path(__file__).resolve().parents[3]
    return source_root if (source_root / SCHEMAS_SUBDIR).is_dir() else None


def _parser() -> argparse.ArgumentParser:
    parser = OneLineParser(
        prog="mentornet contracts",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", required=True)
    check_cmd = commands.add_parser("check", help="check event compatibility")
    check_cmd.add_argument(
        "--schemas",
        type=Path,
        default=None,
        help="snapshot directory (default: <repo>/contracts/schemas)",
    )
    docs_cmd = commands.add_parser("docs", help="write snapshots, events.md and AsyncAPI")
    docs_cmd.add_argument(
        "--root", type=Path, default=None, help="repository root (default: found upwards from here)"
    )
    return parser


def _root_or_none(given: Path | None) -> Path | None:
    if given is not None:
        return given
    root = find_root()
    if root is None:
        print(f"contracts: no {SCHEMAS_SUBDIR} found above {Path.cwd()}", file=sys.stderr)
    return root


def _check(schemas: Path | None) -> int:
    if schemas is None:
        root = _root_or_none(None)
        if root is None:
            return 2
        schemas = root / SCHEMAS_SUBDIR
    problems = check(REGISTRY, schemas)
    count = len(REGISTRY.event_types())
    for problem in problems:
        print(problem.line())
    if problems:
        print(
            f"contracts: {len(problems)} incompatibilit{'y' if len(problems) == 1 else 'ies'}"
            f" in {count} event versions",
            file=sys.stderr,
        )
        return 1
    print(f"contracts: {count} event versions, all compatible")
    return 0


def _docs(given_root: Path | None) -> int:
    root = _root_or_none(given_root)
    if root is None:
        return 2
    schemas = root / SCHEMAS_SUBDIR
    try:
        written = write_snapshots(REGISTRY, schemas)
    except SnapshotConflictError as conflict:
        for problem in conflict.incompatibilities:
            print(problem.line())
        print(
            "contracts: refusing to rewrite committed snapshots; add a new event version "
            "(.v2) with an upcaster instead",
            file=sys.stderr,
        )
        return 1
    for path in written:
        print(f"wrote {path}")
    docs_dir = root / "docs"
    print(f"wrote {write_event_docs(REGISTRY, SERVICES, docs_dir / 'events.md')}")
    for path in write_asyncapi(REGISTRY, SERVICES, docs_dir):
        print(f"wrote {path}")
    return _check(schemas)


def run(argv: list[str]) -> int:
    """Run `contracts <command>`; returns the process exit code."""
    args = _parser().parse_args(argv)
    if args.command == "check":
        return _check(args.schemas)
    return _docs(args.root)


if __name__ == "__main__":
    sys.exit(run(sys.argv[1:]))
