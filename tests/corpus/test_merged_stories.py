"""A story that takes another one in is compared again as a whole by the stance pass: its
two halves were only ever compared among themselves."""

from __future__ import annotations

from pathlib import Path

from quotegraph.corpus.passes import run_corpus_passes
from quotegraph.store import Store
from quotegraph.types import Article, Extraction, Statement

from .fake_pairs import both_ways

DOCKS = "the cranes at Velmora would run again on Monday"
UNION = "no crane at Velmora would move before the pay deal was signed"
CONTRADICTS = (0.02, 0.03, 0.95)


def _extraction(key: str, published: str, title: str, said: str, speaker: str) -> Extraction:
    text = f"{title}\n\n{speaker} said {said}."
    start = text.index(said)
    article = Article(
        article_id=key, text=text, title=title, outlet=key.title(), published=published
    )
    statement = Statement(
        f"{key}-s", key, "indirect", said, ((start, start + len(said)),), speaker=speaker
    )
    return Extraction(article, (statement,))


def _relations(store: Store) -> set[tuple[str, str, str]]:
    return {(r.statement_a, r.statement_b, r.relation) for r in store.relations()}


def test_a_merged_story_is_compared_across_its_halves(tmp_path: Path) -> None:
    from .fake_pairs import FakePairScorer

    scorer = FakePairScorer(both_ways(DOCKS, UNION, CONTRADICTS))
    with Store.open(tmp_path / "q.db") as store:
        run = store.begin_run("t")
        store.write_extractions(
            run,
            [
                _extraction("harbour", "2031-05-02", "Port reopens", DOCKS, "Ilse Brandt"),
                # Weeks later: never the same story, so never compared.
                _extraction("courier", "2031-06-20", "Union holds out", UNION, "Tomas Reyes"),
            ],
        )
        run_corpus_passes(store, pair_scorer=scorer)
        first, second = store.story_of_article("harbour"), store.story_of_article("courier")
        assert first is not None
        assert second is not None
        assert first != second
        assert _relations(store) == set()
        # The story pass merges them (as when a later article bridges two stories).
        with store.story_pass() as writer:
            writer.merge_story(first, second)
        assert store.merged_story_ids() == [first]
        store.write_extractions(
            store.begin_run("t2"),
            [_extraction("later", "2031-09-01", "Bakers strike", "bread costs more", "Pim Voss")],
        )
        report = run_corpus_passes(store, pair_scorer=scorer)
        assert _relations(store) == {("courier-s", "harbour-s", "contradicts")}
        assert report.relations_found == 1
        assert store.merged_story_ids() == []
        # Nothing new and nothing merged: nothing is compared again.
        again = run_corpus_passes(store, pair_scorer=scorer)
        assert again.relations_found == 0
        assert again.pairs_compared == 0
