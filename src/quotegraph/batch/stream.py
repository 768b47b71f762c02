"""From input records to written parts: the steps both batch engines share.

``analysed_inputs`` turns the records ``iter_inputs`` yields into extractions and failures
(through ``pipeline.analyse_articles``, the same analysis ``ingest`` runs), and
``write_parts`` groups them into parts of at most ``part_size`` records and writes each part
as soon as it is full, so memory holds one part however large the corpus.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from quotegraph.batch.shards import PartSummary, write_part
from quotegraph.pipeline import analyse_articles
from quotegraph.types import Article, BatchReport, Extraction, Failure


@dataclass
class InputTally:
    """Input records that were neither articles nor failures (``Skipped``): counted only."""

    skipped: int = 0


def analysed_inputs(
    items: Iterable[object],
    *,
    workers: int,
    tally: InputTally,
    stop: threading.Event | None = None,
) -> Iterator[Extraction | Failure]:
    """An Extraction per article and a Failure per bad input, in input order (failures may
    come a few records late); other records are counted in ``tally`` and dropped. The
    results end early once ``stop`` is set (``pipeline.analyse_articles``)."""
    side: list[Failure] = []
    articles = _articles(items, side, tally)
    for result in analyse_articles(articles, workers=workers, failures=side, stop=stop):
        if side:
            yield from side
            side.clear()
        yield result
    yield from side


def _articles(items: Iterable[object], side: list[Failure], tally: InputTally) -> Iterator[Article]:
    for item in items:
        if isinstance(item, Article):
            yield item
        elif isinstance(item, Failure):
            side.append(item)
        else:
            tally.skipped += 1


def write_parts(
    results: Iterable[Extraction | Failure],
    out: Path,
    *,
    part_size: int,
    names: Iterator[str],
) -> Iterator[PartSummary]:
    """Write ``results`` as parts of at most ``part_size`` records, named from ``names``.

    An article whose id (its text's hash) is already in the part is dropped: the shards key
    statements by article id, and the store keeps only the first copy anyway. Copies in
    different parts are all written; ``load`` stores the first one it meets.
    """
    extractions: list[Extraction] = []
    failures: list[Failure] = []
    in_part: set[str] = set()
    for result in results:
        if isinstance(result, Failure):
            failures.append(result)
        elif result.article.article_id not in in_part:
            in_part.add(result.article.article_id)
            extractions.append(result)
        if len(extractions) + len(failures) >= part_size:
            yield write_part(out, next(names), extractions, failures)
            extractions, failures, in_part = [], [], set()
    if extractions or failures:
        yield write_part(out, next(names), extractions, failures)


def batch_report(
    out: Path,
    engine: str,
    workers: int,
    parts: list[PartSummary],
    *,
    skipped: int,
    seconds: float,
) -> BatchReport:
    """The totals of a run from its parts."""
    return BatchReport(
        out=str(out),
        engine=engine,
        workers=workers,
        parts=tuple(p.name for p in parts),
        articles=sum(p.articles for p in parts),
        statements=sum(p.statements for p in parts),
        figures=sum(p.figures for p in parts),
        failures=sum(p.failures for p in parts),
        records_skipped=skipped,
        seconds=seconds,
    )
