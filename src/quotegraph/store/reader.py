"""Read queries of the store, built from fixed SQL fragments with bound parameters.

Filters add ``(clause, params)`` pairs to a ``Query``; clauses are constants written here,
values always travel as parameters. Results stream from the cursor row by row.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import suppress
from dataclasses import dataclass, field
from typing import Any, TypeVar

from quotegraph.errors import QuotegraphError
from quotegraph.store import codec
from quotegraph.store.fts import fts_query
from quotegraph.types import Article, FigureRecord, Speaker, StatementRecord

T = TypeVar("T")

_UNTIL_PAD = "\U0010ffff"
"""Appended to an ``until`` bound so it includes everything it prefixes: ``2020-03-12``
covers ``2020-03-12T23:59``. It sorts after every character, as UTF-8 bytes too."""

_STATEMENT_COLUMNS = """
SELECT s.id, s.statement_id, s.article_id, s.seq, s.kind, s.content, s.content_spans,
       s.cue, s.cue_start, s.cue_end, s.speaker_mention, s.speaker_start, s.speaker_end,
       s.speaker_name, s.speaker_type, s.speaker_role, s.speaker_id, s.confidence, s.rule,
       a.source_file, a.title AS article_title, a.outlet, a.published"""

STATEMENT_SELECT = f"""{_STATEMENT_COLUMNS}
FROM statements AS s JOIN articles AS a ON a.article_id = s.article_id"""

# CROSS JOIN fixes articles as the outer loop (SQLite never reorders it), walking them in
# published order by index: the ORDER BY then only sorts within an article and LIMIT stops
# early, instead of sorting every statement for each page of an unfiltered listing.
_STATEMENT_SELECT_BY_ARTICLE = f"""{_STATEMENT_COLUMNS}
FROM articles AS a CROSS JOIN statements AS s ON s.article_id = a.article_id"""

ARTICLE_SELECT = """
SELECT a.article_id, a.source_file, a.title, a.outlet, a.published, a.author, a.url,
       a.input_format, a.text, a.dateline_place, a.dateline_date, a.dateline_source,
       a.dateline_start, a.dateline_end, a.metadata
FROM articles AS a"""

FIGURE_SELECT = """
SELECT f.figure_id, f.article_id, f.value, f.qualifier, f.unit, f.counts, f.text,
       f."start", f."end", a.source_file, a.title AS article_title
FROM figures AS f JOIN articles AS a ON a.article_id = f.article_id"""

_SPEAKER_SELECT = """
SELECT sp.speaker_id, sp.name, sp.speaker_type,
       (SELECT count(*) FROM statements AS s WHERE s.speaker_id = sp.speaker_id) AS n
FROM speakers AS sp"""

_RUN_SELECT = """
SELECT run_id, command, started_at, finished_at, articles_seen, articles_added,
       statements_added, figures_added, failures
FROM runs"""


@dataclass
class Query:
    """A SELECT with its WHERE clauses and parameters accumulated in order."""

    select: str
    order: str
    clauses: list[str] = field(default_factory=list)
    params: list[Any] = field(default_factory=list)

    def where(self, clause: str, *params: Any) -> Query:
        self.clauses.append(clause)
        self.params.extend(params)
        return self

    def sql(self, limit: int | None = None, offset: int = 0) -> tuple[str, list[Any]]:
        where = f" WHERE {' AND '.join(self.clauses)}" if self.clauses else ""
        # LIMIT -1 is SQLite for "no limit"; both values stay parameters.
        params = [*self.params, -1 if limit is None else limit, offset]
        return f"{self.select}{where} ORDER BY {self.order} LIMIT ? OFFSET ?", params


def check_limit(limit: int | None, offset: int = 0) -> None:
    if (limit is not None and limit < 0) or offset < 0:
        raise QuotegraphError("E044", detail=f"limit {limit} / offset {offset} must be >= 0")


def stream(
    conn: sqlite3.Connection, sql: str, params: list[Any], convert: Callable[[sqlite3.Row], T]
) -> Iterator[T]:
    """Rows converted one at a time; the cursor is closed even if the caller stops early."""
    cur = conn.execute(sql, params)
    try:
        for row in cur:
            yield convert(row)
    finally:
        # An abandoned iterator may be collected after its store was closed.
        with suppress(sqlite3.ProgrammingError):
            cur.close()


def published_range(query: Query, since: str | None, until: str | None) -> None:
    # ISO 8601 strings in one form compare correctly as text; rows without a date drop out.
    if since is not None:
        query.where("a.published >= ?", since)
    if until is not None:
        query.where("a.published < ?", until + _UNTIL_PAD)


def article_query(outlet: str | None, since: str | None, until: str | None) -> Query:
    query = Query(ARTICLE_SELECT, "a.published, a.article_id")
    if outlet is not None:
        query.where("a.outlet = ? COLLATE NOCASE", outlet)
    published_range(query, since, until)
    return query


def search_articles_sql(match: str, limit: int | None) -> tuple[str, list[Any]]:
    sql = (
        f"{ARTICLE_SELECT} JOIN articles_fts ON articles_fts.rowid = a.id "
        "WHERE articles_fts MATCH ? ORDER BY articles_fts.rank, a.article_id LIMIT ?"
    )
    return sql, [match, -1 if limit is None else limit]


@dataclass(frozen=True)
class StatementFilter:
    article_id: str | None = None
    speaker: str | None = None
    kind: str | None = None
    outlet: str | None = None
    q: str | None = None
    since: str | None = None
    until: str | None = None


STATEMENT_ORDER = "a.published, a.article_id, s.seq"


def statement_query(
    conn: sqlite3.Connection, f: StatementFilter, after: str | int | None
) -> Query | None:
    """The statements query, or None when a full-text query can match nothing."""
    # Selective statement-side filters are better driven from their own index.
    selective = f.speaker is not None or f.q is not None
    query = Query(STATEMENT_SELECT if selective else _STATEMENT_SELECT_BY_ARTICLE, STATEMENT_ORDER)
    if f.article_id is not None:
        query.where("s.article_id = ?", f.article_id)
    if f.speaker is not None:
        query.where(
            "s.speaker_id IN (SELECT speaker_id FROM speakers WHERE speaker_id = ? "
            "UNION SELECT speaker_id FROM speaker_aliases WHERE alias_key = ?)",
            f.speaker,
            codec.name_key(f.speaker),
        )
    if f.kind is not None:
        query.where("s.kind = ?", f.kind)
    if f.outlet is not None:
        query.where("a.outlet = ? COLLATE NOCASE", f.outlet)
    published_range(query, f.since, f.until)
    if f.q is not None:
        match = fts_query(f.q)
        if match is None:
            return None
        query.where(
            "s.id IN (SELECT rowid FROM statements_fts WHERE statements_fts MATCH ?)", match
        )
    if after is not None:
        _after(conn, query, after)
    return query


def _after(conn: sqlite3.Connection, query: Query, after: str | int) -> None:
    """Keyset condition: rows strictly after the cursor statement in STATEMENT_ORDER.

    ``after`` is the cursor statement's ``statement_id`` or its integer row id. Published
    dates may be NULL, which sort first, so the comparison is spelled out per case.
    """
    column = "s.id" if isinstance(after, int) else "s.statement_id"
    row = conn.execute(
        f"SELECT a.published, s.article_id, s.seq FROM statements AS s "
        f"JOIN articles AS a ON a.article_id = s.article_id WHERE {column} = ?",
        (after,),
    ).fetchone()
    if row is None:
        raise QuotegraphError("E044", detail=f"unknown statement cursor {after!r}")
    published, article_id, seq = row
    rest = "(a.article_id, s.seq) > (?, ?)"
    if published is None:
        query.where(f"(a.published IS NOT NULL OR {rest})", article_id, seq)
    else:
        # The plain lower bound is implied by the OR; it is there so the index can seek.
        query.where("a.published >= ?", published)
        query.where(
            f"(a.published > ? OR (a.published = ? AND {rest}))",
            published,
            published,
            article_id,
            seq,
        )


def statement_by_id_sql() -> str:
    return f"{STATEMENT_SELECT} WHERE s.statement_id = ?"


def figure_query(article_id: str | None) -> Query:
    query = Query(FIGURE_SELECT, "a.published, a.article_id, f.seq")
    if article_id is not None:
        query.where("f.article_id = ?", article_id)
    return query


def speaker_query(speaker_id: str | None = None) -> Query:
    query = Query(_SPEAKER_SELECT, "n DESC, sp.name, sp.speaker_id")
    if speaker_id is not None:
        query.where("sp.speaker_id = ?", speaker_id)
    return query


def row_to_speaker(conn: sqlite3.Connection, row: sqlite3.Row) -> Speaker:
    speaker_id = row["speaker_id"]
    aliases = conn.execute(
        "SELECT alias FROM speaker_aliases WHERE speaker_id = ? ORDER BY alias", (speaker_id,)
    ).fetchall()
    roles = conn.execute(
        "SELECT role FROM speaker_roles WHERE speaker_id = ? ORDER BY role", (speaker_id,)
    ).fetchall()
    return Speaker(
        speaker_id=speaker_id,
        name=row["name"],
        speaker_type=row["speaker_type"],
        aliases=tuple(r[0] for r in aliases),
        roles=tuple(r[0] for r in roles),
        statement_count=row["n"],
    )


def failure_query(run_id: int | None) -> Query:
    query = Query("SELECT source, stage, code, message FROM failures", "failure_id")
    if run_id is not None:
        query.where("run_id = ?", run_id)
    return query


def run_query() -> Query:
    return Query(_RUN_SELECT, "run_id")


COUNTS_SQL = """
SELECT (SELECT count(*) FROM articles) AS articles,
       (SELECT count(*) FROM statements) AS statements,
       (SELECT count(*) FROM speakers) AS speakers,
       (SELECT count(*) FROM figures) AS figures,
       (SELECT count(*) FROM failures) AS failures"""


def article_rows(conn: sqlite3.Connection, sql: str, params: list[Any]) -> Iterator[Article]:
    return stream(conn, sql, params, codec.row_to_article)


def statement_rows(
    conn: sqlite3.Connection, sql: str, params: list[Any]
) -> Iterator[StatementRecord]:
    return stream(conn, sql, params, codec.row_to_statement_record)


def figure_rows(conn: sqlite3.Connection, sql: str, params: list[Any]) -> Iterator[FigureRecord]:
    return stream(conn, sql, params, codec.row_to_figure_record)
