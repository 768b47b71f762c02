"""Typed records <-> Arrow tables with explicit schemas, and one part of a batch output.

A batch output directory holds four tables, each split into parts with the same names::

    DIR/articles/part-00000.parquet    DIR/statements/part-00000.parquet
    DIR/figures/part-00000.parquet     DIR/failures/part-00000.parquet

The statements and figures of the articles in ``articles/P`` are in ``statements/P`` and
``figures/P``, so a loader needs one part at a time in memory, never the whole output.
Spans are ``list<int32>`` (``[start, end]``), statement content spans ``list<list<int32>>``
and the article metadata mapping a JSON object in a string column.
"""

from __future__ import annotations

import json
import os
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar, cast

from quotegraph.batch.manifest import FORMAT_VERSION
from quotegraph.errors import QuotegraphError, missing_extra
from quotegraph.types import (
    Article,
    Dateline,
    Extraction,
    Failure,
    Figure,
    InputFormat,
    Span,
    SpeakerType,
    Statement,
    StatementKind,
)

try:
    import pyarrow as pa
    import pyarrow.parquet as pq
except ImportError as exc:  # pragma: no cover - exercised by a test that hides pyarrow
    raise missing_extra("batch", "pyarrow") from exc

SHARD_VERSION = FORMAT_VERSION
"""Bumped (in ``manifest``) whenever a schema below changes; ``load`` refuses other versions."""
TABLES: tuple[str, ...] = ("articles", "statements", "figures", "failures")
READ_BATCH_ROWS = 256
"""Rows per record batch when reading articles back (bounds memory per step)."""

_SPAN = pa.list_(pa.int32())
_META = {b"quotegraph.shard_version": str(SHARD_VERSION).encode()}


def _schema(*columns: tuple[str, pa.DataType, bool]) -> pa.Schema:
    return pa.schema([pa.field(n, t, nullable=null) for n, t, null in columns], metadata=_META)


SCHEMAS: Mapping[str, pa.Schema] = {
    "articles": _schema(
        ("article_id", pa.string(), False),
        ("text", pa.string(), False),
        ("title", pa.string(), True),
        ("source_file", pa.string(), True),
        ("url", pa.string(), True),
        ("outlet", pa.string(), True),
        ("published", pa.string(), True),
        ("author", pa.string(), True),
        ("input_format", pa.string(), False),
        ("dateline_place", pa.string(), True),
        ("dateline_span", _SPAN, True),
        ("dateline_date", pa.string(), True),
        ("dateline_source", pa.string(), True),
        ("metadata", pa.string(), False),
    ),
    "statements": _schema(
        ("statement_id", pa.string(), False),
        ("article_id", pa.string(), False),
        ("seq", pa.int32(), False),
        ("kind", pa.string(), False),
        ("content", pa.string(), False),
        ("content_spans", pa.list_(_SPAN), False),
        ("cue", pa.string(), True),
        ("cue_span", _SPAN, True),
        ("speaker_mention", pa.string(), True),
        ("speaker_span", _SPAN, True),
        ("speaker", pa.string(), True),
        ("speaker_type", pa.string(), False),
        ("speaker_role", pa.string(), True),
        ("confidence", pa.float64(), False),
        ("rule", pa.string(), False),
    ),
    "figures": _schema(
        ("figure_id", pa.string(), False),
        ("article_id", pa.string(), False),
        ("seq", pa.int32(), False),
        ("value", pa.float64(), False),
        ("text", pa.string(), False),
        ("span", _SPAN, False),
        ("qualifier", pa.string(), True),
        ("unit", pa.string(), True),
        ("counts", pa.string(), True),
    ),
    "failures": _schema(
        ("source", pa.string(), False),
        ("code", pa.string(), False),
        ("message", pa.string(), False),
        ("stage", pa.string(), False),
    ),
}

Row = dict[str, Any]
T = TypeVar("T")


@dataclass(frozen=True)
class PartSummary:
    """One written part: its name and how many rows each of its tables holds."""

    name: str
    articles: int
    statements: int
    figures: int
    failures: int


# --- records -> rows ---------------------------------------------------------------------------


def _span_list(span: Span | None) -> list[int] | None:
    return None if span is None else [span[0], span[1]]


def article_row(article: Article) -> Row:
    dateline = article.dateline
    return {
        "article_id": article.article_id,
        "text": article.text,
        "title": article.title,
        "source_file": article.source_file,
        "url": article.url,
        "outlet": article.outlet,
        "published": article.published,
        "author": article.author,
        "input_format": article.input_format,
        "dateline_place": dateline.place if dateline else None,
        "dateline_span": _span_list(dateline.span) if dateline else None,
        "dateline_date": dateline.date if dateline else None,
        "dateline_source": dateline.source if dateline else None,
        "metadata": json.dumps(dict(article.metadata), ensure_ascii=False),
    }


def statement_row(statement: Statement, seq: int) -> Row:
    return {
        "statement_id": statement.statement_id,
        "article_id": statement.article_id,
        "seq": seq,
        "kind": statement.kind,
        "content": statement.content,
        "content_spans": [[start, end] for start, end in statement.content_spans],
        "cue": statement.cue,
        "cue_span": _span_list(statement.cue_span),
        "speaker_mention": statement.speaker_mention,
        "speaker_span": _span_list(statement.speaker_span),
        "speaker": statement.speaker,
        "speaker_type": statement.speaker_type,
        "speaker_role": statement.speaker_role,
        "confidence": statement.confidence,
        "rule": statement.rule,
    }


def figure_row(figure: Figure, seq: int) -> Row:
    return {
        "figure_id": figure.figure_id,
        "article_id": figure.article_id,
        "seq": seq,
        "value": figure.value,
        "text": figure.text,
        "span": _span_list(figure.span),
        "qualifier": figure.qualifier,
        "unit": figure.unit,
        "counts": figure.counts,
    }


def failure_row(failure: Failure) -> Row:
    return {
        "source": failure.source,
        "code": failure.code,
        "message": failure.message,
        "stage": failure.stage,
    }


def part_tables(
    extractions: Sequence[Extraction], failures: Sequence[Failure]
) -> dict[str, pa.Table]:
    """The four tables of one part, each with its explicit schema (empty ones included)."""
    rows: dict[str, list[Row]] = {
        "articles": [article_row(e.article) for e in extractions],
        "statements": [
            statement_row(s, seq) for e in extractions for seq, s in enumerate(e.statements)
        ],
        "figures": [figure_row(f, seq) for e in extractions for seq, f in enumerate(e.figures)],
        "failures": [failure_row(f) for f in failures],
    }
    return {name: pa.Table.from_pylist(rows[name], schema=SCHEMAS[name]) for name in TABLES}


# --- rows -> records ---------------------------------------------------------------------------


def _span(value: Sequence[int] | None) -> Span | None:
    return None if value is None else (int(value[0]), int(value[1]))


def row_article(row: Row) -> Article:
    dateline = None
    if row["dateline_place"] is not None:
        dateline = Dateline(
            place=row["dateline_place"],
            span=cast(Span, _span(row["dateline_span"])),
            date=row["dateline_date"],
            source=row["dateline_source"],
        )
    return Article(
        article_id=row["article_id"],
        text=row["text"],
        title=row["title"],
        source_file=row["source_file"],
        url=row["url"],
        outlet=row["outlet"],
        published=row["published"],
        author=row["author"],
        dateline=dateline,
        input_format=cast(InputFormat, row["input_format"]),
        metadata=json.loads(row["metadata"]),
    )


def row_statement(row: Row) -> Statement:
    return Statement(
        statement_id=row["statement_id"],
        article_id=row["article_id"],
        kind=cast(StatementKind, row["kind"]),
        content=row["content"],
        content_spans=tuple(cast(Span, _span(s)) for s in row["content_spans"]),
        cue=row["cue"],
        cue_span=_span(row["cue_span"]),
        speaker_mention=row["speaker_mention"],
        speaker_span=_span(row["speaker_span"]),
        speaker=row["speaker"],
        speaker_type=cast(SpeakerType, row["speaker_type"]),
        speaker_role=row["speaker_role"],
        confidence=row["confidence"],
        rule=row["rule"],
    )


def row_figure(row: Row) -> Figure:
    return Figure(
        figure_id=row["figure_id"],
        article_id=row["article_id"],
        value=row["value"],
        text=row["text"],
        span=cast(Span, _span(row["span"])),
        qualifier=row["qualifier"],
        unit=row["unit"],
        counts=row["counts"],
    )


def row_failure(row: Row) -> Failure:
    return Failure(row["source"], row["code"], row["message"], stage=row["stage"])


# --- files -------------------------------------------------------------------------------------


def shard_path(out: Path, table: str, part: str) -> Path:
    return out / table / f"{part}.parquet"


def write_part(
    out: Path, part: str, extractions: Sequence[Extraction], failures: Sequence[Failure]
) -> PartSummary:
    """Write the four files of part ``part``; each appears under its name only when complete."""
    tables = part_tables(extractions, failures)
    for table, data in tables.items():
        target = shard_path(out, table, part)
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(f".{target.name}.partial")
        pq.write_table(data, partial)
        os.replace(partial, target)
    return PartSummary(
        part, *(tables[t].num_rows for t in ("articles", "statements", "figures", "failures"))
    )


def _open(path: Path, table: str) -> pq.ParquetFile:
    if not path.is_file():
        raise QuotegraphError("E050", source=str(path), detail="shard listed in the manifest")
    try:
        shard = pq.ParquetFile(path)
    except (pa.ArrowException, OSError) as exc:
        raise QuotegraphError("E051", source=str(path), detail=str(exc)) from exc
    schema = shard.schema_arrow
    if not schema.equals(SCHEMAS[table]) or (schema.metadata or {}) != _META:
        raise QuotegraphError(
            "E051", source=str(path), detail=f"not a version {SHARD_VERSION} {table} shard"
        )
    return shard


def row_count(out: Path, table: str, part: str) -> int:
    """Rows in one shard, from its footer (E050 when missing, E051 when foreign)."""
    return int(_open(shard_path(out, table, part), table).metadata.num_rows)


def _rows(path: Path, table: str) -> Iterator[Row]:
    """The rows of one shard; the file is opened and checked now, read lazily."""
    return _stream(_open(path, table), path)


def _stream(shard: pq.ParquetFile, path: Path) -> Iterator[Row]:
    try:
        for batch in shard.iter_batches(batch_size=READ_BATCH_ROWS):
            yield from batch.to_pylist()
    except (pa.ArrowException, OSError) as exc:
        raise QuotegraphError("E051", source=str(path), detail=str(exc)) from exc


def read_part(out: Path, part: str) -> tuple[Iterator[Extraction], list[Failure]]:
    """Part ``part`` as extractions (streamed in article order) and its failures.

    Statements and figures of the part are grouped by article first; they are small next to
    the article texts, which stream in record batches.
    """
    statements = _grouped(_rows(shard_path(out, "statements", part), "statements"), row_statement)
    figures = _grouped(_rows(shard_path(out, "figures", part), "figures"), row_figure)
    failures = [row_failure(r) for r in _rows(shard_path(out, "failures", part), "failures")]
    articles = _rows(shard_path(out, "articles", part), "articles")
    extractions = (
        Extraction(
            article=row_article(row),
            statements=tuple(statements.get(row["article_id"], ())),
            figures=tuple(figures.get(row["article_id"], ())),
        )
        for row in articles
    )
    return extractions, failures


def _grouped(rows: Iterable[Row], convert: Callable[[Row], T]) -> dict[str, list[T]]:
    """Records by article id, in ``seq`` order."""
    by_article: dict[str, list[tuple[int, T]]] = defaultdict(list)
    for row in rows:
        by_article[row["article_id"]].append((row["seq"], convert(row)))
    return {
        key: [record for _, record in sorted(items, key=lambda item: item[0])]
        for key, items in by_article.items()
    }
