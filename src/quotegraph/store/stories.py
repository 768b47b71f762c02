"""SQL of the story pass and of stored stories.

The pass (``quotegraph.corpus.stories.place_articles``) works through a ``StoryPassWriter``,
which is only handed out inside one write transaction (``Store.story_pass()``): reading the
watermark, the pending articles and the candidate stories, and writing the placements, all
happen under the same write lock, so two processes can never place the same article twice.

Readers get ``Story`` records: article ids in the store's statement order (published, then
article id; undated first; copies included) and outlets in the order they first covered the
story (copies, and their statements, not counted).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Mapping
from contextlib import suppress
from dataclasses import dataclass
from typing import Any

import numpy as np

from quotegraph.store.connection import utc_now
from quotegraph.types import Story

STORIES_PASS = "stories"
"""The pass's row in ``corpus_state``."""

_ID_BATCH = 500
"""Values per IN (...) list; well under SQLite's bound-parameter limit on old builds."""

_UNTIL_PAD = "\U0010ffff"

_UNPLACED = "NOT EXISTS (SELECT 1 FROM story_articles AS sa WHERE sa.article_id = a.article_id)"
"""An article no story holds yet (articles above the watermark may be placed already: a
batch takes them in publication order, not in id order)."""
"""Appended to an upper date bound so that it includes every date-time on that day."""


@dataclass(frozen=True)
class PendingArticle:
    """An article the story pass has not placed yet, with what it compares."""

    row_id: int
    """``articles.id``: the pass's watermark moves past it once it is placed."""
    article_id: str
    title: str | None
    text: str
    published: str | None
    copy_of: str | None = None
    """The original, when the copy pass linked this article as a copy."""
    outlet: str | None = None


@dataclass(frozen=True)
class PassProgress:
    watermark: int
    """The highest ``articles.id`` placed so far."""
    documents: int
    """How many articles ``term_documents`` counts (the N of the entities' IDF)."""


@dataclass
class StoryState:
    """What the pass compares a new article with: a story's sum of title-and-lead vectors,
    its entity counts, its size, its dates (days, ISO) and the sum of its dated articles'
    days (proleptic ordinals, copies left out) with their count, for its mean day."""

    story_id: str
    vector_sum: np.ndarray
    entities: dict[str, float]
    size: int
    first: str | None
    last: str | None
    day_sum: float = 0.0
    dated: int = 0


class StoryPassWriter:
    """Reads and writes of one batch of the story pass, inside the caller's transaction."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn
        self._now = utc_now()

    def progress(self) -> PassProgress:
        row = self._conn.execute(
            "SELECT watermark, documents FROM corpus_state WHERE pass = ?", (STORIES_PASS,)
        ).fetchone()
        return PassProgress(0, 0) if row is None else PassProgress(int(row[0]), int(row[1]))

    def pending(self, after: int, limit: int) -> list[PendingArticle]:
        """Up to ``limit`` unplaced articles with ``articles.id > after``, in publication
        order (by day, undated last, then id): a bulk load that arrives outlet by outlet is
        still placed as the news happened."""
        ids = [
            r[0]
            for r in self._conn.execute(
                f"SELECT a.id FROM articles AS a WHERE a.id > ? AND {_UNPLACED} "
                "ORDER BY a.published IS NULL, substr(a.published, 1, 10), a.id LIMIT ?",
                (after, limit),
            )
        ]
        found: list[PendingArticle] = []
        for batch in _batches([str(i) for i in ids]):
            marks = ", ".join("?" * len(batch))  # only the count is formatted in
            rows = self._conn.execute(
                "SELECT id, article_id, title, text, published, copy_of, outlet FROM articles "
                f"WHERE id IN ({marks})",
                [int(i) for i in batch],
            )
            found += [PendingArticle(*row) for row in rows]
        return found

    def watermark_after(self, after: int) -> int:
        """The new watermark once a batch is placed: just below the first article above
        ``after`` still unplaced, or the last article when every one is placed."""
        row = self._conn.execute(
            f"SELECT min(a.id) FROM articles AS a WHERE a.id > ? AND {_UNPLACED}", (after,)
        ).fetchone()
        if row[0] is not None:
            return int(row[0]) - 1
        last = self._conn.execute("SELECT coalesce(max(id), 0) FROM articles").fetchone()
        return int(last[0])

    def document_counts(self, terms: Iterable[str]) -> dict[str, int]:
        """How many placed articles name each entity (entities never seen are left out)."""
        counts: dict[str, int] = {}
        for batch in _batches(list(terms)):
            marks = ", ".join("?" * len(batch))
            rows = self._conn.execute(
                f"SELECT term, documents FROM term_documents WHERE term IN ({marks})", batch
            )
            counts.update((term, int(n)) for term, n in rows)
        return counts

    def active_stories(
        self, since: str | None, first_since: str | None, until: str | None, limit: int
    ) -> list[str]:
        """Stories still open on a day: last article on or after ``since``, first on or
        after ``first_since`` and on or before ``until`` (days), most recent first; without
        dates (an undated article), the ``limit`` most recent stories."""
        if since is None or first_since is None or until is None:
            rows = self._conn.execute(
                "SELECT story_id FROM stories "
                "ORDER BY last_published IS NULL, last_published DESC, story_id LIMIT ?",
                (limit,),
            )
        else:
            rows = self._conn.execute(
                "SELECT story_id FROM stories WHERE first_published BETWEEN ? AND ? "
                "AND last_published >= ? "
                "ORDER BY last_published DESC, story_id LIMIT ?",
                (first_since, until + _UNTIL_PAD, since, limit),
            )
        return [r[0] for r in rows]

    def story_state(self, story_id: str, dim: int) -> StoryState | None:
        row = self._conn.execute(
            "SELECT s.first_published, s.last_published, s.article_count, c.vector, v.vector "
            "FROM stories AS s LEFT JOIN story_centroids AS c ON c.story_id = s.story_id "
            "LEFT JOIN story_vectors AS v ON v.story_id = s.story_id WHERE s.story_id = ?",
            (story_id,),
        ).fetchone()
        if row is None:
            return None
        vector = (
            np.zeros(dim, dtype=np.float32)
            if row[3] is None
            else np.frombuffer(row[3], dtype="<f4").astype(np.float32)
        )
        entities = {} if row[4] is None else json.loads(row[4])
        originals, day_sum, dated = self._originals(story_id)
        return StoryState(story_id, vector, entities, originals, row[0], row[1], day_sum, dated)

    def _originals(self, story_id: str) -> tuple[int, float, int]:
        """How many of the story's articles are originals (the articles its vector sum and
        names count; copies add nothing), the sum of their publication days (proleptic
        ordinals: 1 = 1 January of year 1) and how many of them are dated."""
        row = self._conn.execute(
            "SELECT count(*), sum(julianday(substr(a.published, 1, 10)) - 1721424.5), "
            "count(julianday(substr(a.published, 1, 10))) "
            "FROM story_articles AS sa JOIN articles AS a ON a.article_id = sa.article_id "
            "WHERE sa.story_id = ? AND a.copy_of IS NULL",
            (story_id,),
        ).fetchone()
        return int(row[0]), float(row[1] or 0.0), int(row[2] or 0)

    def story_of(self, article_id: str) -> str | None:
        return story_of_article(self._conn, article_id)

    def found_story(self, story_id: str, article: PendingArticle) -> bool:
        """Create the story ``article`` founds; False when that id exists already."""
        cur = self._conn.execute(
            "INSERT OR IGNORE INTO stories (story_id, title, first_published, last_published, "
            "article_count, updated_at) VALUES (?, ?, ?, ?, 0, ?)",
            (
                story_id,
                article.title or "",
                _day(article.published),
                _day(article.published),
                self._now,
            ),
        )
        return cur.rowcount > 0

    def join_story(
        self,
        story_id: str,
        article: PendingArticle,
        similarity: float,
        model: str,
        vector: np.ndarray,
    ) -> None:
        """Put ``article`` into ``story_id`` (membership, dates, count) and keep its vector;
        the story's centroid and entities are saved by ``finish``."""
        self._conn.execute(
            "INSERT INTO story_articles (article_id, story_id, similarity) VALUES (?, ?, ?)",
            (article.article_id, story_id, similarity),
        )
        # min()/max() of a NULL are NULL: the coalesce keeps whichever bound is known.
        self._conn.execute(
            """UPDATE stories SET article_count = article_count + 1,
                   first_published = coalesce(min(first_published, :p), first_published, :p),
                   last_published = coalesce(max(last_published, :p), last_published, :p),
                   updated_at = :now
               WHERE story_id = :story""",
            {"p": _day(article.published), "now": self._now, "story": story_id},
        )
        self._conn.execute(
            "INSERT OR REPLACE INTO article_vectors (article_id, model, vector) VALUES (?, ?, ?)",
            (article.article_id, model, np.asarray(vector, dtype="<f4").tobytes()),
        )

    def merge_story(self, keep: str, gone: str) -> None:
        """Move story ``gone`` into ``keep``: its articles and relations; its claims are
        dropped (the stance pass regroups ``keep``, which has a new article), and ``keep`` is
        listed in ``stories_merged`` for the stance pass to compare as a whole."""
        self._conn.execute(
            "UPDATE story_articles SET story_id = ? WHERE story_id = ?", (keep, gone)
        )
        self._conn.execute(
            """UPDATE stories SET
                   article_count = (SELECT count(*) FROM story_articles WHERE story_id = :keep),
                   first_published = (SELECT min(coalesce(first_published, '9')) FROM stories
                                      WHERE story_id IN (:keep, :gone)),
                   last_published = (SELECT max(last_published) FROM stories
                                     WHERE story_id IN (:keep, :gone)),
                   updated_at = :now
               WHERE story_id = :keep""",
            {"keep": keep, "gone": gone, "now": self._now},
        )
        self._conn.execute(
            "UPDATE stories SET first_published = NULL "
            "WHERE story_id = ? AND first_published = '9'",
            (keep,),
        )
        self._conn.execute("UPDATE relations SET story_id = ? WHERE story_id = ?", (keep, gone))
        self._conn.execute("DELETE FROM claims WHERE story_id = ?", (gone,))
        self._conn.execute("DELETE FROM stories WHERE story_id = ?", (gone,))
        # The stance pass compares the merged story's statements again, across its halves.
        self._conn.execute("INSERT OR IGNORE INTO stories_merged (story_id) VALUES (?)", (keep,))

    def member_vectors(self, story_id: str) -> list[tuple[str | None, np.ndarray]]:
        """(headline, title-and-lead vector) of the story's originals (copies left out)."""
        rows = self._conn.execute(
            "SELECT a.title, v.vector FROM story_articles AS sa "
            "JOIN articles AS a ON a.article_id = sa.article_id "
            "JOIN article_vectors AS v ON v.article_id = sa.article_id "
            "WHERE sa.story_id = ? AND a.copy_of IS NULL "
            "ORDER BY a.published IS NULL, a.published, a.article_id",
            (story_id,),
        )
        return [(r[0], np.frombuffer(r[1], dtype="<f4")) for r in rows]

    def finish(
        self,
        progress: PassProgress,
        new_documents: Mapping[str, int],
        states: Iterable[StoryState],
        titles: Mapping[str, str],
    ) -> None:
        """Record the batch: the touched stories' centroids, entities and titles, the
        entities' document counts and the watermark."""
        touched = sorted(states, key=lambda state: state.story_id)
        self._conn.executemany(
            "INSERT OR REPLACE INTO story_centroids (story_id, vector) VALUES (?, ?)",
            [(s.story_id, np.asarray(s.vector_sum, dtype="<f4").tobytes()) for s in touched],
        )
        self._conn.executemany(
            "INSERT OR REPLACE INTO story_vectors (story_id, vector) VALUES (?, ?)",
            [(s.story_id, _encode(s.entities)) for s in touched],
        )
        self._conn.executemany(
            "INSERT INTO term_documents (term, documents) VALUES (?, ?) "
            "ON CONFLICT (term) DO UPDATE SET documents = documents + excluded.documents",
            sorted(new_documents.items()),
        )
        self._conn.executemany(
            "UPDATE stories SET title = ? WHERE story_id = ?",
            [(title, story_id) for story_id, title in sorted(titles.items())],
        )
        self._conn.execute(
            "INSERT INTO corpus_state (pass, watermark, documents, updated_at) "
            "VALUES (?, ?, ?, ?) ON CONFLICT (pass) DO UPDATE SET "
            "watermark = excluded.watermark, documents = excluded.documents, "
            "updated_at = excluded.updated_at",
            (STORIES_PASS, progress.watermark, progress.documents, self._now),
        )


def _day(published: str | None) -> str | None:
    """Stories keep days: an article's date-time counts for its day."""
    return published[:10] if published else None


def _encode(vector: Mapping[str, float]) -> str:
    # Entity counts as JSON (entity -> articles of the story naming it).
    return json.dumps(vector, sort_keys=True, separators=(",", ":"))


def _batches(values: list[str]) -> Iterator[list[str]]:
    for start in range(0, len(values), _ID_BATCH):
        yield values[start : start + _ID_BATCH]


# -- reading stored stories ------------------------------------------------------------------

_STORY_ORDER = "s.first_published IS NULL, s.first_published, s.story_id"
"""Stories oldest first; a story without any dated article comes last."""

_STORY_MEMBERS = f"""
SELECT s.story_id, s.title, s.first_published, s.last_published, a.article_id, a.outlet,
       a.copy_of,
       (SELECT count(*) FROM statements AS st
        WHERE st.article_id = a.article_id AND st.act = 'speech') AS statements
FROM (SELECT * FROM stories AS s {{where}} ORDER BY {_STORY_ORDER} LIMIT ? OFFSET ?) AS s
JOIN story_articles AS sa ON sa.story_id = s.story_id
JOIN articles AS a ON a.article_id = sa.article_id
ORDER BY {_STORY_ORDER}, a.published, a.article_id"""


def stories(
    conn: sqlite3.Connection,
    *,
    story_id: str | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> Iterator[Story]:
    """Stored stories, oldest first, each with its articles in publication order."""
    where, params = ("WHERE s.story_id = ?", [story_id]) if story_id is not None else ("", [])
    sql = _STORY_MEMBERS.format(where=where)
    cursor = conn.execute(sql, [*params, -1 if limit is None else limit, offset])
    try:
        yield from _group_members(cursor)
    finally:
        # An abandoned iterator may be collected after its store was closed.
        with suppress(sqlite3.ProgrammingError):
            cursor.close()


def _group_members(rows: Iterable[sqlite3.Row]) -> Iterator[Story]:
    current: list[Any] | None = None
    for row in rows:
        if current is None or current[0]["story_id"] != row["story_id"]:
            if current is not None:
                yield _story(current)
            current = []
        current.append(row)
    if current:
        yield _story(current)


def _story(members: list[Any]) -> Story:
    head = members[0]
    return Story(
        story_id=head["story_id"],
        title=head["title"] or "(untitled)",
        article_ids=tuple(m["article_id"] for m in members),
        # A copy is its original printed again: not another outlet's coverage, not more
        # statements.
        outlets=tuple(
            dict.fromkeys(m["outlet"] for m in members if m["outlet"] and not m["copy_of"])
        ),
        first_published=head["first_published"],
        last_published=head["last_published"],
        statement_count=sum(int(m["statements"]) for m in members if not m["copy_of"]),
    )


def story_of_article(conn: sqlite3.Connection, article_id: str) -> str | None:
    row = conn.execute(
        "SELECT story_id FROM story_articles WHERE article_id = ?", (article_id,)
    ).fetchone()
    return None if row is None else str(row[0])


def stories_of_articles(conn: sqlite3.Connection, article_ids: Iterable[str]) -> dict[str, str]:
    """article id -> story id, for those of ``article_ids`` that are placed."""
    found: dict[str, str] = {}
    for batch in _batches(list(dict.fromkeys(article_ids))):
        marks = ", ".join("?" * len(batch))
        rows = conn.execute(
            f"SELECT article_id, story_id FROM story_articles WHERE article_id IN ({marks})",
            batch,
        )
        found.update((r[0], r[1]) for r in rows)
    return found


def unplaced_count(conn: sqlite3.Connection) -> int:
    """Articles the story pass has not reached yet."""
    row = conn.execute(
        f"SELECT count(*) FROM articles AS a WHERE a.id > coalesce("
        f"(SELECT watermark FROM corpus_state WHERE pass = ?), 0) AND {_UNPLACED}",
        (STORIES_PASS,),
    ).fetchone()
    return int(row[0])
