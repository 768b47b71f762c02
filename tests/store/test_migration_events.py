"""Migration 6: a store made before copies and event stories upgrades in place."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from quotegraph.corpus.passes import run_corpus_passes
from quotegraph.store import LATEST_VERSION, MIGRATIONS, Store, connection
from quotegraph.types import Article, Extraction

TEXT = (
    "Ferry crews strike in Velmora\n\nFerry crews in the port of Velmora walked out on Monday, "
    "cancelling every crossing to the island of Karsk. The ferry union says the crews have "
    "not had a pay rise in six years, and Oda Marten of the union said they would not sail "
    "until the company talks to them. Passengers queued at the Velmora terminal all morning."
)


def _article(key: str, text: str, published: str) -> Article:
    return Article(
        article_id=key,
        text=text,
        title=text.split("\n", 1)[0],
        outlet="Lantern Gazette",
        published=published,
    )


def test_a_version_4_store_is_cleared_of_old_stories_and_placed_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "v4.db"
    with monkeypatch.context() as patched:
        patched.setattr(connection, "MIGRATIONS", MIGRATIONS[:4])
        with Store.open(db) as old:
            run_id = old.begin_run("t")
            first = _article("first", TEXT, "2031-05-02")
            rerun = _article("rerun", TEXT.replace("all morning", "all day"), "2031-05-03")
            old.write_extractions(run_id, [Extraction(first, ()), Extraction(rerun, ())])
    conn = sqlite3.connect(db)
    with conn:
        # What the word-overlap story pass of version 4 left behind.
        conn.execute(
            "INSERT INTO stories (story_id, title, article_count, updated_at) "
            "VALUES ('st_old', 'old', 2, 'x')"
        )
        conn.executemany(
            "INSERT INTO story_articles VALUES (?, 'st_old', 1.0)", [("first",), ("rerun",)]
        )
        conn.execute("INSERT INTO story_terms VALUES ('ferry', 'st_old')")
        conn.execute(
            "INSERT INTO corpus_state (pass, watermark, updated_at) VALUES ('stories', 2, 'x')"
        )
    conn.close()

    with Store.open(db) as store:
        assert store.schema_version == LATEST_VERSION
        assert store.story("st_old") is None
        assert store.articles_awaiting_stories() == 2
        report = run_corpus_passes(store)
        assert (report.copies_linked, report.articles_placed, report.stories_created) == (1, 2, 1)
        assert store.copy_links() == {"rerun": "first"}
        tables = {r[0] for r in store._conn.execute("SELECT name FROM sqlite_master")}
        assert "story_terms" not in tables
