"""SQL of the story pass and of stored stories.

The pass (``quotegraph.corpus.stories.place_articles``) works through a ``StoryPassWriter``,
which is only handed out inside one write transaction (``Store.story_pass()``): reading the
watermark, the pending articles and the candidate stories, and writing the placements, all
happen under the same write lock, so two processes can never place the same article twice.

Readers get ``Story`` records: article ids in the store's statement order (published, then
article id; undated first) and outlets in the order they first covered the story.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Collection, Iterable, Iterator, Mapping
from contextlib import suppress
from dataclasses import dataclass, field
from typing import Any

from quotegraph.store.connection import utc_now
from quotegraph.types import Story

STORIES_PASS = "stories"
"""The pass's row in ``corpus_state``."""

_ID_BATCH = 500
"""Values per IN (...) list; well under SQLite's bound-parameter limit on old builds."""

_UNTIL_PAD = "\U0010ffff"
"""Appended to an upper date bound so that it includes every date-time on that day."""

SPEAKER_TYPES_AS_ENTITIES = ("person", "organization")
"""Speakers whose ids help tell stories apart; unnamed groups and anonymous sources do not."""


@dataclass(frozen=True)
class PendingArticle:
    """An article the story pass has not placed yet, with what it compares."""

    row_id: int
    """``articles.id``: the pass's watermark moves past it once it is placed."""
    article_id: str
    title: str | None
    text: str
    published: str | None
    speakers: Mapping[str, int] = field(default_factory=dict)
    """Store-wide ids of the people and organisations it quotes -> statements."""


@dataclass(frozen=True)
class PassProgress:
    watermark: int
    """The highest ``articles.id`` placed so far."""
    documents: int
    """How many articles ``term_documents`` counts (the N of the IDF)."""


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
        """Up to ``limit`` articles with ``articles.id > after``, in id order."""
        rows = self._conn.execute(
            "SELECT id, article_id, title, text, published FROM articles "
            "WHERE id > ? ORDER BY id LIMIT ?",
            (after, limit),
        ).fetchall()
        speakers = self._speakers([r[1] for r in rows])
        return [PendingArticle(r[0], r[1], r[2], r[3], r[4], speakers.get(r[1], {})) for r in rows]

    def _speakers(self, article_ids: list[str]) -> dict[str, dict[str, int]]:
        found: dict[str, dict[str, int]] = {}
        kinds = ", ".join("?" * len(SPEAKER_TYPES_AS_ENTITIES))
        for batch in _batches(article_ids):
            marks = ", ".join("?" * len(batch))  # only the count is formatted in
            rows = self._conn.execute(
                f"SELECT article_id, speaker_id, count(*) FROM statements "
                f"WHERE article_id IN ({marks}) AND speaker_id IS NOT NULL "
                f"AND speaker_type IN ({kinds}) GROUP BY article_id, speaker_id",
                [*batch, *SPEAKER_TYPES_AS_ENTITIES],
            )
            for article_id, speaker_id, count in rows:
                found.setdefault(article_id, {})[speaker_id] = int(count)
        return found

    def document_counts(self, terms: Iterable[str]) -> dict[str, int]:
        """How many placed articles contain each term (terms never seen are left out)."""
        counts: dict[str, int] = {}
        for batch in _batches(list(terms)):
            marks = ", ".join("?" * len(batch))
            rows = self._conn.execute(
                f"SELECT term, documents FROM term_documents WHERE term IN ({marks})", batch
            )
            counts.update((term, int(n)) for term, n in rows)
        return counts

    def candidates(
        self, terms: Collection[str], since: str | None, until: str | None, limit: int
    ) -> list[str]:
        """Stories indexed under the most of ``terms`` whose dates overlap ``[since, until]``
        (days; stories without dates always do); a story sharing more comes first."""
        if not terms:
            return []
        marks = ", ".join("?" * len(terms))  # only the count is formatted in
        params: list[Any] = list(terms)
        window = ""
        if since is not None and until is not None:
            window = (
                " AND (s.last_published IS NULL OR s.last_published >= ?)"
                " AND (s.first_published IS NULL OR s.first_published <= ?)"
            )
            params += [since, until + _UNTIL_PAD]
        rows = self._conn.execute(
            f"SELECT t.story_id FROM story_terms AS t "
            f"JOIN stories AS s ON s.story_id = t.story_id "
            f"WHERE t.term IN ({marks}){window} "
            f"GROUP BY t.story_id ORDER BY count(*) DESC, t.story_id LIMIT ?",
            [*params, limit],
        )
        return [r[0] for r in rows]

    def story_vector(self, story_id: str) -> tuple[dict[str, float], int]:
        """The sum of a story's article vectors, and how many articles it holds."""
        row = self._conn.execute(
            "SELECT v.vector, s.article_count FROM stories AS s "
            "LEFT JOIN story_vectors AS v ON v.story_id = s.story_id WHERE s.story_id = ?",
            (story_id,),
        ).fetchone()
        if row is None:
            return {}, 0
        sums = {} if row[0] is None else json.loads(row[0])
        return {term: float(w) for term, w in sums.items()}, int(row[1])

    def found_story(self, story_id: str, article: PendingArticle) -> bool:
        """Create the story ``article`` founds; False when that id exists already."""
        cur = self._conn.execute(
            "INSERT OR IGNORE INTO stories (story_id, title, first_published, last_published, "
            "article_count, updated_at) VALUES (?, ?, ?, ?, 0, ?)",
            (story_id, article.title or "", article.published, article.published, self._now),
        )
        return cur.rowcount > 0

    def join_story(
        self, story_id: str, article: PendingArticle, similarity: float, terms: Iterable[str]
    ) -> None:
        """Put ``article`` into ``story_id`` (membership, dates, count) and index the story
        under ``terms``; the story's vector is saved by ``finish``."""
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
            {"p": article.published, "now": self._now, "story": story_id},
        )
        self._conn.executemany(
            "INSERT OR IGNORE INTO story_terms (term, story_id) VALUES (?, ?)",
            [(term, story_id) for term in terms],
        )

    def finish(
        self,
        progress: PassProgress,
        new_documents: Mapping[str, int],
        vectors: Mapping[str, Mapping[str, float]],
    ) -> None:
        """Record the batch: the stories' vectors and titles, document frequencies and the
        watermark."""
        self._conn.executemany(
            "INSERT OR REPLACE INTO story_vectors (story_id, vector) VALUES (?, ?)",
            [(story_id, _encode(vector)) for story_id, vector in sorted(vectors.items())],
        )
        self._conn.executemany(
            "INSERT INTO term_documents (term, documents) VALUES (?, ?) "
            "ON CONFLICT (term) DO UPDATE SET documents = documents + excluded.documents",
            sorted(new_documents.items()),
        )
        # The title is the headline of the earliest article, which a later batch may bring.
        self._conn.executemany(
            """UPDATE stories SET title = coalesce((
                   SELECT a.title FROM story_articles AS sa
                   JOIN articles AS a ON a.article_id = sa.article_id
                   WHERE sa.story_id = stories.story_id AND a.title IS NOT NULL
                   ORDER BY a.published IS NULL, a.published, a.article_id LIMIT 1), '')
               WHERE story_id = ?""",
            [(story_id,) for story_id in sorted(vectors)],
        )
        self._conn.execute(
            "INSERT INTO corpus_state (pass, watermark, documents, updated_at) "
            "VALUES (?, ?, ?, ?) ON CONFLICT (pass) DO UPDATE SET "
            "watermark = excluded.watermark, documents = excluded.documents, "
            "updated_at = excluded.updated_at",
            (STORIES_PASS, progress.watermark, progress.documents, self._now),
        )


def _encode(vector: Mapping[str, float]) -> str:
    return json.dumps(vector, sort_keys=True, separators=(",", ":"))


def _batches(values: list[str]) -> Iterator[list[str]]:
    for start in range(0, len(values), _ID_BATCH):
        yield values[start : start + _ID_BATCH]


# -- reading stored stories ------------------------------------------------------------------

_STORY_ORDER = "s.first_published IS NULL, s.first_published, s.story_id"
"""Stories oldest first; a story without any dated article comes last."""

_STORY_MEMBERS = f"""
SELECT s.story_id, s.title, s.first_published, s.last_published, a.article_id, a.outlet,
       (SELECT count(*) FROM statements AS st WHERE st.article_id = a.article_id) AS statements
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
        outlets=tuple(dict.fromkeys(m["outlet"] for m in members if m["outlet"])),
        first_published=head["first_published"],
        last_published=head["last_published"],
        statement_count=sum(int(m["statements"]) for m in members),
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
        "SELECT count(*) FROM articles WHERE id > coalesce("
        "(SELECT watermark FROM corpus_state WHERE pass = ?), 0)",
        (STORIES_PASS,),
    ).fetchone()
    return int(row[0])
