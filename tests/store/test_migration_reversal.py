"""Migration 7: relations carry ``reversal`` (one speaker on both sides, on two days)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from quotegraph.store import LATEST_VERSION, MIGRATIONS, Store, connection
from quotegraph.types import Article, Extraction, Relation, Statement

TEXT = "The harbour board will not meet. The harbour board meets on Friday, Ana Ferro said."


def _extraction() -> Extraction:
    article = Article(article_id="art1", text=TEXT, title="Harbour", outlet="Lantern Gazette")
    statements = tuple(
        Statement(f"s{n}", "art1", "indirect", TEXT[s:e], ((s, e),), speaker="Ana Ferro")
        for n, (s, e) in enumerate([(0, 31), (33, 63)])
    )
    return Extraction(article, statements)


def test_a_version_6_store_gains_the_column_with_no_reversals(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "v6.db"
    with monkeypatch.context() as patched:
        patched.setattr(connection, "MIGRATIONS", MIGRATIONS[:6])
        with Store.open(db) as old:
            old.write_extractions(old.begin_run("t"), [_extraction()])
    conn = sqlite3.connect(db)
    with conn:
        conn.execute(
            "INSERT INTO relations (statement_a, statement_b, relation, score, evidence) "
            "VALUES ('s0', 's1', 'contradicts', 0.9, 'old')"
        )
    conn.close()
    # Up to 7 only: migration 8 clears relations with the stories they belong to.
    monkeypatch.setattr(connection, "MIGRATIONS", MIGRATIONS[:7])
    with Store.open(db) as store:
        assert store.schema_version == 7 <= LATEST_VERSION
        [stored] = store.relations()
        assert stored.reversal is False


def test_reversal_round_trips(tmp_path: Path) -> None:
    with Store.open(tmp_path / "q.db") as store:
        store.write_extractions(store.begin_run("t"), [_extraction()])
        turned = Relation("s0", "s1", "contradicts", 0.8, "words", reversal=True)
        store.save_story_analysis("st", [turned], [])
        assert [r.reversal for r in store.relations()] == [True]
