"""Matcher's persistence: its aggregate stores and their queries (stores.py), the batch
runs' documents (batch_runs.py), experiments' assignments and running markers
(experiment_book.py) and the skill map read from the taxonomy (taxonomy.py)."""

from .batch_runs import RUNS, BatchRuns
from .stores import (
    CANDIDATES,
    COVERAGE,
    EXPERIMENTS,
    LOADS,
    MATCHES,
    PROGRAMS,
    TAXONOMY,
    WAITLIST,
    MatcherStores,
    failed_pairs_in,
    placed_in,
)
from .taxonomy import Taxonomy

__all__ = [
    "CANDIDATES",
    "COVERAGE",
    "EXPERIMENTS",
    "LOADS",
    "MATCHES",
    "PROGRAMS",
    "RUNS",
    "TAXONOMY",
    "WAITLIST",
    "BatchRuns",
    "MatcherStores",
    "Taxonomy",
    "failed_pairs_in",
    "placed_in",
]
