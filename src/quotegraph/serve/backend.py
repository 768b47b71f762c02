"""Store access for request handlers: one connection per request, small caches on top.

SQLite connections belong to the thread that opened them, and uvicorn runs each sync
handler on some thread of its pool. So a handler opens its own ``Store`` with
``Backend.reading()`` (read-only) or ``Backend.writing()`` and closes it before returning;
nothing holding a connection outlives a request or crosses threads. Opening costs a few
small queries, well under a millisecond on a local file.

Stories are read as stored (the corpus passes place every article when it is ingested), so
they cost a few indexed queries at any corpus size. The overview aggregates are cached; the
cache key is the store's row counts, which change with every ingest, including one by another
process.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any, TypeVar

from quotegraph.corpus.overview import CorpusOverview, corpus_overview
from quotegraph.corpus.passes import STANCE_PASS
from quotegraph.corpus.stories import story_summary
from quotegraph.serve.config import ServeConfig
from quotegraph.serve.listing import Page, StatementFilters, statement_page
from quotegraph.store import Store
from quotegraph.types import DisputeCounts, StatementRecord, Story, StorySummary

T = TypeVar("T")


class Unavailable(Exception):
    """A feature the server refuses for this store (answered with 503)."""


class _Memo:
    """Values keyed by name, valid while their key (a store fingerprint) is unchanged."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._values: dict[str, tuple[Any, Any]] = {}

    def get(self, name: str, key: Any, compute: Callable[[], T]) -> T:
        # Computing under the lock makes concurrent first requests wait for one pass
        # instead of each running its own.
        with self._lock:
            hit = self._values.get(name)
            if hit is not None and hit[0] == key:
                return hit[1]  # type: ignore[no-any-return]
            value = compute()
            self._values[name] = (key, value)
            return value

    def clear(self) -> None:
        with self._lock:
            self._values.clear()


def _fingerprint(counts: Mapping[str, int]) -> tuple[int, ...]:
    return tuple(counts.values())


class Backend:
    """Opens the store per request and caches whole-corpus passes."""

    def __init__(self, config: ServeConfig) -> None:
        self.config = config
        self._memo = _Memo()
        # One writer at a time: SQLite allows only one anyway, and the spaCy pipeline is
        # shared by the threads of this process.
        self._write_lock = threading.Lock()
        # Create and migrate the store up front so every request can open it read-only.
        Store.open(config.db).close()

    @contextmanager
    def reading(self) -> Iterator[Store]:
        store = Store.open(self.config.db, readonly=True)
        try:
            yield store
        finally:
            store.close()

    @contextmanager
    def writing(self) -> Iterator[Store]:
        with self._write_lock:
            store = Store.open(self.config.db)
            try:
                yield store
            finally:
                store.close()
                self._memo.clear()

    # -- stories and cached passes ---------------------------------------------------------

    def stories(self, store: Store, *, limit: int | None = None, offset: int = 0) -> list[Story]:
        """Stored stories, oldest first."""
        return list(store.stories(limit=limit, offset=offset))

    def story(self, store: Store, story_id: str, act: str | None = "speech") -> StorySummary | None:
        """A stored story with its statements of ``act`` (None: all) in publication order."""
        found = store.story(story_id)
        return None if found is None else story_summary(store, found).with_act(act)

    def story_article_ids(self, store: Store, story_id: str) -> tuple[str, ...] | None:
        found = store.story(story_id)
        return None if found is None else found.article_ids

    def statement_page(
        self, store: Store, filters: StatementFilters, *, limit: int, cursor: str | None
    ) -> Page[StatementRecord]:
        """One page of statements, with story filters resolved through the cached stories."""
        return statement_page(
            store,
            filters,
            limit=limit,
            cursor=cursor,
            story_articles=lambda story_id: self.story_article_ids(store, story_id),
        )

    def story_of_article(self, store: Store, article_id: str) -> Story | None:
        """The story an article was placed in; None before the story pass placed it."""
        story_id = store.story_of_article(article_id)
        return None if story_id is None else store.story(story_id)

    def overview(self, store: Store) -> CorpusOverview:
        key = _fingerprint(store.counts())
        return self._memo.get("overview", key, lambda: corpus_overview(store))

    def dispute_counts(self, store: Store) -> DisputeCounts:
        """The whole store's dispute counts (every relation is checked), cached until the
        store's rows or the stance pass's watermark change (the pass writes relations after
        the articles it reads, so the row counts alone would keep a count from before it)."""
        key = (*_fingerprint(store.counts()), store.pass_watermark(STANCE_PASS))
        return self._memo.get("disputes", key, store.dispute_counts)
