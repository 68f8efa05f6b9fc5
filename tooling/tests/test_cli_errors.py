"""Every `mentornet` command answers a usage error with one line on stderr, naming the
command and the problem, and exit status 2; `--version` names the release."""

from __future__ import annotations

from importlib import metadata

import pytest
from mentornet_tooling.cli import main

pytestmark = pytest.mark.unit

WRONG = [
    ["bogus"],
    ["--bogus"],
    ["dlq", "list", "--bogus"],
    ["dlq", "replay"],
    ["events", "tail", "--bogus"],
    ["outbox", "bogus"],
    ["notifier", "bogus"],
    ["contracts", "nope"],
    ["intake", "import"],
    ["dev", "bogus"],
    ["token"],
    ["api", "x"],
    ["demo", "--weeks", "x"],
    ["serve", "nobody"],
    ["topics", "--bogus"],
]


@pytest.mark.parametrize("argv", WRONG, ids=" ".join)
def test_a_usage_error_is_one_line_and_exit_status_2(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(argv)
    assert stopped.value.code == 2
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1, err
    assert err.startswith("mentornet"), err
    assert err.rstrip().endswith("--help)"), err


def test_version_names_the_release(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["--version"])
    assert stopped.value.code == 0
    assert capsys.readouterr().out == f"mentornet {metadata.version('mentornet-tooling')}\n"


@pytest.mark.parametrize(
    ("argv", "size"),
    [
        (["demo"], (3, 0.25)),
        (["demo", "--full"], (5, 1.0)),
        (["demo", "--full", "--weeks", "2"], (2, 1.0)),
        (["demo", "--scale", "0.5"], (3, 0.5)),
    ],
)
def test_the_demo_is_quick_unless_asked_for_the_full_run(
    argv: list[str], size: tuple[int, float]
) -> None:
    from mentornet_tooling.cli import demo_size, parser

    assert demo_size(parser().parse_args(argv)) == size
