"""One shape for every service, and imports that only run down the layers.

Every service has the same skeleton (the README's table): `app.py` (composition root),
`settings.py`, `store.py` (or a `store/` package), `handlers.py` (its event table, for a
service that consumes), `workers.py` (only if it runs background work), `api/` (routes
only), `usecases/` (the layer between routes or handlers and the domain) and `domain/`
(pure). The packages are layered: contracts <- chassis <- services <- tooling.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest
from mentornet_contracts import SERVICES

pytestmark = pytest.mark.unit
ROOT = Path(__file__).resolve().parent.parent
SRC = {
    "mentornet_contracts": ROOT / "contracts" / "src" / "mentornet_contracts",
    "mentornet_chassis": ROOT / "services" / "chassis" / "src" / "mentornet_chassis",
    "mentornet_tooling": ROOT / "tooling" / "src" / "mentornet_tooling",
    **{f"mentornet_{s}": ROOT / "services" / s / "src" / f"mentornet_{s}" for s in SERVICES},
}
LAYER = {
    "mentornet_contracts": 0,
    "mentornet_chassis": 1,
    **{f"mentornet_{s}": 2 for s in SERVICES},
    "mentornet_tooling": 3,
}
REQUIRED = {"__init__.py", "app.py", "settings.py", "api", "usecases", "domain"}
OPTIONAL = {"handlers.py", "workers.py", "store.py", "store"}
IMPURE = (
    "fastapi",
    "starlette",
    "pymongo",
    "bson",
    "aiokafka",
    "faststream",
    "opentelemetry",
    "httpx",
    "uvicorn",
    "asyncio",
    "mentornet_chassis",
    "uuid",
    "random",
    "secrets",
    "time",
)
WALL_CLOCK = {"now", "utcnow", "today"}
PURE_CHASSIS = ("mentornet_chassis.errors",)


def _imports(path: Path) -> Iterator[str]:
    """Absolute module names a file imports (relative imports stay inside a package)."""
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module


def _clock_reads(path: Path) -> Iterator[str]:
    """Calls such as datetime.now() or date.today(): a pure function is given "now"."""
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in WALL_CLOCK
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id in ("datetime", "date")
        ):
            yield f"{node.func.value.id}.{node.func.attr}() at line {node.lineno}"


def _entries(source: Path) -> set[str]:
    """Modules and packages (a folder left with only bytecode in it is neither)."""
    return {
        p.name
        for p in source.iterdir()
        if p.suffix == ".py" or (p.is_dir() and any(p.rglob("*.py")))
    }


@pytest.mark.parametrize("service", sorted(SERVICES))
def test_every_service_has_the_same_skeleton(service: str) -> None:
    entries = _entries(SRC[f"mentornet_{service}"])
    assert entries >= REQUIRED, f"{service} lacks {sorted(REQUIRED - entries)}"
    assert entries <= REQUIRED | OPTIONAL, f"{service} has {sorted(entries - REQUIRED - OPTIONAL)}"
    assert entries & {"store.py", "store"}, f"{service} has no store"
    consumes = bool(SERVICES[service].consumes)
    assert ("handlers.py" in entries) == consumes, f"{service}: handlers.py iff it consumes"


@pytest.mark.parametrize("service", sorted(SERVICES))
def test_the_domain_is_pure(service: str) -> None:
    """No I/O, no HTTP, no Mongo types, no event loop, no wall clock and no made-up ids
    (the caller passes "now" and new ids in); refusals from the chassis family."""
    domain = SRC[f"mentornet_{service}"] / "domain"
    found = {
        f"{path.relative_to(domain)}: {name}"
        for path in domain.rglob("*.py")
        for name in _imports(path)
        if name.split(".")[0] in IMPURE and name not in PURE_CHASSIS
    }
    found |= {
        f"{path.relative_to(domain)}: {call}"
        for path in domain.rglob("*.py")
        for call in _clock_reads(path)
    }
    assert found == set()


@pytest.mark.parametrize("service", sorted(SERVICES))
def test_routes_and_use_cases_keep_to_their_layer(service: str) -> None:
    """Routes do not touch Mongo; use cases and handlers know nothing of HTTP."""
    package = SRC[f"mentornet_{service}"]
    crossings = set()
    for path in (package / "api").rglob("*.py"):
        crossings |= {f"api/{path.name}: {n}" for n in _imports(path) if n.startswith("pymongo")}
    for path in [*(package / "usecases").rglob("*.py"), package / "handlers.py"]:
        if path.exists():
            crossings |= {
                f"{path.name}: {n}"
                for n in _imports(path)
                if n.split(".")[0] in ("fastapi", "starlette")
                or n.startswith("mentornet_chassis.http")
            }
    assert crossings == set()


def test_imports_only_run_down_the_layers() -> None:
    """contracts <- chassis <- services <- tooling; no service imports another."""
    upward = set()
    for package, source in SRC.items():
        for path in source.rglob("*.py"):
            for name in _imports(path):
                top = name.split(".")[0]
                if top in LAYER and top != package and LAYER[top] >= LAYER[package]:
                    upward.add(f"{path.relative_to(ROOT)} imports {name}")
    assert upward == set()


def test_the_chassis_is_the_runtime_in_a_few_subpackages() -> None:
    assert _entries(SRC["mentornet_chassis"]) == {
        "__init__.py",
        "errors.py",
        "messaging",
        "store",
        "http",
        "process",
        "tracing",
    }
