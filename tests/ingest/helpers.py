"""Helpers shared by the ingest tests."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from quotegraph.ingest import IngestLimits, iter_inputs
from quotegraph.types import Article, Failure, Skipped

Writer = Callable[[str, str | bytes], Path]
"""The ``write`` fixture: ``write(name, content) -> path`` under tmp_path."""


def ingest(
    *paths: str | Path, limits: IngestLimits | None = None
) -> list[Article | Failure | Skipped]:
    return list(iter_inputs(paths, limits=limits))


def only_article(*paths: str | Path, limits: IngestLimits | None = None) -> Article:
    results = ingest(*paths, limits=limits)
    assert len(results) == 1, results
    assert isinstance(results[0], Article), results[0]
    return results[0]


def only_failure(*paths: str | Path, limits: IngestLimits | None = None) -> Failure:
    results = ingest(*paths, limits=limits)
    assert len(results) == 1, results
    assert isinstance(results[0], Failure), results[0]
    return results[0]
