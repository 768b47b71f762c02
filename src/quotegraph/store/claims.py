"""SQL for what the claims and stance passes keep: pass watermarks, statement vectors,
claims and relations (migration 3). Functions over a connection; ``Store`` wraps them."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import numpy as np

from quotegraph.types import Claim, Relation

# -- watermarks -------------------------------------------------------------------------------


def watermark(conn: sqlite3.Connection, name: str) -> int:
    row = conn.execute("SELECT watermark FROM corpus_state WHERE pass = ?", [name]).fetchone()
    return int(row[0]) if row else 0


def set_watermark(conn: sqlite3.Connection, name: str, value: int, now: str) -> None:
    conn.execute(
        """INSERT INTO corpus_state (pass, watermark, updated_at) VALUES (?, ?, ?)
           ON CONFLICT (pass) DO UPDATE SET watermark = excluded.watermark,
                                            updated_at = excluded.updated_at""",
        [name, value, now],
    )


def last_article_key(conn: sqlite3.Connection) -> int:
    row = conn.execute("SELECT coalesce(max(id), 0) FROM articles").fetchone()
    return int(row[0])


def stories_of_articles_after(conn: sqlite3.Connection, key: int) -> list[str | None]:
    """Story ids (None for unplaced articles) of the articles stored after row ``key``."""
    rows = conn.execute(
        """SELECT DISTINCT sa.story_id FROM articles AS a
           LEFT JOIN story_articles AS sa ON sa.article_id = a.article_id
           WHERE a.id > ?""",
        [key],
    )
    return [r[0] for r in rows]


def statement_ids_after(conn: sqlite3.Connection, key: int) -> set[str]:
    rows = conn.execute(
        """SELECT s.statement_id FROM statements AS s
           JOIN articles AS a ON a.article_id = s.article_id WHERE a.id > ?""",
        [key],
    )
    return {r[0] for r in rows}


def merged_story_ids(conn: sqlite3.Connection) -> list[str]:
    """Stories that took another story in since the stance pass last cleared them."""
    return [r[0] for r in conn.execute("SELECT story_id FROM stories_merged ORDER BY story_id")]


def clear_merged_stories(conn: sqlite3.Connection, story_ids: Iterable[str]) -> None:
    conn.executemany("DELETE FROM stories_merged WHERE story_id = ?", [(s,) for s in story_ids])


def story_article_ids(conn: sqlite3.Connection, story_id: str) -> list[str]:
    """The story's articles that are not copies of another (a copy's statements are its
    original's words again: they never agree with them or count twice)."""
    rows = conn.execute(
        """SELECT sa.article_id FROM story_articles AS sa
           JOIN articles AS a ON a.article_id = sa.article_id
           WHERE sa.story_id = ? AND a.copy_of IS NULL ORDER BY sa.article_id""",
        [story_id],
    )
    return [r[0] for r in rows]


# -- statement vectors ------------------------------------------------------------------------


def vectors(conn: sqlite3.Connection, ids: Sequence[str], model: str) -> dict[str, np.ndarray]:
    found: dict[str, np.ndarray] = {}
    for start in range(0, len(ids), _BATCH):
        batch = list(ids[start : start + _BATCH])
        marks = ", ".join("?" * len(batch))
        rows = conn.execute(
            f"SELECT statement_id, vector FROM statement_vectors "
            f"WHERE model = ? AND statement_id IN ({marks})",
            [model, *batch],
        )
        for statement_id, blob in rows:
            found[statement_id] = np.frombuffer(blob, dtype="<f4")
    return found


def write_vectors(
    conn: sqlite3.Connection, model: str, items: Iterable[tuple[str, np.ndarray]]
) -> None:
    conn.executemany(
        "INSERT OR REPLACE INTO statement_vectors (statement_id, model, vector) VALUES (?, ?, ?)",
        ((sid, model, np.asarray(vec, dtype="<f4").tobytes()) for sid, vec in items),
    )


# -- relations and claims ---------------------------------------------------------------------


def write_relations(conn: sqlite3.Connection, relations: Iterable[Relation]) -> int:
    cursor = conn.executemany(
        """INSERT OR REPLACE INTO relations
           (statement_a, statement_b, relation, score, evidence, claim_id, story_id, reversal)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
        (
            (
                r.statement_a,
                r.statement_b,
                r.relation,
                r.score,
                r.evidence,
                r.claim_id,
                r.story_id,
                int(r.reversal),
            )
            for r in relations
        ),
    )
    return cursor.rowcount


def story_relations(conn: sqlite3.Connection, story_id: str) -> list[Relation]:
    rows = conn.execute(f"{_RELATION_SELECT} WHERE story_id = ? ORDER BY rowid", [story_id])
    return [_relation(row) for row in rows]


def relations(
    conn: sqlite3.Connection,
    *,
    relation: str | None,
    story_id: str | None,
    statement_id: str | None,
    limit: int | None,
) -> Iterator[Relation]:
    clauses: list[str] = []
    params: list[object] = []
    if relation is not None:
        clauses.append("relation = ?")
        params.append(relation)
    if story_id is not None:
        clauses.append("story_id = ?")
        params.append(story_id)
    if statement_id is not None:
        clauses.append("(statement_a = ? OR statement_b = ?)")
        params += [statement_id, statement_id]
    where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
    sql = f"{_RELATION_SELECT}{where} ORDER BY score DESC, statement_a, statement_b"
    if limit is not None:
        sql += " LIMIT ?"
        params.append(limit)
    return (_relation(row) for row in conn.execute(sql, params))


CLAIM_SELECT = (
    "SELECT c.claim_id, c.label, c.label_statement, c.story_id, c.first_published, "
    "c.last_published, "
    "(SELECT group_concat(cs.statement_id, ' ') FROM claim_statements AS cs "
    " WHERE cs.claim_id = c.claim_id)"
)
"""The columns ``claim_from_row`` reads, from ``claims AS c``."""

_RELATION_SELECT = (
    "SELECT statement_a, statement_b, relation, score, evidence, claim_id, story_id, reversal "
    "FROM relations"
)


def _relation(row: Sequence[Any]) -> Relation:
    # The SQL edge: the columns of _RELATION_SELECT, in order.
    a, b, kind, score, evidence, claim_id, story_id, reversal = row
    return Relation(
        str(a), str(b), kind, float(score), str(evidence), claim_id, story_id, bool(reversal)
    )


def replace_story_claims(
    conn: sqlite3.Connection, story_id: str, claims: Sequence[Claim], now: str
) -> None:
    """Claims are recomputed per story: the story's old claims go, the new ones come in,
    and the story's relations point at them."""
    conn.execute(
        "DELETE FROM claim_statements WHERE claim_id IN "
        "(SELECT claim_id FROM claims WHERE story_id = ?)",
        [story_id],
    )
    conn.execute("DELETE FROM claims WHERE story_id = ?", [story_id])
    conn.execute("UPDATE relations SET claim_id = NULL WHERE story_id = ?", [story_id])
    for claim in claims:
        conn.execute(
            """INSERT INTO claims (claim_id, label, label_statement, story_id, first_published,
                                   last_published, statement_count, updated_at)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
            [
                claim.claim_id,
                claim.label,
                claim.label_statement,
                story_id,
                claim.first_published,
                claim.last_published,
                len(claim.statement_ids),
                now,
            ],
        )
        conn.executemany(
            "INSERT OR REPLACE INTO claim_statements (statement_id, claim_id, similarity) "
            "VALUES (?, ?, 1.0)",
            ((sid, claim.claim_id) for sid in claim.statement_ids),
        )
        conn.execute(
            """UPDATE relations SET claim_id = ? WHERE story_id = ?
               AND statement_a IN (SELECT statement_id FROM claim_statements WHERE claim_id = ?)
               AND statement_b IN (SELECT statement_id FROM claim_statements WHERE claim_id = ?)""",
            [claim.claim_id, story_id, claim.claim_id, claim.claim_id],
        )


def claims(
    conn: sqlite3.Connection, *, story_id: str | None, claim_id: str | None, limit: int | None
) -> Iterator[Claim]:
    clauses: list[str] = []
    params: list[object] = []
    if story_id is not None:
        clauses.append("c.story_id = ?")
        params.append(story_id)
    if claim_id is not None:
        clauses.append("c.claim_id = ?")
        params.append(claim_id)
    where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
    sql = (
        f"{CLAIM_SELECT} FROM claims AS c{where} "
        "ORDER BY c.statement_count DESC, c.first_published, c.claim_id"
    )
    if limit is not None:
        sql += " LIMIT ?"
        params.append(limit)
    yield from map(claim_from_row, conn.execute(sql, params))


def claim_from_row(row: Sequence[Any]) -> Claim:
    """A ``Claim`` from a row selected with ``CLAIM_SELECT``."""
    claim_id, label, label_statement, story, first, last, ids = row
    return Claim(
        claim_id=claim_id,
        label=label,
        statement_ids=tuple(sorted((ids or "").split())),
        label_statement=label_statement,
        story_id=story,
        first_published=first,
        last_published=last,
    )


_BATCH = 500
