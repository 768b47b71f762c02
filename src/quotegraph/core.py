"""The Python API: ``quotegraph.open(path)`` returns a ``Quotegraph`` over one store.

>>> import quotegraph
>>> with quotegraph.open("news.db") as qg:               # doctest: +SKIP
...     report = qg.ingest(["articles/"])
...     for record in qg.statements(speaker="Lena Rask"):
...         print(record.statement.content)
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from typing import Any, TextIO

from quotegraph.corpus.stories import StorySummary, summarize_stories
from quotegraph.export import export_rows, write_rows
from quotegraph.ingest import IngestLimits
from quotegraph.pipeline import ProgressCallback, ingest_paths
from quotegraph.store import Store
from quotegraph.types import (
    Article,
    Failure,
    FigureRecord,
    IngestReport,
    Speaker,
    StatementRecord,
)


class Quotegraph:
    """One quotegraph store: ingest news into it and ask who said what."""

    def __init__(self, store: Store):
        self.store = store

    def __enter__(self) -> Quotegraph:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.store.close()

    # --- writing --------------------------------------------------------------------------

    def ingest(
        self,
        paths: Iterable[str | os.PathLike[str]] | str | os.PathLike[str],
        *,
        workers: int = 1,
        limits: IngestLimits | None = None,
        on_progress: ProgressCallback | None = None,
    ) -> IngestReport:
        """Read, analyse and store every article under ``paths``."""
        if isinstance(paths, str | os.PathLike):
            paths = [paths]
        return ingest_paths(
            self.store, paths, workers=workers, limits=limits, on_progress=on_progress
        )

    # --- reading --------------------------------------------------------------------------

    def statements(self, **filters: Any) -> Iterator[StatementRecord]:
        """Statements, filtered by ``article_id``, ``speaker``, ``kind``, ``outlet``, ``q``,
        ``since``, ``until``, ``limit`` (see ``Store.statements``)."""
        return self.store.statements(**filters)

    def speakers(self, *, limit: int | None = None) -> Iterator[Speaker]:
        return self.store.speakers(limit=limit)

    def speaker(self, speaker_id: str) -> Speaker | None:
        return self.store.speaker(speaker_id)

    def articles(self, **filters: Any) -> Iterator[Article]:
        return self.store.articles(**filters)

    def article(self, article_id: str) -> Article | None:
        return self.store.article(article_id)

    def figures(self, **filters: Any) -> Iterator[FigureRecord]:
        return self.store.figures(**filters)

    def failures(self, *, run_id: int | None = None) -> Iterator[Failure]:
        return self.store.failures(run_id=run_id)

    def counts(self) -> dict[str, int]:
        return self.store.counts()

    def stories(self) -> list[StorySummary]:
        """Articles grouped into stories, with who said what in each."""
        return summarize_stories(self.store)

    def export(self, table: str, out: TextIO, fmt: str = "jsonl") -> int:
        """Write one table as JSONL or CSV to ``out``; returns the number of rows."""
        return write_rows(export_rows(self.store, table), out, fmt)


def open(path: str | os.PathLike[str], *, readonly: bool = False) -> Quotegraph:
    """Open (or create) the quotegraph store at ``path``."""
    return Quotegraph(Store.open(path, readonly=readonly))
