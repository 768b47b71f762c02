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

import os
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, fields
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from quotegraph.batch.manifest import FORMAT_VERSION
from quotegraph.errors import QuotegraphError, missing_extra
from quotegraph.store.codec import article_columns, row_to_article
from quotegraph.types import (
    Article,
    Extraction,
    Failure,
    Figure,
    Span,
    Statement,
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
        ("act", pa.string(), False),
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
R = TypeVar("R", Statement, Figure, Failure)


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
    """The store's article columns, with the dateline span as one list column."""
    columns = article_columns(article)
    start, end = columns.pop("dateline_start"), columns.pop("dateline_end")
    return {**columns, "dateline_span": None if start is None else [start, end]}


def record_row(record: Statement | Figure | Failure, seq: int | None = None) -> Row:
    """A statement, figure or failure as a shard row: one column per dataclass field, spans
    (tuples) as lists, and the record's position in its article as ``seq`` when given.

    Going by the dataclass fields rather than a written list means a field added to a record
    cannot be forgotten here while being written into the schema (``pa.Table.from_pylist``
    rejects a row that lacks a schema column's non-null value).
    """
    row = {field.name: _plain(getattr(record, field.name)) for field in fields(record)}
    if seq is not None:
        row["seq"] = seq
    return row


def _plain(value: Any) -> Any:
    return [_plain(item) for item in value] if isinstance(value, tuple) else value


def part_tables(
    extractions: Sequence[Extraction], failures: Sequence[Failure]
) -> dict[str, pa.Table]:
    """The four tables of one part, each with its explicit schema (empty ones included)."""
    rows: dict[str, list[Row]] = {
        "articles": [article_row(e.article) for e in extractions],
        "statements": [
            record_row(s, seq) for e in extractions for seq, s in enumerate(e.statements)
        ],
        "figures": [record_row(f, seq) for e in extractions for seq, f in enumerate(e.figures)],
        "failures": [record_row(f) for f in failures],
    }
    return {name: pa.Table.from_pylist(rows[name], schema=SCHEMAS[name]) for name in TABLES}


# --- rows -> records ---------------------------------------------------------------------------


def _span(value: Sequence[int] | None) -> Span | None:
    return None if value is None else (int(value[0]), int(value[1]))


def row_article(row: Row) -> Article:
    start, end = row["dateline_span"] or (None, None)
    return row_to_article({**row, "dateline_start": start, "dateline_end": end})


def row_record(kind: type[R], row: Row) -> R:
    """The inverse of ``record_row``: lists back to tuples, ``seq`` dropped."""
    return kind(**{field.name: _tupled(row[field.name]) for field in fields(kind)})


def _tupled(value: Any) -> Any:
    return tuple(_tupled(item) for item in value) if isinstance(value, list) else value


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
    statements = _grouped(
        _rows(shard_path(out, "statements", part), "statements"), partial(row_record, Statement)
    )
    figures = _grouped(
        _rows(shard_path(out, "figures", part), "figures"), partial(row_record, Figure)
    )
    failures = [
        row_record(Failure, r) for r in _rows(shard_path(out, "failures", part), "failures")
    ]
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
