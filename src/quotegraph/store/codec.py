"""Conversions between typed records and SQL rows, and the deterministic speaker id.

Only this module knows how a record is spread over columns; JSON appears here solely for
list- and dict-valued fields that SQLite has no type for (``content_spans``, ``metadata``).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any, cast

from quotegraph.types import (
    Act,
    Article,
    Dateline,
    Failure,
    Figure,
    FigureRecord,
    InputFormat,
    Span,
    SpeakerType,
    Statement,
    StatementKind,
    StatementRecord,
)

Row = Mapping[str, Any]
"""A result row by column name (``reader.stream`` hands out plain dicts: much cheaper to
index by name than ``sqlite3.Row``, which matters for pages of hundreds of statements)."""

_PRONOUNS = frozenset(
    {"i", "me", "my", "he", "him", "his", "she", "her", "hers", "it", "its", "we", "us"}
    | {"our", "they", "them", "their", "you", "your", "one"}
)
"""Mentions that refer to a speaker without naming them: not useful as aliases."""


@dataclass(frozen=True)
class RunRecord:
    """One row of ``runs``: what a command did and when."""

    run_id: int
    command: str
    started_at: str
    finished_at: str | None = None
    articles_seen: int = 0
    articles_added: int = 0
    statements_added: int = 0
    figures_added: int = 0
    failures: int = 0


def name_key(name: str) -> str:
    """The comparison form of a name: case-folded with runs of whitespace made one space."""
    return " ".join(name.split()).casefold()


def speaker_id_for(name: str, speaker_type: str) -> str:
    """A stable id for a speaker: the same name and type give the same id in every store."""
    digest = hashlib.sha256(f"{speaker_type}\x1f{name_key(name)}".encode()).hexdigest()
    return f"sp_{digest[:12]}"


def statement_speaker_id(statement: Statement) -> str | None:
    """The store-wide speaker id of a statement's resolved speaker (None: none resolved).

    A group named by its members ("Tom Hale and Ruth Ames") is the same people wherever it is
    named. A group named by what its members share ("Republicans", "One Republican" →
    "Republican") is different people in every article: its id is scoped to the article, so
    that no two articles' "Republicans" become one speaker."""
    name = statement.speaker
    if name is None or not name.strip():
        return None
    if statement.speaker_type == "group" and not _names_members(name):
        return speaker_id_for(f"{name}\x1f{statement.article_id}", "group")
    return speaker_id_for(name, statement.speaker_type)


def _names_members(name: str) -> bool:
    return " and " in name or "," in name or " & " in name


def speaker_aliases(statement: Statement) -> tuple[str, ...]:
    """The names under which a statement's resolved speaker appears (name first)."""
    names = [statement.speaker or ""]
    mention = statement.speaker_mention
    if mention and name_key(mention) not in _PRONOUNS:
        names.append(mention)
    return tuple(dict.fromkeys(n for n in names if n.strip()))


def _span(start: int | None, end: int | None) -> Span | None:
    return None if start is None or end is None else (start, end)


def _bounds(span: Span | None) -> tuple[int | None, int | None]:
    return (None, None) if span is None else (span[0], span[1])


def article_params(article: Article, run_id: int, ingested_at: str) -> dict[str, Any]:
    return {**article_columns(article), "run_id": run_id, "ingested_at": ingested_at}


def article_columns(article: Article) -> dict[str, Any]:
    """The article's own columns (also the batch shards' article row, spans aside)."""
    dateline = article.dateline
    start, end = _bounds(dateline.span if dateline else None)
    return {
        "article_id": article.article_id,
        "source_file": article.source_file,
        "title": article.title,
        "outlet": article.outlet,
        "published": article.published,
        "author": article.author,
        "url": article.url,
        "input_format": article.input_format,
        "text": article.text,
        "dateline_place": dateline.place if dateline else None,
        "dateline_date": dateline.date if dateline else None,
        "dateline_source": dateline.source if dateline else None,
        "dateline_start": start,
        "dateline_end": end,
        "metadata": json.dumps(dict(article.metadata), ensure_ascii=False),
    }


def row_to_article(row: Row) -> Article:
    dateline = None
    if row["dateline_place"] is not None:
        dateline = Dateline(
            place=row["dateline_place"],
            span=cast(Span, _span(row["dateline_start"], row["dateline_end"])),
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
        # Rows from before migration 6, or from selects that leave it out, have no copy_of.
        copy_of=row["copy_of"] if "copy_of" in row.keys() else None,  # noqa: SIM118
    )


def statement_params(statement: Statement, seq: int, speaker_id: str | None) -> dict[str, Any]:
    cue_start, cue_end = _bounds(statement.cue_span)
    speaker_start, speaker_end = _bounds(statement.speaker_span)
    return {
        "statement_id": statement.statement_id,
        "article_id": statement.article_id,
        "seq": seq,
        "kind": statement.kind,
        "content": statement.content,
        "content_spans": json.dumps([list(s) for s in statement.content_spans]),
        "cue": statement.cue,
        "cue_start": cue_start,
        "cue_end": cue_end,
        "speaker_mention": statement.speaker_mention,
        "speaker_start": speaker_start,
        "speaker_end": speaker_end,
        "speaker_name": statement.speaker,
        "speaker_type": statement.speaker_type,
        "speaker_role": statement.speaker_role,
        "speaker_id": speaker_id,
        "confidence": statement.confidence,
        "rule": statement.rule,
        "act": statement.act,
    }


def row_to_statement(row: Row) -> Statement:
    return Statement(
        statement_id=row["statement_id"],
        article_id=row["article_id"],
        kind=cast(StatementKind, row["kind"]),
        content=row["content"],
        content_spans=tuple((s, e) for s, e in json.loads(row["content_spans"])),
        cue=row["cue"],
        cue_span=_span(row["cue_start"], row["cue_end"]),
        speaker_mention=row["speaker_mention"],
        speaker_span=_span(row["speaker_start"], row["speaker_end"]),
        speaker=row["speaker_name"],
        speaker_type=cast(SpeakerType, row["speaker_type"]),
        speaker_role=row["speaker_role"],
        confidence=row["confidence"],
        rule=row["rule"],
        act=cast(Act, row["act"]),
    )


def row_to_statement_record(row: Row) -> StatementRecord:
    return StatementRecord(
        statement=row_to_statement(row),
        speaker_id=row["speaker_id"],
        source_file=row["source_file"],
        article_title=row["article_title"],
        outlet=row["outlet"],
        published=row["published"],
    )


def figure_params(figure: Figure, seq: int) -> dict[str, Any]:
    return {
        "figure_id": figure.figure_id,
        "article_id": figure.article_id,
        "seq": seq,
        "value": figure.value,
        "qualifier": figure.qualifier,
        "unit": figure.unit,
        "counts": figure.counts,
        "text": figure.text,
        "start": figure.span[0],
        "end": figure.span[1],
    }


def row_to_figure_record(row: Row) -> FigureRecord:
    figure = Figure(
        figure_id=row["figure_id"],
        article_id=row["article_id"],
        value=row["value"],
        text=row["text"],
        span=(row["start"], row["end"]),
        qualifier=row["qualifier"],
        unit=row["unit"],
        counts=row["counts"],
    )
    return FigureRecord(
        figure=figure, source_file=row["source_file"], article_title=row["article_title"]
    )


def row_to_failure(row: Row) -> Failure:
    return Failure(
        source=row["source"], code=row["code"], message=row["message"], stage=row["stage"]
    )


def row_to_run(row: Row) -> RunRecord:
    return RunRecord(**{f.name: row[f.name] for f in fields(RunRecord)})
