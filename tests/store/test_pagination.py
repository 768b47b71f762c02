"""Keyset pagination over statements: every row exactly once, in the documented order."""

from __future__ import annotations

import pytest

from quotegraph.errors import QuotegraphError
from quotegraph.store import Store
from quotegraph.types import StatementRecord

from .builders import extraction

DATES = [None, "2020-01-01", "2020-01-01", "2019-12-31T23:00:00", None, "2021-06-01", "2020-01-01"]


@pytest.fixture
def many(store: Store) -> Store:
    batch = [extraction(f"art{i:02d}", published=DATES[i % len(DATES)]) for i in range(23)]
    store.write_extractions(store.begin_run("t"), batch)
    return store


def _pages(store: Store, size: int, **filters: str) -> list[list[StatementRecord]]:
    pages: list[list[StatementRecord]] = []
    after: str | None = None
    while True:
        page = list(store.statements(limit=size, after=after, **filters))
        if not page:
            return pages
        pages.append(page)
        after = page[-1].statement.statement_id


@pytest.mark.parametrize("size", [1, 2, 3, 7, 46, 100])
def test_pages_cover_all_rows_once_in_order(many: Store, size: int) -> None:
    everything = list(many.statements())
    assert len(everything) == 46
    pages = _pages(many, size)
    assert [rec for page in pages for rec in page] == everything
    assert all(len(page) <= size for page in pages)


def test_order_is_published_then_article_then_seq(many: Store) -> None:
    keys = [
        (r.published or "", r.statement.article_id, r.statement.statement_id)
        for r in many.statements()
    ]
    assert keys == sorted(keys)


def test_pages_with_filters(many: Store) -> None:
    direct = list(many.statements(kind="direct"))
    assert [r for page in _pages(many, 4, kind="direct") for r in page] == direct


def test_integer_rowid_cursor(many: Store) -> None:
    first = list(many.statements(limit=5))
    rowid = many._conn.execute(
        "SELECT id FROM statements WHERE statement_id = ?", (first[-1].statement.statement_id,)
    ).fetchone()[0]
    by_id = list(many.statements(limit=5, after=first[-1].statement.statement_id))
    assert list(many.statements(limit=5, after=rowid)) == by_id


def test_unknown_cursor_is_e044(many: Store) -> None:
    with pytest.raises(QuotegraphError) as err:
        many.statements(after="no-such-statement")
    assert err.value.code == "E044"
