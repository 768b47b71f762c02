"""The JSON/CSV edge: flat rows from stored records, streamed to JSON Lines or CSV.

Row functions fix the public column names and their order; downstream users load these
files with pandas or spreadsheets, so a key rename here is a breaking change. Everything
streams: rows are produced and written one at a time, never collected into a list.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from itertools import chain
from types import MappingProxyType
from typing import Any, TextIO

from quotegraph.corpus.claims import claim_records, relation_records
from quotegraph.corpus.coverage import story_coverages
from quotegraph.errors import QuotegraphError
from quotegraph.store import Store
from quotegraph.types import (
    Article,
    ClaimRecord,
    FigureRecord,
    RelationRecord,
    Span,
    Speaker,
    StatementRecord,
    StoryCoverage,
)

Row = dict[str, Any]

FORMATS = ("jsonl", "csv")


def _span(span: Span | None) -> list[int] | None:
    return None if span is None else [span[0], span[1]]


def statement_row(rec: StatementRecord) -> Row:
    st = rec.statement
    return {
        "statement_id": st.statement_id,
        "article_id": st.article_id,
        "source_file": rec.source_file,
        "article_title": rec.article_title,
        "outlet": rec.outlet,
        "published": rec.published,
        "kind": st.kind,
        "act": st.act,
        "content": st.content,
        "content_spans": [[s, e] for s, e in st.content_spans],
        "cue": st.cue,
        "cue_span": _span(st.cue_span),
        "speaker_mention": st.speaker_mention,
        "speaker_span": _span(st.speaker_span),
        "speaker": st.speaker,
        "speaker_id": rec.speaker_id,
        "speaker_type": st.speaker_type,
        "speaker_role": st.speaker_role,
        "confidence": round(st.confidence, 4),
        "rule": st.rule,
    }


def figure_row(rec: FigureRecord) -> Row:
    fig = rec.figure
    return {
        "figure_id": fig.figure_id,
        "article_id": fig.article_id,
        "source_file": rec.source_file,
        "article_title": rec.article_title,
        "value": fig.value,
        "qualifier": fig.qualifier,
        "unit": fig.unit,
        "counts": fig.counts,
        "text": fig.text,
        "span": _span(fig.span),
    }


def article_row(a: Article) -> Row:
    dateline = a.dateline
    return {
        "article_id": a.article_id,
        "source_file": a.source_file,
        "title": a.title,
        "outlet": a.outlet,
        "published": a.published,
        "dateline": dateline.place if dateline else None,
        "dateline_date": dateline.date if dateline else None,
        "author": a.author,
        "url": a.url,
        "input_format": a.input_format,
        "metadata": dict(a.metadata),
        "text_length": len(a.text),
        "copy_of": a.copy_of,
    }


def speaker_row(s: Speaker) -> Row:
    return {
        "speaker_id": s.speaker_id,
        "name": s.name,
        "speaker_type": s.speaker_type,
        "aliases": list(s.aliases),
        "roles": list(s.roles),
        "statement_count": s.statement_count,
    }


def relation_row(rec: RelationRecord) -> Row:
    """One agreement or contradiction; the ``_a``/``_b`` fields point at both statements."""
    rel = rec.relation
    row: Row = {
        "statement_a": rel.statement_a,
        "statement_b": rel.statement_b,
        "speaker_a": rec.a.statement.speaker,
        "speaker_b": rec.b.statement.speaker,
        "relation": rel.relation,
        "score": rel.score,
        "evidence": rel.evidence,
        "story_id": rel.story_id,
        "claim_id": rel.claim_id,
        "reversal": rel.reversal,
    }
    for side, record in (("a", rec.a), ("b", rec.b)):
        row[f"speaker_id_{side}"] = record.speaker_id
        row[f"content_{side}"] = record.statement.content
        row[f"article_id_{side}"] = record.statement.article_id
        row[f"content_spans_{side}"] = [[s, e] for s, e in record.statement.content_spans]
        row[f"outlet_{side}"] = record.outlet
        row[f"published_{side}"] = record.published
    return row


def claim_row(rec: ClaimRecord) -> Row:
    claim = rec.claim
    return {
        "claim_id": claim.claim_id,
        "label": claim.label,
        "label_statement": claim.label_statement,
        "story_id": claim.story_id,
        "first_published": claim.first_published,
        "last_published": claim.last_published,
        "statements": [
            {
                "statement_id": r.statement.statement_id,
                "speaker": r.statement.speaker,
                "speaker_id": r.speaker_id,
                "outlet": r.outlet,
                "published": r.published,
                "side": rec.sides.get(r.statement.statement_id, 0),
                "content": r.statement.content,
            }
            for r in rec.statements
        ],
    }


def story_row(coverage: StoryCoverage) -> Row:
    """One story: its articles and outlets, and per outlet the speakers it quoted (speaker id
    -> statements) and those it left out (quoted by other outlets of the story)."""
    story = coverage.story
    return {
        "story_id": story.story_id,
        "title": story.title,
        "first_published": story.first_published,
        "last_published": story.last_published,
        "article_ids": list(story.article_ids),
        "outlets": list(story.outlets),
        "statement_count": story.statement_count,
        "speakers": {s.speaker_id: s.name for s in coverage.speakers},
        "outlet_speakers": {o.outlet: dict(o.quoted) for o in coverage.outlets},
        "outlet_unattributed": {o.outlet: o.unattributed for o in coverage.outlets},
        "left_out": {o.outlet: list(o.left_out) for o in coverage.outlets},
    }


RecordSource = Callable[[Store], Iterable[Any]]
RowFunction = Callable[[Any], Row]

EXPORT_TABLES: Mapping[str, tuple[RecordSource, RowFunction]] = MappingProxyType(
    {
        "statements": (Store.statements, statement_row),
        "figures": (Store.figures, figure_row),
        "articles": (Store.articles, article_row),
        "speakers": (Store.speakers, speaker_row),
        "stories": (story_coverages, story_row),
        "claims": (claim_records, claim_row),
        "contradictions": (relation_records, relation_row),
    }
)
"""Exportable table → (the Store method yielding its records, the row function)."""


def check_export(table: str, fmt: str | None = None) -> None:
    """E040 for a table not in EXPORT_TABLES, E041 for a format not in FORMATS.

    Front ends call this before opening an output file, so a typo never truncates one.
    """
    if table not in EXPORT_TABLES:
        known = ", ".join(EXPORT_TABLES)
        raise QuotegraphError("E040", source=table, detail=f"choose one of: {known}")
    if fmt is not None and fmt not in FORMATS:
        raise QuotegraphError("E041", source=fmt, detail=f"choose one of: {', '.join(FORMATS)}")


def export_rows(store: Store, table: str) -> Iterator[Row]:
    """Every row of ``table`` as a dict, streamed; E040 for a table not in EXPORT_TABLES."""
    check_export(table)
    records, to_row = EXPORT_TABLES[table]
    return map(to_row, records(store))


def write_rows(rows: Iterable[Row], out: TextIO, fmt: str) -> int:
    """Write rows to ``out`` as ``jsonl`` or ``csv``; returns the number of rows written.

    CSV takes its header from the first row; list and dict cells are JSON-encoded and None
    becomes an empty cell. An empty ``rows`` writes nothing, not even a header, because the
    columns are only known from a row. E041 for any other format.
    """
    if fmt == "jsonl":
        return _write_jsonl(rows, out)
    if fmt == "csv":
        return _write_csv(rows, out)
    raise QuotegraphError("E041", source=fmt, detail=f"choose one of: {', '.join(FORMATS)}")


def _write_jsonl(rows: Iterable[Row], out: TextIO) -> int:
    count = 0
    for row in rows:
        out.write(json.dumps(row, ensure_ascii=False, separators=(",", ":")))
        out.write("\n")
        count += 1
    return count


def _cell(value: Any) -> Any:
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return value


def _write_csv(rows: Iterable[Row], out: TextIO) -> int:
    it = iter(rows)
    first = next(it, None)
    if first is None:
        return 0
    # "\n" rather than csv's "\r\n": the stream is text, and text streams translate newlines
    # for the platform themselves.
    writer = csv.DictWriter(out, fieldnames=list(first), lineterminator="\n")
    writer.writeheader()
    count = 0
    for row in chain([first], it):
        writer.writerow({key: _cell(value) for key, value in row.items()})
        count += 1
    return count
