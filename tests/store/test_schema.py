"""Opening stores: schema creation, migrations, connection settings and refusals."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from quotegraph.errors import QuotegraphError
from quotegraph.store import LATEST_VERSION, MIGRATIONS, Migration, Store, connection

TABLES = {
    "migrations",
    "runs",
    "articles",
    "speakers",
    "speaker_aliases",
    "speaker_roles",
    "statements",
    "figures",
    "failures",
    "statements_fts",
    "articles_fts",
}


def _names(conn: sqlite3.Connection, kind: str) -> set[str]:
    rows = conn.execute("SELECT name FROM sqlite_master WHERE type = ?", (kind,))
    return {r[0] for r in rows}


def test_migrations_are_numbered_without_gaps() -> None:
    assert [m.version for m in MIGRATIONS] == list(range(1, len(MIGRATIONS) + 1))
    assert len(MIGRATIONS) == LATEST_VERSION


def test_new_store_has_schema_and_migration_row(db_path: Path) -> None:
    with Store.open(db_path) as store:
        assert store.schema_version == LATEST_VERSION
        assert store.counts() == dict.fromkeys(
            ("articles", "statements", "speakers", "figures", "failures"), 0
        )
    conn = sqlite3.connect(db_path)
    assert _names(conn, "table") >= TABLES
    assert {
        "statements_by_speaker",
        "statements_by_kind",
        "articles_by_outlet",
        "articles_by_published",
    } <= _names(conn, "index")
    rows = conn.execute("SELECT version, name, applied_at FROM migrations").fetchall()
    assert [r[0] for r in rows] == list(range(1, LATEST_VERSION + 1))
    assert rows[0][1]
    assert rows[0][2]
    conn.close()


def test_reopen_does_not_migrate_again(db_path: Path) -> None:
    Store.open(db_path).close()
    Store.open(db_path).close()
    conn = sqlite3.connect(db_path)
    assert conn.execute("SELECT count(*) FROM migrations").fetchone()[0] == LATEST_VERSION
    conn.close()


def test_file_store_uses_wal_and_pragmas(file_store: Store) -> None:
    conn = file_store._conn
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL
    assert conn.execute("PRAGMA busy_timeout").fetchone()[0] == 30_000


def test_foreign_sqlite_file_is_e030_and_left_untouched(db_path: Path) -> None:
    conn = sqlite3.connect(db_path)
    conn.execute("CREATE TABLE notes (body TEXT)")
    conn.commit()
    conn.close()
    with pytest.raises(QuotegraphError) as err:
        Store.open(db_path)
    assert err.value.code == "E030"
    conn = sqlite3.connect(db_path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert _names(conn, "table") == {"notes"}
    conn.close()


def test_other_frameworks_migrations_table_is_e030(db_path: Path) -> None:
    conn = sqlite3.connect(db_path)
    conn.execute("CREATE TABLE migrations (id INTEGER PRIMARY KEY, migration TEXT, batch INT)")
    conn.commit()
    conn.close()
    with pytest.raises(QuotegraphError) as err:
        Store.open(db_path)
    assert err.value.code == "E030"


@pytest.mark.parametrize(
    "content", [b"who said what\n" * 100, b"\x00\x01binary" * 300, b"SQLite format 3\x00junk"]
)
def test_non_sqlite_file_is_e030(db_path: Path, content: bytes) -> None:
    db_path.write_bytes(content)
    with pytest.raises(QuotegraphError) as err:
        Store.open(db_path)
    assert err.value.code == "E030"
    assert db_path.read_bytes() == content


def test_empty_file_becomes_a_store(db_path: Path) -> None:
    db_path.write_bytes(b"")
    with Store.open(db_path) as store:
        assert store.schema_version == LATEST_VERSION


def test_newer_schema_is_e031(db_path: Path) -> None:
    Store.open(db_path).close()
    conn = sqlite3.connect(db_path)
    conn.execute(
        "INSERT INTO migrations (version, name, applied_at) VALUES (?, 'future', 'later')",
        (LATEST_VERSION + 1,),
    )
    conn.commit()
    conn.close()
    for readonly in (False, True):
        with pytest.raises(QuotegraphError) as err:
            Store.open(db_path, readonly=readonly)
        assert err.value.code == "E031"


def test_readonly_store_reads_but_refuses_writes(db_path: Path) -> None:
    Store.open(db_path).close()
    with Store.open(db_path, readonly=True) as store:
        assert store.counts()["articles"] == 0
        with pytest.raises(QuotegraphError) as err:
            store.begin_run("ingest")
        assert err.value.code == "E033"


def test_readonly_on_missing_file_is_e034(tmp_path: Path) -> None:
    with pytest.raises(QuotegraphError) as err:
        Store.open(tmp_path / "missing.db", readonly=True)
    assert err.value.code == "E034"
    assert not (tmp_path / "missing.db").exists()


def test_close_is_idempotent(store: Store) -> None:
    store.close()
    store.close()


def test_a_later_migration_upgrades_an_existing_store(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    Store.open(db_path).close()
    extra = Migration(
        LATEST_VERSION + 1,
        "bookmarks",
        ("CREATE TABLE bookmarks (bookmark_id TEXT PRIMARY KEY, note TEXT)",),
    )
    monkeypatch.setattr(connection, "MIGRATIONS", (*MIGRATIONS, extra))
    monkeypatch.setattr(connection, "LATEST_VERSION", extra.version)
    with pytest.raises(QuotegraphError) as err:
        Store.open(db_path, readonly=True)  # a reader cannot migrate
    assert err.value.code == "E033"
    with Store.open(db_path) as store:
        assert store.schema_version == extra.version
        assert store.counts()["articles"] == 0
    conn = sqlite3.connect(db_path)
    assert "bookmarks" in _names(conn, "table")
    conn.close()


def test_failed_migration_leaves_the_store_as_it_was(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    Store.open(db_path).close()
    broken = Migration(LATEST_VERSION + 1, "broken", ("CREATE TABLE t (x)", "NOT SQL"))
    monkeypatch.setattr(connection, "MIGRATIONS", (*MIGRATIONS, broken))
    monkeypatch.setattr(connection, "LATEST_VERSION", broken.version)
    with pytest.raises(QuotegraphError) as err:
        Store.open(db_path)
    assert err.value.code == "E033"
    conn = sqlite3.connect(db_path)
    assert "t" not in _names(conn, "table")
    assert conn.execute("SELECT max(version) FROM migrations").fetchone()[0] == LATEST_VERSION
    conn.close()


def test_paths_with_uri_characters_open_readonly(tmp_path: Path) -> None:
    path = tmp_path / "we?ird #name%20.db"
    Store.open(path).close()
    with Store.open(str(path), readonly=True) as store:
        assert store.schema_version == LATEST_VERSION
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix == ".db") == [path.name]
