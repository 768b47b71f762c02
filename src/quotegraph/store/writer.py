"""Write paths of the store. Every function here runs inside a caller's write transaction."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping

from quotegraph.errors import QuotegraphError
from quotegraph.store import codec
from quotegraph.types import Extraction, Failure, Statement

_INSERT_ARTICLE = """
INSERT OR IGNORE INTO articles (
    article_id, source_file, title, outlet, published, author, url, input_format, text,
    dateline_place, dateline_date, dateline_source, dateline_start, dateline_end,
    metadata, run_id, ingested_at
) VALUES (
    :article_id, :source_file, :title, :outlet, :published, :author, :url, :input_format,
    :text, :dateline_place, :dateline_date, :dateline_source, :dateline_start,
    :dateline_end, :metadata, :run_id, :ingested_at
)"""

_INSERT_STATEMENT = """
INSERT INTO statements (
    statement_id, article_id, seq, kind, content, content_spans, cue, cue_start, cue_end,
    speaker_mention, speaker_start, speaker_end, speaker_name, speaker_type, speaker_role,
    speaker_id, confidence, rule, act, published, outlet
) VALUES (
    :statement_id, :article_id, :seq, :kind, :content, :content_spans, :cue, :cue_start,
    :cue_end, :speaker_mention, :speaker_start, :speaker_end, :speaker_name, :speaker_type,
    :speaker_role, :speaker_id, :confidence, :rule, :act, :published, :outlet
)"""

_INSERT_FIGURE = """
INSERT INTO figures (
    figure_id, article_id, seq, value, qualifier, unit, counts, text, "start", "end"
) VALUES (
    :figure_id, :article_id, :seq, :value, :qualifier, :unit, :counts, :text, :start, :end
)"""


def begin_run(conn: sqlite3.Connection, command: str, started_at: str) -> int:
    cur = conn.execute(
        "INSERT INTO runs (command, started_at) VALUES (?, ?)", (command, started_at)
    )
    return int(cur.lastrowid or 0)


def finish_run(
    conn: sqlite3.Connection, run_id: int, finished_at: str, counts: Mapping[str, int]
) -> None:
    cur = conn.execute(
        """UPDATE runs SET finished_at = ?, articles_seen = ?, articles_added = ?,
               statements_added = ?, figures_added = ?, failures = ?
           WHERE run_id = ?""",
        (
            finished_at,
            counts["articles_seen"],
            counts["articles_added"],
            counts["statements_added"],
            counts["figures_added"],
            counts["failures"],
            run_id,
        ),
    )
    if cur.rowcount == 0:
        raise QuotegraphError("E044", detail=f"no run with id {run_id}")


def write_extraction(
    conn: sqlite3.Connection, run_id: int, extraction: Extraction, now: str
) -> tuple[int, int, int]:
    """Insert one article with its statements and figures; (0, 0, 0) if already stored."""
    article = extraction.article
    cur = conn.execute(_INSERT_ARTICLE, codec.article_params(article, run_id, now))
    if cur.rowcount == 0:
        return (0, 0, 0)
    for seq, statement in enumerate(extraction.statements):
        _check_owner(statement.article_id, article.article_id, statement.statement_id)
        speaker_id = _upsert_speaker(conn, statement)
        params = codec.statement_params(statement, seq, speaker_id)
        # Copies of the article's fields that statement listings filter and sort on.
        params["published"] = article.published
        params["outlet"] = article.outlet
        conn.execute(_INSERT_STATEMENT, params)
    for seq, figure in enumerate(extraction.figures):
        _check_owner(figure.article_id, article.article_id, figure.figure_id)
        conn.execute(_INSERT_FIGURE, codec.figure_params(figure, seq))
    return (1, len(extraction.statements), len(extraction.figures))


def _check_owner(owner: str, article_id: str, item_id: str) -> None:
    # A mismatch would store the item under an article the caller did not mean.
    if owner != article_id:
        raise QuotegraphError(
            "E033", source=item_id, detail=f"belongs to {owner!r}, extracted from {article_id!r}"
        )


def _upsert_speaker(conn: sqlite3.Connection, statement: Statement) -> str | None:
    """The global speaker id for a statement, creating the speaker, aliases and role."""
    name = statement.speaker
    found = codec.statement_speaker_id(statement)
    if name is None or found is None:
        return None
    speaker_id = _redirected(conn, found)
    conn.execute(
        "INSERT OR IGNORE INTO speakers (speaker_id, name, speaker_type) VALUES (?, ?, ?)",
        (speaker_id, name, statement.speaker_type),
    )
    conn.executemany(
        "INSERT OR IGNORE INTO speaker_aliases (speaker_id, alias, alias_key) VALUES (?, ?, ?)",
        [(speaker_id, alias, codec.name_key(alias)) for alias in codec.speaker_aliases(statement)],
    )
    role = statement.speaker_role
    if role and role.strip():
        conn.execute(
            "INSERT OR IGNORE INTO speaker_roles (speaker_id, role) VALUES (?, ?)",
            (speaker_id, role),
        )
    return speaker_id


def _redirected(conn: sqlite3.Connection, speaker_id: str) -> str:
    # Redirects are kept flat by reassign_speakers, so one hop is enough.
    row = conn.execute(
        "SELECT to_id FROM speaker_redirects WHERE from_id = ?", (speaker_id,)
    ).fetchone()
    return speaker_id if row is None else str(row[0])


def record_failures(
    conn: sqlite3.Connection, run_id: int | None, failures: Iterable[Failure], now: str
) -> int:
    cur = conn.executemany(
        """INSERT INTO failures (run_id, source, stage, code, message, occurred_at)
           VALUES (?, ?, ?, ?, ?, ?)""",
        [(run_id, f.source, f.stage, f.code, f.message, now) for f in failures],
    )
    return max(cur.rowcount, 0)


def resolve_mapping(mapping: Mapping[str, str]) -> dict[str, str]:
    """Follow chains (a→b, b→c gives a→c) so the order of the mapping does not matter."""
    resolved: dict[str, str] = {}
    for start in mapping:
        seen = {start}
        target = mapping[start]
        while target in mapping and mapping[target] != target:
            if target in seen:
                raise QuotegraphError("E044", detail=f"speaker mapping has a cycle at {start!r}")
            seen.add(target)
            target = mapping[target]
        if target != start:
            resolved[start] = target
    return resolved


def reassign_speaker(conn: sqlite3.Connection, old: str, new: str) -> int:
    """Move statements, aliases and roles of speaker ``old`` to ``new``; returns moved count."""
    source = conn.execute(
        "SELECT name, speaker_type FROM speakers WHERE speaker_id = ?", (old,)
    ).fetchone()
    if source is None:
        return 0
    # A target that does not exist yet takes over the old speaker's name and type (a rename).
    conn.execute(
        "INSERT OR IGNORE INTO speakers (speaker_id, name, speaker_type) VALUES (?, ?, ?)",
        (new, source["name"], source["speaker_type"]),
    )
    moved = conn.execute(
        "UPDATE statements SET speaker_id = ? WHERE speaker_id = ?", (new, old)
    ).rowcount
    for table, column in (("speaker_aliases", "alias, alias_key"), ("speaker_roles", "role")):
        # Table and column names are constants from the tuple above, never user input.
        conn.execute(
            f"INSERT OR IGNORE INTO {table} (speaker_id, {column}) "
            f"SELECT ?, {column} FROM {table} WHERE speaker_id = ?",
            (new, old),
        )
    conn.execute("DELETE FROM speakers WHERE speaker_id = ?", (old,))
    _redirect(conn, old, new)
    return moved


def _redirect(conn: sqlite3.Connection, old: str, new: str) -> None:
    conn.execute("UPDATE speaker_redirects SET to_id = ? WHERE to_id = ?", (new, old))
    conn.execute("DELETE FROM speaker_redirects WHERE from_id = to_id")
    conn.execute(
        "INSERT OR REPLACE INTO speaker_redirects (from_id, to_id) VALUES (?, ?)", (old, new)
    )
    # Undoing a merge (new → old after old → new) must not leave new pointing at itself.
    conn.execute("DELETE FROM speaker_redirects WHERE from_id = ?", (new,))
