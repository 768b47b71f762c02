"""The embedded SQLite store: articles, statements, speakers, figures, runs and failures.

All SQL of quotegraph lives in this package. ``Store`` hands out typed records from
``quotegraph.types`` (never rows or dicts) and streams them, so exports of large corpora run
in constant memory. One process may write while others read: the database runs in WAL mode
and every write is one ``BEGIN IMMEDIATE`` transaction that waits up to ``busy_timeout`` for
the write lock before failing with E032.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager, suppress
from types import TracebackType

import numpy as np

from quotegraph.errors import QuotegraphError
from quotegraph.store import claims as claims_sql
from quotegraph.store import codec, reader, speaker_links, writer
from quotegraph.store import copies as copies_sql
from quotegraph.store import disputes as disputes_sql
from quotegraph.store import stories as stories_sql
from quotegraph.store.codec import RunRecord, name_key, speaker_id_for
from quotegraph.store.connection import MEMORY, connect, utc_now, write_transaction
from quotegraph.store.fts import fts_query
from quotegraph.store.schema import LATEST_VERSION, MIGRATIONS, Migration
from quotegraph.types import (
    Article,
    Claim,
    DisputeCounts,
    Extraction,
    Failure,
    FigureRecord,
    Relation,
    Speaker,
    SpeakerDescription,
    SpeakerLinkPlan,
    SpeakerProfile,
    StatementRecord,
    StoreStats,
    Story,
)

__all__ = [
    "LATEST_VERSION",
    "MIGRATIONS",
    "Migration",
    "RunRecord",
    "Store",
    "fts_query",
    "name_key",
    "speaker_id_for",
]

DEFAULT_BUSY_TIMEOUT = 30.0
"""Seconds a writer waits for another writer before giving up with E032."""


class Store:
    """A quotegraph database. Create with ``Store.open(path)``; use as a context manager."""

    def __init__(self, conn: sqlite3.Connection, *, source: str, readonly: bool) -> None:
        self._conn = conn
        self._closed = False
        self.source = source
        self.readonly = readonly

    @classmethod
    def open(
        cls,
        path: str | os.PathLike[str],
        *,
        readonly: bool = False,
        busy_timeout: float = DEFAULT_BUSY_TIMEOUT,
    ) -> Store:
        """Open (creating and migrating if needed) the store at ``path``; ``":memory:"`` works.

        Raises E030 for a file that is not a quotegraph store, E031 for a newer schema, and
        E034 when ``readonly`` and there is no file at ``path`` (reading never creates one).
        """
        conn = connect(path, readonly=readonly, busy_timeout=busy_timeout)
        return cls(conn, source=os.fspath(path), readonly=readonly)

    def close(self) -> None:
        """Close the connection; safe to call twice."""
        if self._closed:
            return
        self._closed = True
        if not self.readonly:
            # Lets SQLite refresh planner statistics it found missing during this session.
            with suppress(sqlite3.Error):
                self._conn.execute("PRAGMA optimize")
        self._conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    @property
    def schema_version(self) -> int:
        row = self._conn.execute("SELECT max(version) FROM migrations").fetchone()
        return int(row[0])

    # -- writing ---------------------------------------------------------------------------

    def _writing(self) -> AbstractContextManager[None]:
        if self.readonly:
            raise QuotegraphError("E033", source=self.source, detail="store was opened read-only")
        return write_transaction(self._conn, None if self.source == MEMORY else self.source)

    def begin_run(self, command: str) -> int:
        """Record the start of a command (``ingest ...``); returns its run id."""
        with self._writing():
            return writer.begin_run(self._conn, command, utc_now())

    def finish_run(
        self,
        run_id: int,
        *,
        articles_seen: int,
        articles_added: int,
        statements_added: int,
        figures_added: int,
        failures: int,
    ) -> None:
        """Record the end of a run with its totals (E044 for an unknown run id)."""
        counts = {
            "articles_seen": articles_seen,
            "articles_added": articles_added,
            "statements_added": statements_added,
            "figures_added": figures_added,
            "failures": failures,
        }
        with self._writing():
            writer.finish_run(self._conn, run_id, utc_now(), counts)

    def known_article_ids(self, ids: Iterable[str]) -> set[str]:
        """Which of ``ids`` are already stored (so ingest can skip them before NLP)."""
        found: set[str] = set()
        batch: list[str] = []
        for article_id in ids:
            batch.append(article_id)
            if len(batch) == _ID_BATCH:
                found |= self._known(batch)
                batch = []
        return found | self._known(batch) if batch else found

    def _known(self, batch: list[str]) -> set[str]:
        # Only the number of placeholders is formatted into the SQL; the ids are bound.
        marks = ", ".join("?" * len(batch))
        rows = self._conn.execute(
            f"SELECT article_id FROM articles WHERE article_id IN ({marks})", batch
        )
        return {r[0] for r in rows}

    def write_extractions(
        self, run_id: int, extractions: Iterable[Extraction]
    ) -> tuple[int, int, int]:
        """Store extractions in one transaction; returns (articles, statements, figures) added.

        An article already stored is skipped together with its statements and figures, so
        writing the same extraction twice adds nothing. The iterable is read before the
        write lock is taken, so a slow producer never blocks other writers.
        """
        batch = tuple(extractions)
        totals = [0, 0, 0]
        now = utc_now()
        with self._writing():
            for extraction in batch:
                added = writer.write_extraction(self._conn, run_id, extraction, now)
                totals = [t + a for t, a in zip(totals, added, strict=True)]
        return (totals[0], totals[1], totals[2])

    def record_failures(self, run_id: int | None, failures: Iterable[Failure]) -> int:
        """Store failures (of run ``run_id``) in one transaction; returns how many."""
        batch = tuple(failures)
        with self._writing():
            return writer.record_failures(self._conn, run_id, batch, utc_now())

    def reassign_speakers(self, mapping: Mapping[str, str]) -> int:
        """Merge speakers: statements, aliases and roles of each key move to its value.

        Chains resolve (``{a: b, b: c}`` sends both to ``c``); cycles raise E044. A target
        id that does not exist yet is created with the source's name and type. Later ingests
        follow the merge: new statements for a merged-away id get the target id. Returns the
        number of statements whose speaker_id changed.
        """
        resolved = writer.resolve_mapping(mapping)
        with self._writing():
            moved = [writer.reassign_speaker(self._conn, a, b) for a, b in resolved.items()]
        return sum(moved)

    # -- reading ---------------------------------------------------------------------------

    def article(self, article_id: str) -> Article | None:
        sql = f"{reader.ARTICLE_SELECT} WHERE a.article_id = ?"
        return next(reader.article_rows(self._conn, sql, [article_id]), None)

    def articles(
        self,
        *,
        outlet: str | None = None,
        since: str | None = None,
        until: str | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> Iterator[Article]:
        """Articles by (published, article_id); ``until`` includes what it prefixes."""
        reader.check_limit(limit, offset)
        sql, params = reader.article_query(outlet, since, until).sql(limit, offset)
        return reader.article_rows(self._conn, sql, params)

    def search_articles(self, q: str, limit: int | None = 20) -> Iterator[Article]:
        """Articles whose title or text match ``q`` (terms ANDed), best match first."""
        reader.check_limit(limit)
        match = fts_query(q)
        if match is None:
            return iter(())
        sql, params = reader.search_articles_sql(match, limit)
        return reader.article_rows(self._conn, sql, params)

    def statements(
        self,
        *,
        article_id: str | None = None,
        speaker: str | None = None,
        kind: str | None = None,
        outlet: str | None = None,
        q: str | None = None,
        since: str | None = None,
        until: str | None = None,
        limit: int | None = None,
        after: str | int | None = None,
        act: str | None = None,
    ) -> Iterator[StatementRecord]:
        """Statements, filtered, in one of two documented orders.

        Without ``q``: by (article published, article_id, seq), undated articles first.
        With ``q``: in the order the statements were stored (their integer row id, oldest
        first), which is the order FTS5 yields matches in, so a page of a common word stops
        after ``limit`` matches instead of sorting all of them. For a corpus ingested as it
        is published this is close to publication order; within one article (``article_id``)
        both orders are the statements' order in the text.

        ``speaker`` is a speaker id or any name/alias (case-insensitive); ``q`` is a full-text
        query whose terms are all required (``term*`` is a prefix) and which never raises;
        ``since``/``until`` bound the article's published date; ``act`` keeps one act
        (``speech``, ``belief``, ``intention``, ``action``; None: all). For pagination pass as
        ``after`` the ``statement_id`` (or integer row id) of the last record of the previous
        page: the next page starts strictly after it in the same order, so walking the pages
        of a query visits each of its matches exactly once.
        """
        reader.check_limit(limit)
        filters = reader.StatementFilter(article_id, speaker, kind, outlet, q, since, until, act)
        query = reader.statement_query(self._conn, filters, after)
        if query is None:
            return iter(())
        sql, params = query.sql(limit)
        return reader.statement_rows(self._conn, sql, params)

    def statement(self, statement_id: str) -> StatementRecord | None:
        rows = reader.statement_rows(self._conn, reader.statement_by_id_sql(), [statement_id])
        return next(rows, None)

    def speakers(self, *, limit: int | None = None, named: str | None = None) -> Iterator[Speaker]:
        """Speakers with aliases, roles and statement counts, most quoted first; ``named``
        keeps those with a name or alias in which a word starts with it (case-insensitive:
        ``rask`` finds Lena Rask and Piet Rask)."""
        reader.check_limit(limit)
        sql, params = reader.speaker_query(named=named or None).sql(limit)
        return reader.stream(self._conn, sql, params, self._speaker)

    def speakers_called(self, name: str) -> list[Speaker]:
        """Every speaker that ``name`` (an id, a name or an alias) stands for, as the
        ``speaker`` filter of ``statements`` reads it; most quoted first."""
        found = (self.speaker(sid) for sid in reader.ids_named(self._conn, name))
        return sorted(
            (s for s in found if s is not None), key=lambda s: (-s.statement_count, s.name)
        )

    def outlets_named(self, text: str, *, limit: int = 10) -> list[tuple[str, int]]:
        """Outlets with a word starting with ``text`` (case-insensitive), with their article
        counts, most articles first."""
        first, inner = reader.word_prefix_patterns(text.strip())
        rows = self._conn.execute(reader.OUTLETS_NAMED_SQL, (first, inner, limit))
        return [(r["outlet"], int(r["n"])) for r in rows]

    def count_statements(
        self,
        *,
        cap: int = 1000,
        article_id: str | None = None,
        speaker: str | None = None,
        kind: str | None = None,
        outlet: str | None = None,
        q: str | None = None,
        since: str | None = None,
        until: str | None = None,
        act: str | None = None,
    ) -> int:
        """How many statements ``statements(...)`` with the same filters would give, counting
        at most ``cap + 1`` (a page can say "more than 1,000" without counting a million)."""
        reader.check_limit(cap)
        filter_ = reader.StatementFilter(article_id, speaker, kind, outlet, q, since, until, act)
        query = reader.statement_query(self._conn, filter_, None)
        if query is None:
            return 0
        sql, params = query.sql(cap + 1)
        return int(self._conn.execute(reader.count_sql(sql), params).fetchone()[0])

    def speaker(self, speaker_id: str) -> Speaker | None:
        sql, params = reader.speaker_query(speaker_id).sql()
        return next(reader.stream(self._conn, sql, params, self._speaker), None)

    def _speaker(self, row: codec.Row) -> Speaker:
        return reader.row_to_speaker(self._conn, row)

    def figures(
        self, *, article_id: str | None = None, limit: int | None = None
    ) -> Iterator[FigureRecord]:
        reader.check_limit(limit)
        sql, params = reader.figure_query(article_id).sql(limit)
        return reader.figure_rows(self._conn, sql, params)

    def failures(self, *, run_id: int | None = None) -> Iterator[Failure]:
        sql, params = reader.failure_query(run_id).sql()
        return reader.stream(self._conn, sql, params, codec.row_to_failure)

    def runs(self) -> Iterator[RunRecord]:
        sql, params = reader.run_query().sql()
        return reader.stream(self._conn, sql, params, codec.row_to_run)

    def counts(self) -> dict[str, int]:
        """Row counts: articles, statements, speakers, figures, failures."""
        row = self._conn.execute(reader.COUNTS_SQL).fetchone()
        return {key: int(row[key]) for key in row.keys()}  # noqa: SIM118 - Row iterates values

    def stats(self) -> StoreStats:
        """Counts of everything the store holds, with stories, claims and relations, the
        number of outlets and the span of publication dates."""
        counts = self.counts()
        row = self._conn.execute(reader.STATS_SQL).fetchone()
        kinds = self._conn.execute(reader.KIND_COUNTS_SQL).fetchall()
        return StoreStats(
            **counts,
            stories=int(row["stories"]),
            claims=int(row["claims"]),
            contradictions=int(row["contradictions"]),
            agreements=int(row["agreements"]),
            outlets=int(row["outlets"]),
            first_published=row["first_published"],
            last_published=row["last_published"],
            statements_by_kind=tuple((r["kind"], int(r["n"])) for r in kinds),
        )

    # -- cross-article speaker pass (corpus/speakers.py) -----------------------------------

    def speaker_profiles(self, watermark: int, upper: int) -> list[SpeakerProfile]:
        """Quoted people and organisations of articles up to row ``upper``, with aliases,
        roles and articles; ``is_new`` for those quoted after row ``watermark``."""
        return speaker_links.speaker_profiles(self._conn, watermark, upper)

    def described_speakers(self, watermark: int, upper: int) -> list[SpeakerDescription]:
        """Statements of articles in rows ``(watermark, upper]`` whose speaker is only
        described ("the German chancellor") and has no speaker id."""
        return speaker_links.described_speakers(self._conn, watermark, upper)

    def article_texts_between(self, watermark: int, upper: int) -> Iterator[tuple[str, str]]:
        """``(article_id, text)`` of the articles in rows ``(watermark, upper]``."""
        return speaker_links.article_texts(self._conn, watermark, upper)

    def apply_speaker_links(self, plan: SpeakerLinkPlan, pass_name: str, watermark: int) -> int:
        """Apply a speaker link plan and set the pass's watermark, in one transaction;
        returns the number of statements whose speaker id changed."""
        with self._writing():
            return speaker_links.apply_plan(self._conn, plan, pass_name, watermark, utc_now())

    # -- corpus passes: watermarks, vectors, relations, claims ---------------------------

    def pass_watermark(self, name: str) -> int:
        """The highest ``articles.id`` the corpus pass ``name`` has consumed (0: none)."""
        return claims_sql.watermark(self._conn, name)

    def last_article_key(self) -> int:
        """The highest ``articles.id`` stored: what a pass sets its watermark to."""
        return claims_sql.last_article_key(self._conn)

    def stories_with_new_articles(self, watermark: int) -> list[str | None]:
        """Stories (None: not placed in one) of the articles stored after ``watermark``."""
        return claims_sql.stories_of_articles_after(self._conn, watermark)

    def statement_ids_after(self, watermark: int) -> set[str]:
        return claims_sql.statement_ids_after(self._conn, watermark)

    def merged_story_ids(self) -> list[str]:
        """Stories merged with another since the stance pass last compared them whole."""
        return claims_sql.merged_story_ids(self._conn)

    def clear_merged_stories(self, story_ids: Iterable[str]) -> None:
        with self._writing():
            claims_sql.clear_merged_stories(self._conn, story_ids)

    def story_member_ids(self, story_id: str) -> list[str]:
        """The story's articles, copies left out."""
        return claims_sql.story_article_ids(self._conn, story_id)

    def statement_vectors(self, ids: Sequence[str], model: str) -> dict[str, np.ndarray]:
        return claims_sql.vectors(self._conn, ids, model)

    def write_statement_vectors(self, model: str, items: Iterable[tuple[str, np.ndarray]]) -> None:
        batch = list(items)
        with self._writing():
            claims_sql.write_vectors(self._conn, model, batch)

    def story_relations(self, story_id: str) -> list[Relation]:
        return claims_sql.story_relations(self._conn, story_id)

    def save_story_analysis(
        self,
        story_id: str,
        relations: Sequence[Relation],
        claims: Sequence[Claim],
    ) -> None:
        """New relations of a story and its recomputed claims, in one transaction."""
        with self._writing():
            claims_sql.write_relations(self._conn, relations)
            claims_sql.replace_story_claims(self._conn, story_id, claims, utc_now())

    def set_pass_watermark(self, name: str, value: int) -> None:
        with self._writing():
            claims_sql.set_watermark(self._conn, name, value, utc_now())

    def relations(
        self,
        *,
        relation: str | None = None,
        story_id: str | None = None,
        statement_id: str | None = None,
        limit: int | None = None,
    ) -> Iterator[Relation]:
        """Agreements and contradictions, strongest first."""
        reader.check_limit(limit)
        return claims_sql.relations(
            self._conn,
            relation=relation,
            story_id=story_id,
            statement_id=statement_id,
            limit=limit,
        )

    def claims(
        self,
        *,
        story_id: str | None = None,
        claim_id: str | None = None,
        limit: int | None = None,
    ) -> Iterator[Claim]:
        """Claims, the most widely made first."""
        reader.check_limit(limit)
        return claims_sql.claims(self._conn, story_id=story_id, claim_id=claim_id, limit=limit)

    # -- disputes (the front ends' claims and contradictions) ------------------------------

    def relations_between_speakers(
        self,
        *,
        relation: str | None = None,
        story_id: str | None = None,
        statement_id: str | None = None,
        article_id: str | None = None,
        claim_id: str | None = None,
        speaker: str | None = None,
        outlet: str | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> Iterator[Relation]:
        """Agreements and contradictions between two different speakers, strongest first.

        ``speaker`` (an id, or any name or alias, as ``statements`` reads it), ``outlet``
        (case-insensitive) and ``article_id`` keep the pairs with a statement that meets all
        three; a pair whose statements share a speaker id is never listed."""
        reader.check_limit(limit, offset)
        found = disputes_sql.DisputeFilter(
            relation=relation,
            story_id=story_id,
            statement_id=statement_id,
            article_id=article_id,
            claim_id=claim_id,
            speaker_ids=self._speaker_ids(speaker),
            outlet=outlet,
        )
        return disputes_sql.relations_between_speakers(
            self._conn, found, limit=limit, offset=offset
        )

    def claims_disputed_first(
        self,
        *,
        story_id: str | None = None,
        claim_id: str | None = None,
        relation: str | None = None,
        speaker: str | None = None,
        outlet: str | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> Iterator[Claim]:
        """Claims with two sides (a contradiction between two speakers) first, then the
        most widely made. ``relation`` keeps the claims holding such a pair of that kind;
        ``speaker`` and ``outlet`` those with a statement by that speaker in that outlet."""
        reader.check_limit(limit, offset)
        found = disputes_sql.DisputeFilter(
            relation=relation,
            story_id=story_id,
            claim_id=claim_id,
            speaker_ids=self._speaker_ids(speaker),
            outlet=outlet,
        )
        return disputes_sql.claims_disputed_first(self._conn, found, limit=limit, offset=offset)

    def dispute_counts(self, story_id: str | None = None) -> DisputeCounts:
        """Contradictions, agreements, claims and claims with two sides, in one story or in
        the whole store (pairs of one speaker with himself left out)."""
        return disputes_sql.dispute_counts(self._conn, story_id)

    def stories_with_relations(self) -> list[tuple[str, str]]:
        """(story id, title) of every story holding an agreement or contradiction."""
        return disputes_sql.stories_with_relations(self._conn)

    def _speaker_ids(self, speaker: str | None) -> tuple[str, ...] | None:
        return None if speaker is None else tuple(reader.ids_named(self._conn, speaker))

    # -- copies (corpus/copies.py) ---------------------------------------------------------

    @contextmanager
    def copy_pass(self) -> Iterator[copies_sql.CopyPassWriter]:
        """One batch of the copy pass: reads and writes inside one write transaction."""
        with self._writing():
            yield copies_sql.CopyPassWriter(self._conn)

    def copies_of(self, article_id: str) -> list[str]:
        """The ids of the articles linked as copies of ``article_id``, oldest first."""
        return copies_sql.copies_of(self._conn, article_id)

    def versions_of(self, article_id: str) -> list[str]:
        """The other versions of an article: its original (when it is a copy) and the
        original's copies, oldest first, the article itself left out."""
        found = self.article(article_id)
        if found is None:
            return []
        original = found.copy_of or article_id
        versions = [original, *copies_sql.copies_of(self._conn, original)]
        return [v for v in versions if v != article_id]

    def copy_links(self) -> dict[str, str]:
        """Every copy's article id -> its original's."""
        return copies_sql.copy_links(self._conn)

    # -- stories (corpus/stories.py) -------------------------------------------------------

    @contextmanager
    def story_pass(self) -> Iterator[stories_sql.StoryPassWriter]:
        """One batch of the story pass: reads and writes inside one write transaction."""
        with self._writing():
            yield stories_sql.StoryPassWriter(self._conn)

    def stories(self, *, limit: int | None = None, offset: int = 0) -> Iterator[Story]:
        """Stored stories, oldest first (undated last), each with its article ids in
        publication order and its outlets in the order they first covered it."""
        reader.check_limit(limit, offset)
        return stories_sql.stories(self._conn, limit=limit, offset=offset)

    def story(self, story_id: str) -> Story | None:
        return next(stories_sql.stories(self._conn, story_id=story_id), None)

    def story_of_article(self, article_id: str) -> str | None:
        """The id of the story an article was placed in, or None."""
        return stories_sql.story_of_article(self._conn, article_id)

    def stories_of_articles(self, article_ids: Iterable[str]) -> dict[str, str]:
        """article id -> story id for those of ``article_ids`` that are placed in a story."""
        return stories_sql.stories_of_articles(self._conn, article_ids)

    def articles_awaiting_stories(self) -> int:
        """How many stored articles the story pass has not placed yet."""
        return stories_sql.unplaced_count(self._conn)


_ID_BATCH = 500
"""Ids per IN (...) query; well under SQLite's bound-parameter limit on old builds."""
