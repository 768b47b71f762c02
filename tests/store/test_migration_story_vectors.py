"""Migration 8: stories placed with wordllama vectors are cleared and placed again with the
int8 MiniLM's (a story's vector sum cannot mix the two)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import numpy as np
import pytest

from quotegraph.corpus.passes import run_corpus_passes
from quotegraph.store import LATEST_VERSION, MIGRATIONS, Store, connection
from quotegraph.types import Article, Extraction

LEAD = (
    "Ferry crews in the port of Velmora walked out on {day}, cancelling every crossing to the "
    "island of Karsk. Oda Marten of the ferry union said the crews would not sail."
)


def _extraction(key: str, day: str, published: str) -> Extraction:
    text = f"Velmora ferry crews strike\n\n{LEAD.format(day=day)}"
    article = Article(
        article_id=key,
        text=text,
        title="Velmora ferry crews strike",
        outlet=key.title(),
        published=published,
    )
    return Extraction(article, ())


def _vector_models(db: Path) -> set[tuple[str, int]]:
    conn = sqlite3.connect(db)
    try:
        rows = conn.execute("SELECT model, length(vector) FROM article_vectors").fetchall()
    finally:
        conn.close()
    return {(model, size // 4) for model, size in rows}


def test_a_version_7_store_places_its_stories_again_with_minilm(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "v7.db"
    with monkeypatch.context() as patched:
        patched.setattr(connection, "MIGRATIONS", MIGRATIONS[:7])
        with Store.open(db) as old:
            old.write_extractions(
                old.begin_run("t"),
                [
                    _extraction("herald", "Monday", "2031-05-02"),
                    _extraction("courier", "Monday morning", "2031-05-02"),
                ],
            )
    conn = sqlite3.connect(db)
    with conn:
        # What the wordllama story pass of version 7 left behind: one story, 256-d vectors.
        wordllama = np.ones(256, dtype="<f4").tobytes()
        conn.execute(
            "INSERT INTO stories (story_id, title, article_count, updated_at) "
            "VALUES ('st_old', 'old', 2, 'x')"
        )
        for key in ("herald", "courier"):
            conn.execute("INSERT INTO story_articles VALUES (?, 'st_old', 1.0)", (key,))
            conn.execute("INSERT INTO article_vectors VALUES (?, 'wordllama', ?)", (key, wordllama))
        conn.execute("INSERT INTO story_centroids VALUES ('st_old', ?)", (wordllama,))
        conn.execute(
            "INSERT INTO corpus_state (pass, watermark, updated_at) VALUES ('stories', 2, 'x')"
        )
    conn.close()
    assert _vector_models(db) == {("wordllama", 256)}

    with Store.open(db) as store:
        assert store.schema_version == LATEST_VERSION
        assert store.story("st_old") is None
        assert store.articles_awaiting_stories() == 2
        assert store.merged_story_ids() == []
        report = run_corpus_passes(store)
        assert (report.articles_placed, report.stories_created) == (2, 1)
    assert _vector_models(db) == {("minilm-int8", 384)}
