"""Run the stages in order: ingest -> nlp -> extract -> store.

Streaming all the way: inputs are read lazily, already stored articles are filtered out in
chunks before any parsing, spaCy parses one continuous stream (so worker processes start
once per run), and results are written in one transaction per chunk. A bad input or an
article the extractor chokes on becomes a ``Failure`` row; the run goes on.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import islice

from quotegraph.errors import QuotegraphError
from quotegraph.extract import extract_article, extract_statements
from quotegraph.ingest import IngestLimits, iter_inputs
from quotegraph.nlp import parse_texts
from quotegraph.store import Store
from quotegraph.types import Article, Extraction, Failure, IngestReport, Statement

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Progress:
    """Counts so far, handed to a progress callback after every written chunk."""

    articles_seen: int
    articles_added: int
    statements_added: int
    failures: int


ProgressCallback = Callable[[Progress], None]


@dataclass
class _Tally:
    seen: int = 0
    added: int = 0
    statements: int = 0
    figures: int = 0

    def snapshot(self, failures: int) -> Progress:
        return Progress(self.seen, self.added, self.statements, failures)


def ingest_paths(
    store: Store,
    paths: Iterable[str | os.PathLike[str]],
    *,
    workers: int = 1,
    chunk_size: int = 64,
    limits: IngestLimits | None = None,
    command: str = "ingest",
    on_progress: ProgressCallback | None = None,
) -> IngestReport:
    """Ingest every article under ``paths`` into ``store`` and report what happened."""
    if workers < 1 or chunk_size < 1:
        raise QuotegraphError("E044", detail="workers and chunk_size must be at least 1")
    started = time.perf_counter()
    run_id = store.begin_run(command)
    failures: list[Failure] = []
    tally = _Tally()
    articles = _new_articles(store, iter_inputs(paths, limits=limits), failures, tally, chunk_size)
    parsed = parse_texts(((a.text, a) for a in articles), n_process=workers)
    for chunk in _chunks(_extractions(parsed, failures), chunk_size):
        added, statements, figures = store.write_extractions(run_id, chunk)
        tally.added += added
        tally.statements += statements
        tally.figures += figures
        if on_progress is not None:
            on_progress(tally.snapshot(len(failures)))
    store.record_failures(run_id, failures)
    store.finish_run(
        run_id,
        articles_seen=tally.seen,
        articles_added=tally.added,
        statements_added=tally.statements,
        figures_added=tally.figures,
        failures=len(failures),
    )
    return IngestReport(
        run_id=run_id,
        articles_seen=tally.seen,
        articles_added=tally.added,
        articles_skipped_duplicate=tally.seen - tally.added - _analysis_failures(failures),
        statements_added=tally.statements,
        figures_added=tally.figures,
        failures=tuple(failures),
        seconds=time.perf_counter() - started,
    )


def _analysis_failures(failures: list[Failure]) -> int:
    return sum(1 for f in failures if f.stage != "ingest")


def _new_articles(
    store: Store,
    inputs: Iterator[Article | Failure],
    failures: list[Failure],
    tally: _Tally,
    chunk_size: int,
) -> Iterator[Article]:
    """Articles not stored yet; failures are diverted into ``failures`` as they stream by."""
    for chunk in _chunks(inputs, chunk_size):
        articles = []
        for item in chunk:
            if isinstance(item, Failure):
                failures.append(item)
            else:
                articles.append(item)
        tally.seen += len(articles)
        known = store.known_article_ids(a.article_id for a in articles)
        in_chunk: set[str] = set()
        for article in articles:
            if article.article_id not in known and article.article_id not in in_chunk:
                in_chunk.add(article.article_id)
                yield article


def _extractions(parsed: Iterable, failures: list[Failure]) -> Iterator[Extraction]:
    for doc, article in parsed:
        try:
            yield extract_article(doc, article)
        except Exception as exc:  # one article must never stop a batch
            logger.debug("extraction failed for %s", article.source_file, exc_info=True)
            source = article.source_file or article.article_id
            error = QuotegraphError("E021", source=source, detail=f"{type(exc).__name__}: {exc}")
            failures.append(Failure(source, error.code, error.describe(), stage="extract"))


def _chunks(items: Iterable, size: int) -> Iterator[list]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def statements_for_texts(
    texts: Iterable[tuple[str, str]], *, workers: int = 1
) -> Iterator[tuple[str, tuple[Statement, ...]]]:
    """``(key, text)`` pairs in, ``(key, statements)`` out: analysis without a store.

    Offsets of the statements point into each text exactly as given.
    """
    for doc, key in parse_texts(((text, key) for key, text in texts), n_process=workers):
        yield key, extract_statements(doc, key)
