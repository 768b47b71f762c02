"""Statement listings under migration 2: the documented orders, keyset pages that visit every
match exactly once for each filter, index-driven plans, and migrating a version-1 store."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from quotegraph.store import MIGRATIONS, Store, reader
from quotegraph.store.connection import utc_now
from quotegraph.store.schema import LATEST_VERSION
from quotegraph.types import Extraction, StatementRecord

from .builders import article, statement

# Dates repeat and include undated articles, which sort first; outlets differ in case only.
DATES = [None, "2020-01-01", "2020-01-01", "2019-12-31T23:00:00", None, "2021-06-01", "2020-02-01"]
OUTLETS = ["Wire", "wire", "Post", None]


def _extraction(i: int) -> Extraction:
    art = article(f"art{i:02d}", published=DATES[i % len(DATES)], outlet=OUTLETS[i % len(OUTLETS)])
    # Two speakers share the alias "Rask", so speaker="rask" names both of them.
    rask = "Lena Rask" if i % 2 else "Per Rask"
    return Extraction(
        art,
        (
            statement(art, 0, "The ministry will act", kind="indirect"),
            statement(art, 1, "We are ready,", speaker=rask, mention="Rask", kind="direct"),
            statement(art, 2, "Some 3,500 peacekeepers", speaker=None, mention=None, kind="mixed"),
            statement(art, 3, "ministry will", speaker=rask, mention="Rask", kind="mixed"),
        ),
    )


@pytest.fixture
def listed(store: Store) -> Store:
    # Written out of publication order, in several transactions, so the storage order
    # (what ``q`` lists by) differs from the publication order (what the rest lists by).
    order = [5, 12, 0, 7, 3, 19, 1, 14, 9, 2, 16, 6, 11, 4, 18, 8, 13, 10, 15, 17]
    run_id = store.begin_run("t")
    for chunk in (order[:7], order[7:13], order[13:]):
        store.write_extractions(run_id, [_extraction(i) for i in chunk])
    return store


def _keys(store: Store) -> dict[str, dict[str, Any]]:
    rows = store._conn.execute(
        "SELECT s.statement_id, s.id, s.seq, s.kind, s.speaker_id, a.article_id, a.published, "
        "a.outlet FROM statements AS s JOIN articles AS a ON a.article_id = s.article_id"
    )
    return {r["statement_id"]: dict(r) for r in rows}


def _expected(store: Store, filters: dict[str, str]) -> list[str]:
    """Every match of ``filters``, in the documented order, computed the slow way."""
    keys = _keys(store)
    matched = set(keys)
    if "q" in filters:
        fts = store._conn.execute(
            "SELECT s.statement_id FROM statements_fts JOIN statements AS s "
            "ON s.id = statements_fts.rowid WHERE statements_fts MATCH ?",
            (f'"{filters["q"]}"',),
        )
        matched &= {r[0] for r in fts}
    speakers = {
        "Lena Rask": {"Lena Rask"},
        "rask": {"Lena Rask", "Per Rask"},
    }.get(filters.get("speaker", ""), set())
    ids = {
        r[0]
        for r in store._conn.execute("SELECT speaker_id, name FROM speakers")
        if r[1] in speakers
    }
    rows = [
        k
        for sid, k in keys.items()
        if sid in matched
        and ("speaker" not in filters or k["speaker_id"] in ids)
        and ("kind" not in filters or k["kind"] == filters["kind"])
        and ("article_id" not in filters or k["article_id"] == filters["article_id"])
        and ("outlet" not in filters or (k["outlet"] or "").lower() == filters["outlet"].lower())
        and ("since" not in filters or (k["published"] or "") >= filters["since"])
        and ("until" not in filters or (k["published"] or "") <= filters["until"] + "\U0010ffff")
        and (k["published"] is not None or not {"since", "until"} & set(filters))
    ]
    if "q" in filters:
        rows.sort(key=lambda k: k["id"])
    else:
        rows.sort(
            key=lambda k: (
                k["published"] is not None,
                k["published"] or "",
                k["article_id"],
                k["seq"],
            )
        )
    return [k["statement_id"] for k in rows]


def _walk(store: Store, size: int, filters: dict[str, str]) -> Iterator[list[StatementRecord]]:
    after: str | None = None
    while True:
        page = list(store.statements(limit=size, after=after, **filters))
        if not page:
            return
        assert len(page) <= size
        yield page
        after = page[-1].statement.statement_id


FILTERS: list[dict[str, str]] = [
    {},
    {"speaker": "Lena Rask"},
    {"speaker": "rask"},
    {"kind": "mixed"},
    {"outlet": "WIRE"},
    {"since": "2020-01-01", "until": "2020-02"},
    {"q": "ministry"},
    {"q": "ready"},
    {"q": "ministry", "kind": "mixed"},
    {"q": "ministry", "speaker": "rask"},
    {"q": "ministry", "article_id": "art03"},
    {"speaker": "rask", "kind": "direct", "outlet": "post"},
    {"article_id": "art07"},
]


@pytest.mark.parametrize(
    "filters", FILTERS, ids=lambda f: ",".join(f"{k}={v}" for k, v in f.items()) or "none"
)
@pytest.mark.parametrize("size", [1, 3, 7, 100])
def test_pages_visit_every_match_once_in_documented_order(
    listed: Store, filters: dict[str, str], size: int
) -> None:
    expected = _expected(listed, filters)
    assert expected, "every case must match something"
    whole = [r.statement.statement_id for r in listed.statements(**filters)]
    assert whole == expected
    paged = [r.statement.statement_id for page in _walk(listed, size, filters) for r in page]
    assert paged == expected


def test_full_text_order_is_storage_order_not_publication_order(listed: Store) -> None:
    hits = list(listed.statements(q="ministry"))
    stored = [_keys(listed)[r.statement.statement_id]["id"] for r in hits]
    assert stored == sorted(stored)
    published = [r.published or "" for r in hits]
    assert published != sorted(published)  # the fixture makes the two orders differ


def _position(key: dict[str, Any], by_storage: bool) -> tuple[Any, ...]:
    if by_storage:
        return (key["id"],)
    return (key["published"] is not None, key["published"] or "", key["article_id"], key["seq"])


def test_cursor_from_another_listing_marks_a_position(listed: Store) -> None:
    # A cursor statement that does not match the filter still pages from its position:
    # undated, dated before ``since``, dated after it.
    keys = _keys(listed)
    cursors = [
        next(listed.statements(kind="direct", limit=1)).statement.statement_id,
        next(listed.statements(since="2019", kind="direct", limit=1)).statement.statement_id,
        next(listed.statements(since="2020-01-02", kind="direct", limit=1)).statement.statement_id,
    ]
    for cursor in cursors:
        for filters in (
            {"q": "ministry"},
            {"kind": "mixed"},
            {"speaker": "rask"},
            {"since": "2020-01-01"},
            {"since": "2020-01-01", "until": "2020-02", "kind": "mixed"},
        ):
            by_storage = "q" in filters
            mark = _position(keys[cursor], by_storage)
            expected = _expected(listed, filters)
            later = [s for s in expected if _position(keys[s], by_storage) > mark]
            got = [r.statement.statement_id for r in listed.statements(after=cursor, **filters)]
            assert got == later, (cursor, filters)


# --- query plans ------------------------------------------------------------------------------


@pytest.mark.parametrize("analyzed", [False, True])
@pytest.mark.parametrize(
    ("filters", "index"),
    [
        ({}, "statements_by_published"),
        ({"speaker": "Lena Rask"}, "statements_by_speaker"),
        ({"kind": "mixed"}, "statements_by_kind"),
        ({"outlet": "Wire"}, "statements_by_outlet"),
    ],
)
def test_first_pages_walk_an_index_without_sorting(
    listed: Store, filters: dict[str, str], index: str, analyzed: bool
) -> None:
    conn = listed._conn
    if analyzed:
        conn.execute("ANALYZE")
    for after in (
        None,
        next(listed.statements(since="2020-01-01", limit=1)).statement.statement_id,
    ):
        query = reader.statement_query(conn, reader.StatementFilter(**filters), after)
        assert query is not None
        sql, params = query.sql(51)
        plan = [r[3] for r in conn.execute(f"EXPLAIN QUERY PLAN {sql}", params)]
        assert not any("TEMP B-TREE" in line for line in plan), plan
        assert plan[0].startswith(("SCAN s USING INDEX", "SEARCH s USING INDEX")), plan
        assert index in plan[0], plan
        assert all("USING INDEX" in line or "PRIMARY KEY" in line for line in plan), plan


def test_deep_page_with_since_seeks_to_the_cursor(listed: Store) -> None:
    conn = listed._conn
    cursor = next(listed.statements(since="2021", limit=1)).statement.statement_id
    query = reader.statement_query(conn, reader.StatementFilter(since="2019"), cursor)
    assert query is not None
    sql, params = query.sql(51)
    plan = [r[3] for r in conn.execute(f"EXPLAIN QUERY PLAN {sql}", params)]
    assert "(published,article_id,seq)>(?,?,?)" in plan[0], plan


def test_full_text_pages_stream_from_fts5_without_sorting(listed: Store) -> None:
    conn = listed._conn
    query = reader.statement_query(conn, reader.StatementFilter(q="ministry"), None)
    assert query is not None
    sql, params = query.sql(51)
    plan = [r[3] for r in conn.execute(f"EXPLAIN QUERY PLAN {sql}", params)]
    assert plan[0].startswith("SCAN f VIRTUAL TABLE")
    assert not any("TEMP B-TREE" in line for line in plan), plan


# --- migrating a version-1 store --------------------------------------------------------------

_V1_COPIES = {
    "runs": "run_id, started_at, finished_at, command",
    "articles": "id, article_id, source_file, title, outlet, published, author, url, "
    "input_format, text, dateline_place, dateline_date, dateline_source, dateline_start, "
    "dateline_end, metadata, run_id, ingested_at",
    "speakers": "speaker_id, name, speaker_type",
    "speaker_aliases": "speaker_id, alias, alias_key",
    "speaker_roles": "speaker_id, role",
    "statements": "id, statement_id, article_id, seq, kind, content, content_spans, cue, "
    "cue_start, cue_end, speaker_mention, speaker_start, speaker_end, speaker_name, "
    "speaker_type, speaker_role, speaker_id, confidence, rule",
}


def _version_1_copy(source: Path, target: Path) -> None:
    """A store made by migration 1 alone, holding the same rows as ``source``."""
    conn = sqlite3.connect(target, isolation_level=None)
    conn.execute("BEGIN")
    conn.execute(
        "CREATE TABLE migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
        "applied_at TEXT NOT NULL)"
    )
    for sql in MIGRATIONS[0].statements:
        conn.execute(sql)
    conn.execute("INSERT INTO migrations VALUES (1, ?, ?)", (MIGRATIONS[0].name, utc_now()))
    conn.execute("ATTACH DATABASE ? AS src", (str(source),))
    for table, columns in _V1_COPIES.items():
        conn.execute(f"INSERT INTO {table} ({columns}) SELECT {columns} FROM src.{table}")
    conn.execute("COMMIT")
    conn.execute("DETACH DATABASE src")
    conn.close()


def test_version_1_store_migrates_and_lists_the_same(tmp_path: Path) -> None:
    fresh = tmp_path / "fresh.db"
    old = tmp_path / "v1.db"
    with Store.open(fresh) as store:
        run_id = store.begin_run("t")
        store.write_extractions(run_id, [_extraction(i) for i in (4, 1, 6, 0, 3, 2, 5, 7)])
    _version_1_copy(fresh, old)
    conn = sqlite3.connect(old)
    assert {r[1] for r in conn.execute("PRAGMA table_info(statements)")}.isdisjoint(
        {"published", "outlet"}
    )
    conn.close()

    with Store.open(old) as migrated, Store.open(fresh, readonly=True) as reference:
        assert migrated.schema_version == LATEST_VERSION
        unset = migrated._conn.execute(
            "SELECT count(*) FROM statements AS s JOIN articles AS a USING (article_id) "
            "WHERE s.published IS NOT a.published OR s.outlet IS NOT a.outlet"
        ).fetchone()[0]
        assert unset == 0
        indexes = {
            r[0]
            for r in migrated._conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")
        }
        assert {
            "statements_by_published",
            "statements_by_speaker",
            "statements_by_kind",
            "statements_by_outlet",
        } <= indexes
        for filters in FILTERS[:8]:
            assert list(migrated.statements(**filters)) == list(reference.statements(**filters))
        # New writes after the migration fill the copied columns too.
        migrated.write_extractions(migrated.begin_run("t"), [_extraction(30)])
        copied = migrated._conn.execute(
            "SELECT DISTINCT published, outlet FROM statements WHERE article_id = 'art30'"
        ).fetchall()
        assert [tuple(r) for r in copied] == [(DATES[30 % 7], OUTLETS[30 % 4])]
        dated = {r.statement.article_id for r in migrated.statements(since=DATES[30 % 7])}
        assert "art30" in dated


def test_article_date_change_follows_into_statements(listed: Store) -> None:
    listed._conn.execute(
        "UPDATE articles SET published = '1999-01-01', outlet = 'Other' WHERE article_id = 'art05'"
    )
    dated = [r for r in listed.statements() if r.published is not None]
    assert [r.statement.article_id for r in dated[:4]] == ["art05"] * 4
    assert {r.statement.article_id for r in listed.statements(outlet="other")} == {"art05"}
    in_1999 = [r.statement.article_id for r in listed.statements(since="1999", until="1999")]
    assert in_1999 == ["art05"] * 4
