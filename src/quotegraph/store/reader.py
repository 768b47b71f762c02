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
       s.act, a.source_file, a.title AS article_title, a.outlet, a.published"""

STATEMENT_SELECT = f"""{_STATEMENT_COLUMNS}
FROM statements AS s JOIN articles AS a ON a.article_id = s.article_id"""

# CROSS JOIN fixes the join order (SQLite never reorders it): statements are walked by the
# index that matches the filter and the order, and each row found fetches its article.
_STATEMENT_SELECT_BY_STATEMENT = f"""{_STATEMENT_COLUMNS}
FROM statements AS s CROSS JOIN articles AS a ON a.article_id = s.article_id"""

# Full-text listings walk the FTS5 index itself, which yields matches in rowid order and
# stops at LIMIT: no page ever collects and sorts every match of a common word.
_STATEMENT_SELECT_BY_MATCH = f"""{_STATEMENT_COLUMNS}
FROM statements_fts AS f CROSS JOIN statements AS s ON s.id = f.rowid
CROSS JOIN articles AS a ON a.article_id = s.article_id"""

ARTICLE_SELECT = """
SELECT a.article_id, a.source_file, a.title, a.outlet, a.published, a.author, a.url,
       a.input_format, a.text, a.dateline_place, a.dateline_date, a.dateline_source,
       a.dateline_start, a.dateline_end, a.metadata, a.copy_of
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


@dataclass
class UnionQuery:
    """Queries of the same columns, each already in ``order``, merged into that order.

    Each arm keeps its own ORDER BY and LIMIT, so it walks its index and stops early; SQLite
    merges the ordered arms (``MERGE (UNION ALL)``) instead of sorting their rows.
    """

    arms: list[Query]
    order: str
    """Result column names (not table-qualified), as the compound's ORDER BY needs."""

    def sql(self, limit: int | None = None, offset: int = 0) -> tuple[str, list[Any]]:
        parts: list[str] = []
        params: list[Any] = []
        for arm in self.arms:
            # Everything before and after this arm is skipped by the outer OFFSET.
            sql, arm_params = arm.sql(None if limit is None else limit + offset)
            parts.append(f"SELECT * FROM ({sql})")
            params.extend(arm_params)
        compound = " UNION ALL ".join(parts)
        params += [-1 if limit is None else limit, offset]
        return f"{compound} ORDER BY {self.order} LIMIT ? OFFSET ?", params


def check_limit(limit: int | None, offset: int = 0) -> None:
    if (limit is not None and limit < 0) or offset < 0:
        raise QuotegraphError("E044", detail=f"limit {limit} / offset {offset} must be >= 0")


def stream(
    conn: sqlite3.Connection, sql: str, params: list[Any], convert: Callable[[codec.Row], T]
) -> Iterator[T]:
    """Rows converted one at a time; the cursor is closed even if the caller stops early."""
    cur = conn.cursor()
    cur.row_factory = None  # plain tuples, zipped with the column names once per row
    cur.execute(sql, params)
    names = [d[0] for d in cur.description]
    try:
        for row in cur:
            yield convert(dict(zip(names, row, strict=True)))
    finally:
        # An abandoned iterator may be collected after its store was closed.
        with suppress(sqlite3.ProgrammingError):
            cur.close()


def published_range(
    query: Query, since: str | None, until: str | None, column: str = "a.published"
) -> None:
    # ISO 8601 strings in one form compare correctly as text; rows without a date drop out.
    # ``column`` is one of this module's constants, never user input.
    if since is not None:
        query.where(f"{column} >= ?", since)
    if until is not None:
        query.where(f"{column} < ?", until + _UNTIL_PAD)


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
    act: str | None = None
    """``speech``, ``belief``, ``intention`` or ``action``; None: every act."""


STATEMENT_ORDER = "s.published, s.article_id, s.seq"
"""Listing order without ``q``; every statement index ends in these columns."""

MATCH_ORDER = "f.rowid"
"""Listing order with ``q``: the order statements were stored (their integer ``id``)."""

MAX_SPEAKER_ARMS = 64
"""A name shared by up to this many speakers is listed as an ordered merge of one index walk
per speaker; beyond it, one query over all of them sorts its matches."""


@dataclass(frozen=True)
class _Cursor:
    id: int
    published: str | None
    article_id: str
    seq: int


def statement_query(
    conn: sqlite3.Connection, f: StatementFilter, after: str | int | None
) -> Query | UnionQuery | None:
    """The statements query, or None when it can match nothing (no searchable term in
    ``q``, a speaker nobody is called)."""
    match = None
    if f.q is not None:
        match = fts_query(f.q)
        if match is None:
            return None
    speaker_ids: list[str] | None = None
    if f.speaker is not None:
        speaker_ids = ids_named(conn, f.speaker)
        if not speaker_ids:
            return None
    cursor = None if after is None else _cursor(conn, after)
    merge = (
        match is None
        and f.article_id is None
        and speaker_ids is not None
        and 1 < len(speaker_ids) <= MAX_SPEAKER_ARMS
    )
    if merge and speaker_ids is not None:
        # One ordered walk of statements_by_speaker per speaker, merged by SQLite.
        arms = [_statement_query(f, match, [sid], cursor) for sid in speaker_ids]
        return UnionQuery(arms, "published, article_id, seq")
    return _statement_query(f, match, speaker_ids, cursor)


def _statement_query(
    f: StatementFilter, match: str | None, speaker_ids: list[str] | None, cursor: _Cursor | None
) -> Query:
    if match is None:
        query = Query(_STATEMENT_SELECT_BY_STATEMENT, STATEMENT_ORDER)
    elif f.article_id is None:
        query = Query(_STATEMENT_SELECT_BY_MATCH, MATCH_ORDER).where(
            "f.statements_fts MATCH ?", match
        )
    else:
        # One article has few statements: walk them and ask FTS5 about each by rowid. Within
        # an article, rowid order is seq order (statements are inserted in seq order).
        query = Query(_STATEMENT_SELECT_BY_STATEMENT, "s.id").where(
            "EXISTS (SELECT 1 FROM statements_fts AS f "
            "WHERE f.statements_fts MATCH ? AND f.rowid = s.id)",
            match,
        )
    if f.article_id is not None:
        query.where("s.article_id = ?", f.article_id)
    if speaker_ids is not None:
        if len(speaker_ids) == 1:
            query.where("s.speaker_id = ?", speaker_ids[0])
        else:
            marks = ", ".join("?" * len(speaker_ids))  # only the count is formatted in
            query.where(f"s.speaker_id IN ({marks})", *speaker_ids)
    if f.kind is not None:
        query.where("s.kind = ?", f.kind)
    if f.outlet is not None:
        query.where("s.outlet = ? COLLATE NOCASE", f.outlet)
    if f.act is not None:
        query.where("s.act = ?", f.act)
    since = f.since
    if cursor is not None:
        if match is not None:
            query.where(f"{'s.id' if f.article_id else 'f.rowid'} > ?", cursor.id)
        elif _cursor_implies_since(cursor, since):
            # The keyset bound alone, so the index seeks to the cursor; a ``since`` range
            # as the seek would walk every row between ``since`` and the cursor.
            _after(query, cursor)
            since = None
        # Otherwise ``since`` lies beyond the cursor and every row it admits is after it.
    published_range(query, since, f.until, column="s.published")
    return query


def _cursor_implies_since(cursor: _Cursor, since: str | None) -> bool:
    """Whether rows after ``cursor`` (in STATEMENT_ORDER) all satisfy ``published >= since``,
    or there is no ``since``; when False, ``since`` implies the keyset bound instead."""
    if since is None:
        return True
    return cursor.published is not None and cursor.published >= since


def ids_named(conn: sqlite3.Connection, speaker: str) -> list[str]:
    """Speaker ids that ``speaker`` names: an id, or a name/alias of any number of speakers."""
    rows = conn.execute(
        "SELECT speaker_id FROM speakers WHERE speaker_id = ? "
        "UNION SELECT speaker_id FROM speaker_aliases WHERE alias_key = ? ORDER BY 1",
        (speaker, codec.name_key(speaker)),
    )
    return [r[0] for r in rows]


def _cursor(conn: sqlite3.Connection, after: str | int) -> _Cursor:
    """The cursor statement, given as its ``statement_id`` or its integer row id."""
    column = "id" if isinstance(after, int) else "statement_id"
    row = conn.execute(
        f"SELECT id, published, article_id, seq FROM statements WHERE {column} = ?", (after,)
    ).fetchone()
    if row is None:
        raise QuotegraphError("E044", detail=f"unknown statement cursor {after!r}")
    return _Cursor(row[0], row[1], row[2], row[3])


def _after(query: Query, cursor: _Cursor) -> None:
    """Keyset condition: rows strictly after the cursor statement in STATEMENT_ORDER.

    Published dates may be NULL, which sort first and never compare, so a NULL cursor is
    spelled out; otherwise a row-value comparison lets the index seek straight to the cursor.
    """
    if cursor.published is None:
        query.where(
            "(s.published IS NOT NULL OR (s.article_id, s.seq) > (?, ?))",
            cursor.article_id,
            cursor.seq,
        )
    else:
        query.where(
            "(s.published, s.article_id, s.seq) > (?, ?, ?)",
            cursor.published,
            cursor.article_id,
            cursor.seq,
        )


def statement_by_id_sql() -> str:
    return f"{STATEMENT_SELECT} WHERE s.statement_id = ?"


def figure_query(article_id: str | None) -> Query:
    query = Query(FIGURE_SELECT, "a.published, a.article_id, f.seq")
    if article_id is not None:
        query.where("f.article_id = ?", article_id)
    return query


def speaker_query(speaker_id: str | None = None, named: str | None = None) -> Query:
    """Speakers, most quoted first; ``named``: only those with a name or alias in which a
    word starts with it (``rask`` finds Lena Rask and Piet Rask), case-insensitive."""
    query = Query(_SPEAKER_SELECT, "n DESC, sp.name, sp.speaker_id")
    if speaker_id is not None:
        query.where("sp.speaker_id = ?", speaker_id)
    if named is not None:
        first, inner = word_prefix_patterns(codec.name_key(named))
        query.where(
            "sp.speaker_id IN (SELECT speaker_id FROM speaker_aliases "
            "WHERE alias_key LIKE ? ESCAPE '\\' OR alias_key LIKE ? ESCAPE '\\')",
            first,
            inner,
        )
    return query


def word_prefix_patterns(text: str) -> tuple[str, str]:
    """LIKE patterns for "a word of the value starts with ``text``": at the start, or after
    a space. ``%``, ``_`` and ``\\`` in ``text`` match themselves."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"{escaped}%", f"% {escaped}%"


OUTLETS_NAMED_SQL = """
SELECT min(outlet) AS outlet, count(*) AS n FROM articles
WHERE outlet LIKE ? ESCAPE '\\' OR outlet LIKE ? ESCAPE '\\'
GROUP BY outlet COLLATE NOCASE ORDER BY n DESC, outlet LIMIT ?"""


def count_sql(sql: str) -> str:
    """``sql`` (a listing with its LIMIT) counted instead of read."""
    return f"SELECT count(*) FROM ({sql})"


def row_to_speaker(conn: sqlite3.Connection, row: codec.Row) -> Speaker:
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


STATS_SQL = """
SELECT (SELECT count(*) FROM stories) AS stories,
       (SELECT count(*) FROM claims) AS claims,
       (SELECT count(*) FROM relations WHERE relation = 'contradicts') AS contradictions,
       (SELECT count(*) FROM relations WHERE relation = 'agrees') AS agreements,
       (SELECT count(DISTINCT outlet COLLATE NOCASE) FROM articles) AS outlets,
       (SELECT min(published) FROM articles) AS first_published,
       (SELECT max(published) FROM articles) AS last_published"""

KIND_COUNTS_SQL = "SELECT kind, count(*) AS n FROM statements GROUP BY kind ORDER BY n DESC, kind"


def article_rows(conn: sqlite3.Connection, sql: str, params: list[Any]) -> Iterator[Article]:
    return stream(conn, sql, params, codec.row_to_article)


def statement_rows(
    conn: sqlite3.Connection, sql: str, params: list[Any]
) -> Iterator[StatementRecord]:
    return stream(conn, sql, params, codec.row_to_statement_record)


def figure_rows(conn: sqlite3.Connection, sql: str, params: list[Any]) -> Iterator[FigureRecord]:
    return stream(conn, sql, params, codec.row_to_figure_record)
