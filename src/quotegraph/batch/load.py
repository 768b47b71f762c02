"""Merge a batch output into a store, then run the corpus passes.

The manifest says which parts are complete; every listed shard is checked (present, the
right schema, the row counts the manifest gives) before anything is written, so a damaged
directory is refused whole (E050/E051). Parts are then read one at a time, articles in
record batches, and written ``chunk_size`` extractions per transaction. Articles the store
already holds are skipped with their statements (ids are content hashes), so loading the
same directory twice, or two directories that overlap, adds nothing twice.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

from quotegraph.batch.manifest import read_manifest
from quotegraph.batch.shards import TABLES, read_part, row_count
from quotegraph.errors import QuotegraphError
from quotegraph.store import Store
from quotegraph.types import BatchReport, CorpusReport, Extraction, LoadReport

DEFAULT_CHUNK = 256
"""Extractions per write transaction."""


@dataclass
class _Tally:
    seen: int = 0
    added: int = 0
    statements: int = 0
    figures: int = 0
    failures: int = 0


def load_shards(
    store: Store,
    out: str | Path,
    *,
    chunk_size: int = DEFAULT_CHUNK,
    corpus_passes: bool = True,
) -> LoadReport:
    """Load the complete batch output in ``out`` into ``store``; with ``corpus_passes``
    (the default) run them afterwards over the whole store."""
    if chunk_size < 1:
        raise QuotegraphError("E044", detail="chunk_size must be at least 1")
    started = time.perf_counter()
    directory = Path(out)
    manifest = read_manifest(directory)
    check_shards(manifest)
    run_id = store.begin_run(f"load {directory}")
    tally = _Tally()
    for part in manifest.parts:
        _load_part(store, run_id, directory, part, chunk_size, tally)
    store.finish_run(
        run_id,
        articles_seen=tally.seen,
        articles_added=tally.added,
        statements_added=tally.statements,
        figures_added=tally.figures,
        failures=tally.failures,
    )
    corpus = run_passes(store) if corpus_passes else None
    return LoadReport(
        run_id=run_id,
        parts=len(manifest.parts),
        articles_seen=tally.seen,
        articles_added=tally.added,
        statements_added=tally.statements,
        figures_added=tally.figures,
        failures=tally.failures,
        seconds=time.perf_counter() - started,
        corpus=corpus,
    )


def check_shards(manifest: BatchReport) -> None:
    """Every part the manifest lists exists with the right schema, and the tables hold the
    numbers of rows the manifest counted (E050 otherwise; E051 for a foreign file)."""
    directory = Path(manifest.out)
    expected = {
        "articles": manifest.articles,
        "statements": manifest.statements,
        "figures": manifest.figures,
        "failures": manifest.failures,
    }
    for table in TABLES:
        found = sum(row_count(directory, table, part) for part in manifest.parts)
        if found != expected[table]:
            raise QuotegraphError(
                "E050",
                source=str(directory),
                detail=f"the shards hold {found} {table}, the manifest counted {expected[table]}",
            )


def _load_part(
    store: Store, run_id: int, directory: Path, part: str, chunk_size: int, tally: _Tally
) -> None:
    extractions, failures = read_part(directory, part)
    for chunk in _chunks(extractions, chunk_size):
        added, statements, figures = store.write_extractions(run_id, chunk)
        tally.seen += len(chunk)
        tally.added += added
        tally.statements += statements
        tally.figures += figures
    if failures:
        tally.failures += store.record_failures(run_id, failures)


def _chunks(items: Iterable[Extraction], size: int) -> Iterator[list[Extraction]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def run_passes(store: Store) -> CorpusReport:
    """The corpus passes over the whole store (imported here: they need the store only after
    every article is in)."""
    from quotegraph.corpus.passes import run_corpus_passes

    return run_corpus_passes(store)
