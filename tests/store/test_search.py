"""Full-text search: matching, stemming, and hostile input that must never raise."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quotegraph.store import Store, fts_query

from .builders import extraction

HOSTILE = [
    "'; DROP TABLE statements; --",
    '"; DROP TABLE statements; --',
    'unbalanced "quote',
    "it's",
    '"',
    '""',
    "NEAR(",
    "NEAR(ministry ready",
    "*",
    "**",
    "ministry*",
    "*ministry",
    "AND",
    "ministry OR",
    "NOT ready",
    "content:ministry",
    "^ministry",
    "(ministry",
    "ministry)",
    "{content}: x",
    "-ministry",
    "+",
    "\x00",
    "",
    "   ",
    "ministry\x00ready",
    "m" * 10_000,
    " ".join(["ministry"] * 500),
]


@pytest.fixture
def searchable(store: Store) -> Store:
    run_id = store.begin_run("ingest")
    store.write_extractions(run_id, [extraction("a1"), extraction("a2", title="Peace talks")])
    return store


def test_search_finds_words_and_stems(searchable: Store) -> None:
    hits = [r.statement.statement_id for r in searchable.statements(q="ministry")]
    assert hits == ["a1#s0", "a2#s0"]
    assert len(list(searchable.statements(q="acting"))) == 2  # porter: act ~ acting
    assert len(list(searchable.statements(q="MINISTRY act"))) == 2
    assert list(searchable.statements(q="ministry ready")) == []  # terms are ANDed
    assert len(list(searchable.statements(q="minis*"))) == 2
    assert len(list(searchable.statements(q="ministry", article_id="a2"))) == 1


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_statement_queries_never_raise(searchable: Store, query: str) -> None:
    list(searchable.statements(q=query))
    list(searchable.search_articles(query, 10))
    assert searchable.counts()["statements"] == 4


def test_quote_injection_is_literal(searchable: Store) -> None:
    assert list(searchable.statements(q="'; DROP TABLE statements; --")) == []
    assert len(list(searchable.statements(q='ministry"'))) == 2
    # Quoted as the phrase "near ministry", which no statement contains.
    assert list(searchable.statements(q="NEAR(ministry")) == []


def test_search_articles_ranks_and_limits(searchable: Store) -> None:
    assert [a.article_id for a in searchable.search_articles("peace talks", 10)] == ["a2"]
    assert len(list(searchable.search_articles("peacekeepers", 10))) == 2
    assert len(list(searchable.search_articles("peacekeepers", 1))) == 1
    assert list(searchable.search_articles("*", 10)) == []


def test_fts_query_shapes() -> None:
    assert fts_query("Jane said") == '"Jane" "said"'
    assert fts_query('say "no') == '"say" """no"'
    assert fts_query("minis*") == '"minis"*'
    assert fts_query("-- ; *") is None
    assert fts_query("") is None


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_any_text_is_a_valid_query(query: str) -> None:
    with Store.open(":memory:") as store:
        store.write_extractions(store.begin_run("t"), [extraction("a1")])
        list(store.statements(q=query))
        list(store.search_articles(query, 5))
