"""Readers and a writer on one file: WAL lets reads proceed while a write is open."""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

import pytest

from quotegraph.errors import QuotegraphError
from quotegraph.store import Store, connection, writer

from .builders import extraction


def test_reader_reads_while_writer_holds_a_transaction(db_path: Path) -> None:
    with Store.open(db_path) as producer, Store.open(db_path) as reader:
        run_id = producer.begin_run("t")
        producer.write_extractions(run_id, [extraction("a1")])
        conn = producer._conn  # holding a transaction open needs the raw connection
        conn.execute("BEGIN IMMEDIATE")
        writer.write_extraction(conn, run_id, extraction("a2"), "now")
        try:
            # The reader sees the last committed state, without waiting or erroring.
            assert reader.counts()["articles"] == 1
            assert [a.article_id for a in reader.articles()] == ["a1"]
            assert len(list(reader.statements(q="ministry"))) == 1
            with Store.open(db_path, readonly=True) as late_reader:
                assert late_reader.counts()["articles"] == 1
            with Store.open(db_path, busy_timeout=0.1) as other_writer:
                with pytest.raises(QuotegraphError) as err:
                    other_writer.begin_run("blocked")
                assert err.value.code == "E032"
        finally:
            conn.execute("COMMIT")
        assert reader.counts()["articles"] == 2


def test_second_writer_waits_for_the_first(db_path: Path) -> None:
    Store.open(db_path).close()
    locked = threading.Event()

    def hold_lock() -> None:
        with Store.open(db_path) as first:
            first._conn.execute("BEGIN IMMEDIATE")
            locked.set()
            time.sleep(0.3)
            first._conn.execute("COMMIT")

    thread = threading.Thread(target=hold_lock)
    thread.start()
    assert locked.wait(5)
    with Store.open(db_path) as second:
        started = time.monotonic()
        run_id = second.begin_run("waits")  # busy_timeout, not "database is locked"
        assert time.monotonic() - started > 0.1
        assert second.write_extractions(run_id, [extraction("a1")]) == (1, 2, 1)
    thread.join()


def _busy() -> sqlite3.OperationalError:
    error = sqlite3.OperationalError("database is locked")
    error.sqlite_errorcode = 5  # type: ignore[attr-defined]  # SQLITE_BUSY
    return error


def test_an_open_refused_as_busy_is_tried_again(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Two processes creating one store race for the switch to WAL, which SQLite may refuse
    # as busy without waiting: the open tries again instead of failing with E032.
    calls: list[int] = []
    configure = connection._configure

    def busy_once(conn: sqlite3.Connection, **kwargs: bool) -> None:
        calls.append(1)
        if len(calls) == 1:
            raise _busy()
        configure(conn, **kwargs)

    monkeypatch.setattr(connection, "_configure", busy_once)
    with Store.open(db_path) as store:
        assert store.counts()["articles"] == 0
    assert len(calls) == 2


def test_an_open_busy_for_longer_than_the_timeout_is_e032(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def always_busy(conn: sqlite3.Connection, **kwargs: bool) -> None:
        raise _busy()

    monkeypatch.setattr(connection, "_configure", always_busy)
    started = time.monotonic()
    with pytest.raises(QuotegraphError) as err:
        Store.open(db_path, busy_timeout=0.2)
    assert err.value.code == "E032"
    assert time.monotonic() - started >= 0.2
