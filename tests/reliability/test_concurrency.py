"""Reads during an ingest, and two ingests into one store at once (store level, no server).

What quotegraph does, as these tests pin it down: readers never wait for a writer and never
see "database is locked" (WAL); two ingests into one store serialize on SQLite's write lock
(each write is one short ``BEGIN IMMEDIATE`` transaction that waits up to ``busy_timeout``,
30 s) and both complete, every article stored once. E032 is only raised when a writer holds
the lock longer than the waiting side's busy timeout, which ``tests/store/test_concurrency.py``
covers with a held transaction.
"""

from __future__ import annotations

import re
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import quotegraph
from quotegraph.store import Store

from .corpus import generate, write_corpus
from .helpers import TABLES, cli_env, exported, integrity, run_cli, script

_WRITER = """
import sys
from quotegraph.pipeline import ingest_paths
from quotegraph.store import Store

# chunk_size=1: one write transaction per article, the most lock traffic an ingest makes.
with Store.open(sys.argv[1]) as store:
    report = ingest_paths(store, sys.argv[2:], chunk_size=1)
print(report.articles_added, len(report.failures))
"""


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_corpus(tmp_path_factory.mktemp("concurrency") / "corpus", 48, seed=99)


@pytest.fixture(scope="module")
def clean(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[Any]]:
    """Exports of one uninterrupted ingest of the corpus, to compare against."""
    db = tmp_path_factory.mktemp("concurrency_clean") / "clean.db"
    with quotegraph.open(db) as qg:
        assert qg.ingest([corpus]).ok
    return {table: exported(db, table) for table in TABLES}


class Reader(threading.Thread):
    """Queries the store in a loop until told to stop; keeps every error it meets.

    ``step`` gets a read-only Store opened in this thread (sqlite3 connections belong to the
    thread that made them), or None when the step opens its own.
    """

    def __init__(self, name: str, step: Callable[[Store | None], int], db: Path | None) -> None:
        super().__init__(name=name, daemon=True)
        self.step = step
        self.db = db
        self.stop = threading.Event()
        self.errors: list[BaseException] = []
        self.iterations = 0
        self.seen: list[int] = []

    def run(self) -> None:
        store = Store.open(self.db, readonly=True) if self.db else None
        try:
            while not self.stop.is_set():
                self.seen.append(self.step(store))
                self.iterations += 1
        except BaseException as exc:  # anything at all reaching a reader is a failure
            self.errors.append(exc)
        finally:
            if store is not None:
                store.close()


def test_readers_never_see_a_locked_database_while_an_ingest_writes(
    corpus: Path, clean: dict[str, list[Any]], tmp_path: Path
) -> None:
    db = tmp_path / "store.db"
    Store.open(db).close()  # readers open read-only, which needs the schema to exist
    clean_by_article: dict[str, list[str]] = {}
    for row in clean["statements"]:
        clean_by_article.setdefault(row["article_id"], []).append(row["statement_id"])
    speaker = generate(48, seed=99)[0].speaker

    def read_with_long_lived_connection(long_lived: Store | None) -> int:
        assert long_lived is not None
        articles = list(long_lived.articles())
        # Articles are written with their statements in one transaction and never removed,
        # so a visible article must already show all of its statements.
        for article in articles:
            records = long_lived.statements(article_id=article.article_id)
            got = sorted(r.statement.statement_id for r in records)
            assert got == sorted(clean_by_article[article.article_id]), article.source_file
        list(long_lived.statements(q="council", limit=20))
        list(long_lived.statements(speaker=speaker))
        return len(articles)

    def read_with_a_new_connection_each_time(_: Store | None) -> int:
        # Opening is part of the test: a reader may arrive in the middle of a checkpoint.
        with quotegraph.open(db, readonly=True) as qg:
            list(qg.statements(q="harbour council*"))
            list(qg.speakers(limit=10))
            return qg.counts()["articles"]

    readers = [
        Reader("long-lived", read_with_long_lived_connection, db),
        Reader("reopening", read_with_a_new_connection_each_time, None),
    ]
    paths = sorted(str(p) for p in corpus.iterdir())
    writer = subprocess.Popen(
        [sys.executable, "-c", _WRITER, str(db), *paths],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    for reader in readers:
        reader.start()
    try:
        out, err = writer.communicate(timeout=300)
    finally:
        for reader in readers:
            reader.stop.set()
            reader.join(timeout=60)
    assert writer.returncode == 0, err
    assert out.split() == ["48", "0"]
    for reader in readers:
        assert reader.errors == [], (reader.name, reader.errors)
        assert reader.iterations >= 5, reader.name
        assert reader.seen == sorted(reader.seen), reader.name  # never goes back in time
    # The readers really ran during the ingest: they saw it half done.
    assert any(0 < n < 48 for reader in readers for n in reader.seen)
    for table in TABLES:
        assert exported(db, table) == clean[table], table


_ADDED = re.compile(r"(\d+) articles added \((\d+) already stored\)")


def test_two_ingests_into_one_store_at_once_serialize_and_store_each_article_once(
    corpus: Path, clean: dict[str, list[Any]], tmp_path: Path
) -> None:
    db = tmp_path / "shared.db"  # not created yet: both processes race to create the schema
    paths = sorted(str(p) for p in corpus.iterdir())
    first, second = paths[:32], paths[16:]  # 16 articles in both
    runs = [
        subprocess.Popen(
            [str(script()), "ingest", "--db", str(db), "--", *half],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=cli_env(),
        )
        for half in (first, second)
    ]
    outputs = [run.communicate(timeout=300) for run in runs]
    # quotegraph serializes: neither run is refused (no E032), both complete.
    for run, (_, err) in zip(runs, outputs, strict=True):
        assert run.returncode == 0, err
        assert "E032" not in err
    added = [_ADDED.search(" ".join(out.split())) for out, _ in outputs]
    assert all(added), outputs
    counts = [(int(m.group(1)), int(m.group(2))) for m in added if m]
    # Each article was added by exactly one run; the other saw it stored (or lost the
    # INSERT OR IGNORE race and skipped it): 48 distinct articles, none twice.
    assert sum(new for new, _ in counts) == 48, counts
    assert [new + old for new, old in counts] == [32, 32], counts
    assert integrity(db) == []
    for table in TABLES:
        assert exported(db, table) == clean[table], table


def test_a_reader_started_before_the_store_exists_gets_a_coded_error(tmp_path: Path) -> None:
    # The one state in which a reader is refused: nothing to read yet. It is an E034 (no
    # file) or E030 (no schema), not an sqlite3 error, and opening read-only creates nothing.
    db = tmp_path / "later.db"
    with pytest.raises(quotegraph.QuotegraphError) as error:
        quotegraph.open(db, readonly=True)
    assert error.value.code == "E034"
    assert not db.exists()
    sqlite3.connect(db).close()  # an empty file: still nothing to read
    with pytest.raises(quotegraph.QuotegraphError) as error:
        quotegraph.open(db, readonly=True)
    assert error.value.code == "E030"
    assert run_cli(["stats", "--db", db]).returncode == 2
