"""Store access for request handlers: one connection per request, small caches on top.

SQLite connections belong to the thread that opened them, and uvicorn runs each sync
handler on some thread of its pool. So a handler opens its own ``Store`` with
``Backend.reading()`` (read-only) or ``Backend.writing()`` and closes it before returning;
nothing holding a connection outlives a request or crosses threads. Opening costs a few
small queries, well under a millisecond on a local file.

Whole-corpus passes (story grouping, overview aggregates) are cached. The cache key is the
store's row counts, which change with every ingest, including one by another process.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any, TypeVar

from quotegraph.corpus.overview import CorpusOverview, corpus_overview
from quotegraph.corpus.stories import summarize_stories
from quotegraph.serve.config import ServeConfig
from quotegraph.serve.listing import Page, StatementFilters, statement_page
from quotegraph.store import Store
from quotegraph.types import StatementRecord, StorySummary

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

    # -- cached passes ---------------------------------------------------------------------

    def stories(self, store: Store) -> list[StorySummary]:
        """Every story of the store (raises ``Unavailable`` for stores too big to group)."""
        counts = store.counts()
        if counts["articles"] > self.config.max_story_articles:
            raise Unavailable(
                f"story grouping is limited to {self.config.max_story_articles:,} articles; "
                f"this store has {counts['articles']:,}"
            )
        return self._memo.get("stories", _fingerprint(counts), lambda: summarize_stories(store))

    def story(self, store: Store, story_id: str) -> StorySummary | None:
        return next((s for s in self.stories(store) if s.story.story_id == story_id), None)

    def story_article_ids(self, store: Store, story_id: str) -> tuple[str, ...] | None:
        found = self.story(store, story_id)
        return None if found is None else found.story.article_ids

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

    def story_of_article(self, store: Store, article_id: str) -> StorySummary | None:
        """The story an article belongs to; None when stories are unavailable."""
        try:
            stories = self.stories(store)
        except Unavailable:
            return None
        return next((s for s in stories if article_id in s.story.article_ids), None)

    def overview(self, store: Store) -> CorpusOverview:
        key = _fingerprint(store.counts())
        return self._memo.get("overview", key, lambda: corpus_overview(store))
