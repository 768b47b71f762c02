"""Run the stages in order: ingest -> nlp -> extract -> store.

Streaming all the way: inputs are read lazily, already stored articles are filtered out in
chunks before any parsing, and results are written in one transaction per chunk. With more
than one worker, each worker process loads the spaCy pipeline once and both parses and
extracts, so only small records (never parsed documents) cross process boundaries, and at
most ``2 × workers`` chunks are in flight, so memory stays flat however large the corpus.
A bad input or an article the extractor chokes on becomes a ``Failure`` row; the run goes on.

A run can be stopped from outside (a signal handler, another thread) through a
``threading.Event``: once it is set, no more work is handed out, the workers are ended, the
extractions already handed to the writer are written, and the run returns what it
committed. Worker processes die with this process however it ends (``workers.py``).
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import Future
from dataclasses import dataclass, field
from functools import partial
from itertools import islice
from typing import Any, TypeVar

from spacy.tokens import Doc

from quotegraph.errors import QuotegraphError
from quotegraph.extract import analyse_statements, extract_article
from quotegraph.extract.tagger import SHIPPED
from quotegraph.ingest import IngestLimits, iter_inputs
from quotegraph.ingest.fields import record_to_article
from quotegraph.nlp import MAX_PARSE_CHARS, load_pipeline, parse_texts
from quotegraph.store import Store
from quotegraph.types import Article, Extraction, Failure, IngestReport, Skipped, Statement
from quotegraph.workers import start_pool, stop_pool

logger = logging.getLogger(__name__)
T = TypeVar("T")
R = TypeVar("R")

# Articles handed to a worker at a time: large enough to amortise the hand-over, small enough
# that both workers stay busy to the end of a small corpus.
WORKER_CHUNK = 8
STOP_CHECK_SECONDS = 0.2
"""While waiting for a worker's result, how often a stop request is looked at."""


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
    skipped: Counter[str] = field(default_factory=Counter)
    """Records passed over on purpose (``Skipped``), by reason."""

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
    relative_to: str | os.PathLike[str] | None = None,
    stop: threading.Event | None = None,
) -> IngestReport:
    """Ingest every article under ``paths`` into ``store`` and report what happened.

    ``workers=0`` means one worker per available core (``available_cores()``). Each
    article's ``source_file`` is its path as given, or from ``relative_to`` when set. Setting
    ``stop`` ends the run early: the articles analysed by then are written, the rest are
    left for the next run (which skips what is stored), and the report counts what this
    run stored.
    """
    if chunk_size < 1:
        raise QuotegraphError("E044", detail="chunk_size must be at least 1")
    return _run(
        store,
        iter_inputs(paths, limits=limits, relative_to=relative_to),
        workers=resolve_workers(workers),
        chunk_size=chunk_size,
        command=command,
        on_progress=on_progress,
        stop=stop,
    )


def available_cores() -> int:
    """Cores this process may run on (its CPU affinity, which containers narrow)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - platforms without sched_getaffinity
        return max(1, os.cpu_count() or 1)


def resolve_workers(workers: int) -> int:
    """The worker count to use: ``0`` means all available cores; negative is E044."""
    if workers < 0:
        raise QuotegraphError("E044", detail="workers must be 0 (all cores) or more")
    return workers or available_cores()


def ingest_records(
    store: Store,
    records: Iterable[Mapping[str, Any]],
    *,
    source: str = "api",
    limits: IngestLimits | None = None,
    command: str = "ingest records",
) -> IngestReport:
    """Ingest article records (the JSONL fields: ``text``, ``title``, ``url``, ``outlet``,
    ``published``, ``author``, ...) that arrive in memory rather than in files.

    Record N's ``source_file`` is ``{source}#N``; a record that cannot become an article
    (no text, a field of the wrong type) is a Failure like a bad JSONL line. Runs in this
    process with one parser, which suits the small batches an API receives.
    """
    limits = limits or IngestLimits()
    inputs = (
        record_to_article(record, source=f"{source}#{n}", input_format="jsonl", limits=limits)
        for n, record in enumerate(records, 1)
    )
    return _run(store, inputs, workers=1, chunk_size=64, command=command, on_progress=None)


def _run(
    store: Store,
    inputs: Iterable[Article | Failure | Skipped],
    *,
    workers: int,
    chunk_size: int,
    command: str,
    on_progress: ProgressCallback | None,
    stop: threading.Event | None = None,
) -> IngestReport:
    started = time.perf_counter()
    run_id = store.begin_run(command)
    failures: list[Failure] = []
    tally = _Tally()
    articles = _new_articles(store, inputs, failures, tally, chunk_size)
    analysed = analyse_articles(articles, workers=workers, failures=failures, stop=stop)
    for chunk in _chunks(_divert_failures(analysed, failures), chunk_size):
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
        records_skipped=sum(tally.skipped.values()),
        skipped_reasons=dict(tally.skipped.most_common()),
    )


def _analysis_failures(failures: list[Failure]) -> int:
    return sum(1 for f in failures if f.stage != "ingest")


def _new_articles(
    store: Store,
    inputs: Iterable[Article | Failure | Skipped],
    failures: list[Failure],
    tally: _Tally,
    chunk_size: int,
) -> Iterator[Article]:
    """Articles not stored yet; failures are diverted into ``failures`` and skipped records
    counted into ``tally.skipped`` as they stream by."""
    for chunk in _chunks(inputs, chunk_size):
        articles = []
        for item in chunk:
            if isinstance(item, Failure):
                failures.append(item)
            elif isinstance(item, Skipped):
                tally.skipped[item.reason] += 1
            else:
                articles.append(item)
        tally.seen += len(articles)
        known = store.known_article_ids(a.article_id for a in articles)
        in_chunk: set[str] = set()
        for article in articles:
            if article.article_id not in known and article.article_id not in in_chunk:
                in_chunk.add(article.article_id)
                yield article


def _parseable(articles: Iterable[Article], failures: list[Failure]) -> Iterator[Article]:
    """Articles the parser accepts; a longer one (possible with raised ingest limits) would
    make spaCy raise for the whole batch, so it becomes an E020 failure here."""
    for article in articles:
        if len(article.text) <= MAX_PARSE_CHARS:
            yield article
            continue
        source = article.source_file or article.article_id
        error = QuotegraphError(
            "E020",
            source=source,
            detail=f"{len(article.text)} characters, the parser takes at most {MAX_PARSE_CHARS}",
        )
        failures.append(Failure(source, error.code, error.describe(), stage="nlp"))


def _divert_failures(
    results: Iterable[Extraction | Failure], failures: list[Failure]
) -> Iterator[Extraction]:
    for result in results:
        if isinstance(result, Failure):
            failures.append(result)
        else:
            yield result


# --- analysis: parse + extract, in this process or in worker processes -----------------------


def analyse_articles(
    articles: Iterable[Article],
    *,
    workers: int,
    failures: list[Failure],
    stop: threading.Event | None = None,
) -> Iterator[Extraction | Failure]:
    """Parse and extract ``articles`` in input order, here (``workers=1``) or in worker
    processes. Shared by ``ingest`` and the batch engines (``quotegraph.batch``).

    An article that breaks the extractor comes out as an E021 ``Failure`` in its place; one
    too long to parse never reaches the parser and is appended to ``failures`` (E020).
    Once ``stop`` is set the results end early: here after the parser's current batch (at
    most 16 articles), with workers at once, dropping the chunks not yet handed over.
    """
    return _analyse(_parseable(articles, failures), workers, stop)


def _analyse(
    articles: Iterable[Article], workers: int, stop: threading.Event | None
) -> Iterator[Extraction | Failure]:
    if workers == 1:
        return _analyse_here(articles, stop)
    return _in_workers(_analyse_chunk, articles, workers, stop)


def _analyse_here(
    articles: Iterable[Article], stop: threading.Event | None
) -> Iterator[Extraction | Failure]:
    for doc, article in parse_texts((a.text, a) for a in articles):
        yield _extract_or_fail(doc, article)
        if stop is not None and stop.is_set():
            return


def _analyse_chunk(articles: list[Article]) -> list[Extraction | Failure]:
    """Worker-side: parse and extract a few articles."""
    return [_extract_or_fail(doc, a) for doc, a in parse_texts((a.text, a) for a in articles)]


def _extract_or_fail(doc: Doc, article: Article) -> Extraction | Failure:
    try:
        return extract_article(doc, article)
    except Exception as exc:  # one article must never stop a batch
        logger.debug("extraction failed for %s", article.source_file, exc_info=True)
        source = article.source_file or article.article_id
        error = QuotegraphError("E021", source=source, detail=f"{type(exc).__name__}: {exc}")
        return Failure(source, error.code, error.describe(), stage="extract")


def _warm_worker() -> None:
    load_pipeline()


def _in_workers(
    work: Callable[[list[T]], list[R]],
    items: Iterable[T],
    workers: int,
    stop: threading.Event | None = None,
) -> Iterator[R]:
    """``work`` over chunks of ``items`` in ``workers`` processes, results in input order.

    Submission is bounded (``Executor.map`` would read the whole input up front). The
    ``fork`` start method shares the imported code with the workers, as spaCy's own
    ``n_process`` does; each worker loads the model once in its initializer and dies with
    this process (``workers.start_pool``). The results end early once ``stop`` is set; on
    a stop, an exception (KeyboardInterrupt included) or a consumer that closes this
    generator, the workers are ended at once instead of finishing the queued chunks.
    """
    if _stopped(stop):
        return
    pool = start_pool(workers, _warm_worker)
    finished = False
    try:
        pending: deque[Future[list[R]]] = deque()
        for chunk in _chunks(items, WORKER_CHUNK):
            if _stopped(stop):
                return
            pending.append(pool.submit(work, chunk))
            while len(pending) >= 2 * workers:
                results = _result_unless_stopped(pending.popleft(), stop)
                if results is None:
                    return
                yield from results
        while pending:
            results = _result_unless_stopped(pending.popleft(), stop)
            if results is None:
                return
            yield from results
        finished = True
    finally:
        if finished:
            pool.shutdown(wait=True)
        else:
            stop_pool(pool)


def _stopped(stop: threading.Event | None) -> bool:
    return stop is not None and stop.is_set()


def _result_unless_stopped(future: Future[list[R]], stop: threading.Event | None) -> list[R] | None:
    """The future's result, or None as soon as a stop is requested before it arrives."""
    if stop is None:
        return future.result()
    while not stop.is_set():
        try:
            return future.result(timeout=STOP_CHECK_SECONDS)
        except TimeoutError:
            continue
    return None


def _chunks(items: Iterable[T], size: int) -> Iterator[list[T]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def statements_for_texts(
    texts: Iterable[tuple[str, str]], *, workers: int = 1, tagger: str = SHIPPED
) -> Iterator[tuple[str, tuple[Statement, ...]]]:
    """``(key, text)`` pairs in, ``(key, statements)`` out: analysis without a store.

    Offsets of the statements point into each text exactly as given. ``tagger`` says which
    attribution tagger adds statements (``extract.tagger.tagger_for``).
    """
    for key, analysed in analysed_for_texts(texts, workers=workers, tagger=tagger):
        yield key, tuple(statement for statement, _ in analysed)


def analysed_for_texts(
    texts: Iterable[tuple[str, str]], *, workers: int = 1, tagger: str = SHIPPED
) -> Iterator[tuple[str, list[tuple[Statement, str]]]]:
    """Like ``statements_for_texts``, with each statement's confidence bucket."""
    work = partial(_analysed_chunk, tagger=tagger)
    if workers == 1:
        for chunk in _chunks(texts, WORKER_CHUNK):
            yield from work(chunk)
        return
    yield from _in_workers(work, texts, workers)


def _analysed_chunk(
    items: list[tuple[str, str]], *, tagger: str = SHIPPED
) -> list[tuple[str, list[tuple[Statement, str]]]]:
    parsed = parse_texts((text, key) for key, text in items)
    return [(key, analyse_statements(doc, key, tagger=tagger)) for doc, key in parsed]
