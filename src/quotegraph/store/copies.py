"""SQL of the copy pass: MinHash signatures, copy links and the pass's watermark.

The pass (``quotegraph.corpus.copies.link_copies``) works through a ``CopyPassWriter``, handed
out inside one write transaction (``Store.copy_pass()``), so two processes never link the
same article twice.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from quotegraph.store.connection import utc_now

COPIES_PASS = "copies"
"""The pass's row in ``corpus_state``."""

_UNTIL_PAD = "\U0010ffff"


@dataclass(frozen=True)
class CopyCandidate:
    """An article the copy pass compares: its text, date and link."""

    row_id: int
    article_id: str
    text: str
    published: str | None
    copy_of: str | None = None
    outlet: str | None = None


@dataclass(frozen=True)
class StoredSignature:
    article_id: str
    signature: bytes
    """uint32 little-endian MinHash values."""


class CopyPassWriter:
    """Reads and writes of one batch of the copy pass, inside the caller's transaction."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def watermark(self) -> int:
        row = self._conn.execute(
            "SELECT watermark FROM corpus_state WHERE pass = ?", (COPIES_PASS,)
        ).fetchone()
        return 0 if row is None else int(row[0])

    def pending(self, after: int, limit: int) -> list[CopyCandidate]:
        """Up to ``limit`` articles with ``articles.id > after``, in id order."""
        rows = self._conn.execute(
            "SELECT id, article_id, text, published, copy_of, outlet FROM articles "
            "WHERE id > ? ORDER BY id LIMIT ?",
            (after, limit),
        )
        return [CopyCandidate(*row) for row in rows]

    def signatures(self, since: str | None, until: str | None) -> Iterator[StoredSignature]:
        """Stored signatures of articles published within ``[since, until]`` (days) and of
        undated ones; every stored signature when either bound is None."""
        sql = (
            "SELECT s.article_id, s.signature FROM article_signatures AS s "
            "JOIN articles AS a ON a.article_id = s.article_id"
        )
        params: list[str] = []
        if since is not None and until is not None:
            sql += " WHERE a.published IS NULL OR a.published BETWEEN ? AND ?"
            params = [since, until + _UNTIL_PAD]
        for article_id, signature in self._conn.execute(sql, params):
            yield StoredSignature(article_id, bytes(signature))

    def article(self, article_id: str) -> CopyCandidate | None:
        row = self._conn.execute(
            "SELECT id, article_id, text, published, copy_of, outlet FROM articles "
            "WHERE article_id = ?",
            (article_id,),
        ).fetchone()
        return None if row is None else CopyCandidate(*row)

    def save_signatures(self, items: Iterable[tuple[str, bytes]]) -> None:
        self._conn.executemany(
            "INSERT OR REPLACE INTO article_signatures (article_id, signature) VALUES (?, ?)",
            list(items),
        )

    def link(self, links: Iterable[tuple[str, str]]) -> None:
        """Mark each ``(copy, original)``."""
        self._conn.executemany(
            "UPDATE articles SET copy_of = ? WHERE article_id = ?",
            [(original, copy) for copy, original in links],
        )

    def finish(self, watermark: int) -> None:
        self._conn.execute(
            "INSERT INTO corpus_state (pass, watermark, updated_at) VALUES (?, ?, ?) "
            "ON CONFLICT (pass) DO UPDATE SET watermark = excluded.watermark, "
            "updated_at = excluded.updated_at",
            (COPIES_PASS, watermark, utc_now()),
        )


def copies_of(conn: sqlite3.Connection, article_id: str) -> list[str]:
    """The articles linked to ``article_id`` as its copies, oldest first."""
    rows = conn.execute(
        "SELECT article_id FROM articles WHERE copy_of = ? ORDER BY published, article_id",
        (article_id,),
    )
    return [r[0] for r in rows]


def copy_links(conn: sqlite3.Connection) -> dict[str, str]:
    """Every copy -> its original."""
    rows = conn.execute("SELECT article_id, copy_of FROM articles WHERE copy_of IS NOT NULL")
    return {r[0]: r[1] for r in rows}
