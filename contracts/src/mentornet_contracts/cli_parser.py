"""The argument parser every `mentornet` command uses: a usage error is one line on
stderr, `<prog>: <what is wrong> (see <prog> --help)`, with exit status 2; failures
once the arguments are good exit 1 (each command prints its own one-line reason)."""

from __future__ import annotations

import argparse
from typing import NoReturn

USAGE_ERROR = 2
FAILURE = 1


class OneLineParser(argparse.ArgumentParser):
    """argparse without the usage block before its error message; its subcommands'
    parsers are OneLineParsers too (argparse makes them of the parent's class)."""

    def error(self, message: str) -> NoReturn:
        self.exit(USAGE_ERROR, f"{self.prog}: {message} (see {self.prog} --help)\n")
