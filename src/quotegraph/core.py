"""The Python API: ``quotegraph.open(path)`` returns a ``Quotegraph`` over one store.

>>> import quotegraph
>>> with quotegraph.open("news.db") as qg:               # doctest: +SKIP
...     report = qg.ingest(["articles/"])
...     for record in qg.statements(speaker="Lena Rask"):
...         print(record.statement.content)
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable, Iterator
from dataclasses import replace
from typing import Any, TextIO

from quotegraph.corpus.claims import claim_records, relation_records
from quotegraph.corpus.coverage import speaker_timeline, story_coverage
from quotegraph.corpus.passes import run_corpus_passes
from quotegraph.corpus.stories import summarize_stories
from quotegraph.export import export_rows, write_rows
from quotegraph.ingest import IngestLimits
from quotegraph.pipeline import ProgressCallback, ingest_paths
from quotegraph.store import Store
from quotegraph.types import (
    Article,
    ClaimRecord,
    CorpusReport,
    Extraction,
    Failure,
    FigureRecord,
    IngestReport,
    LoadReport,
    RelationRecord,
    Speaker,
    SpeakerTimeline,
    StatementRecord,
    StoreStats,
    StoryCoverage,
    StorySummary,
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
        corpus_passes: bool = True,
        relative_to: str | os.PathLike[str] | None = None,
        stop: threading.Event | None = None,
    ) -> IngestReport:
        """Read, analyse and store every article under ``paths``, then bring the corpus
        passes up to date (``corpus_passes=False`` leaves that to ``update_corpus``).

        ``source_file`` is each file's path as given (relative paths stay relative), or its
        path from the folder ``relative_to``.

        Setting ``stop`` (from a signal handler or another thread) ends the run early with
        what it stored so far; the corpus passes are then left to the next run, which
        skips the articles already stored (``docs/reliability.md``)."""
        if isinstance(paths, str | os.PathLike):
            paths = [paths]
        report = ingest_paths(
            self.store,
            paths,
            workers=workers,
            limits=limits,
            on_progress=on_progress,
            relative_to=relative_to,
            stop=stop,
        )
        if corpus_passes and not (stop is not None and stop.is_set()):
            report = replace(report, corpus=self.update_corpus())
        return report

    def update_corpus(self) -> CorpusReport:
        """Run the corpus passes (speakers, stories, stance and claims) over what is new
        since they last ran. ``ingest`` does this itself unless told not to."""
        return run_corpus_passes(self.store)

    def add_unanalysed(self, articles: Iterable[Article]) -> CorpusReport:
        """Store articles without extracting statements (publication order), then run the
        corpus passes. For measuring the copy and story passes, which read only titles,
        texts and dates; nothing else is found in such articles."""
        ordered = sorted(articles, key=lambda a: (a.published is None, a.published or ""))
        run_id = self.store.begin_run("add unanalysed")
        self.store.write_extractions(run_id, [Extraction(article, ()) for article in ordered])
        return self.update_corpus()

    def story_of_articles(self) -> dict[str, str]:
        """Every placed article's id -> its story's id."""
        return {a: s.story_id for s in self.store.stories() for a in s.article_ids}

    def copy_links(self) -> dict[str, str]:
        """Every copy's article id -> its original's (``corpus/copies.py``)."""
        return self.store.copy_links()

    def load(self, out: str | os.PathLike[str], *, corpus_passes: bool = True) -> LoadReport:
        """Merge the Parquet shards of a finished batch run (``quotegraph.batch.run_batch``)
        into this store, then run the corpus passes unless ``corpus_passes`` is False."""
        from quotegraph.batch import load_shards  # needs the 'batch' extra (pyarrow)

        return load_shards(self.store, out, corpus_passes=corpus_passes)

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

    def stats(self) -> StoreStats:
        """Counts of articles, statements, speakers, figures, failures, stories, claims,
        contradictions and agreements, outlets, and the span of publication dates."""
        return self.store.stats()

    def stories(
        self, *, limit: int | None = None, act: str | None = "speech"
    ) -> list[StorySummary]:
        """The stored stories (articles about the same event, grouped by the corpus passes),
        oldest first, each with who said what in it: statements of ``act`` (``speech`` by
        default; None: beliefs, intentions and actions too)."""
        return [s.with_act(act) for s in summarize_stories(self.store, limit=limit)]

    def story_coverage(self, story_id: str) -> StoryCoverage | None:
        """Which outlets quote whom in a story, how often, and whom each leaves out."""
        return story_coverage(self.store, story_id)

    def speaker_timeline(self, speaker_id: str) -> SpeakerTimeline | None:
        """A speaker's statements per day, overall and within each story."""
        return speaker_timeline(self.store, speaker_id)

    def claims(self, **filters: Any) -> Iterator[ClaimRecord]:
        """Claims with their statements and sides, filtered by ``story_id``, ``claim_id``,
        ``limit``."""
        return claim_records(self.store, **filters)

    def relations(self, **filters: Any) -> Iterator[RelationRecord]:
        """Agreements and contradictions, filtered by ``relation`` (``agrees`` or
        ``contradicts``), ``story_id``, ``statement_id``, ``limit``; strongest first."""
        return relation_records(self.store, **filters)

    def export(self, table: str, out: TextIO, fmt: str = "jsonl") -> int:
        """Write one table as JSONL or CSV to ``out``; returns the number of rows."""
        return write_rows(export_rows(self.store, table), out, fmt)


def open(path: str | os.PathLike[str], *, readonly: bool = False) -> Quotegraph:
    """Open (or create) the quotegraph store at ``path``."""
    return Quotegraph(Store.open(path, readonly=readonly))
