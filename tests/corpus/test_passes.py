"""The corpus passes run after every ingest and only look at what is new."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import quotegraph
from quotegraph.cli import sample_corpus_dir
from quotegraph.corpus.passes import STANCE_PASS


def _relation_keys(qg: quotegraph.Quotegraph) -> set[tuple[str, str, str]]:
    return {
        (r.relation.statement_a, r.relation.statement_b, r.relation.relation)
        for r in qg.relations()
    }


def _claim_members(qg: quotegraph.Quotegraph) -> set[frozenset[str]]:
    return {frozenset(c.claim.statement_ids) for c in qg.claims()}


@pytest.fixture(scope="module")
def at_once(tmp_path_factory) -> tuple[set, set]:
    db = tmp_path_factory.mktemp("once") / "q.db"
    with quotegraph.open(db) as qg:
        report = qg.ingest([sample_corpus_dir()])
        assert report.corpus is not None
        assert report.corpus.relations_found > 0
        return _relation_keys(qg), _claim_members(qg)


def test_ingesting_in_two_batches_gives_the_same_relations_and_claims(
    tmp_path: Path, at_once: tuple[set, set]
) -> None:
    files = sorted(p for p in sample_corpus_dir().iterdir() if p.is_file())
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    second.mkdir()
    for n, path in enumerate(files):
        shutil.copy(path, (first if n % 2 else second) / path.name)
    with quotegraph.open(tmp_path / "q.db") as qg:
        qg.ingest([first])
        before = qg.store.pass_watermark(STANCE_PASS)
        report = qg.ingest([second])
        assert qg.store.pass_watermark(STANCE_PASS) > before
        assert report.corpus is not None
        assert _relation_keys(qg) == at_once[0]
        assert _claim_members(qg) == at_once[1]


def test_a_run_with_nothing_new_changes_nothing(tmp_path: Path) -> None:
    with quotegraph.open(tmp_path / "q.db") as qg:
        qg.ingest([sample_corpus_dir()])
        relations = _relation_keys(qg)
        again = qg.update_corpus()
        assert again.relations_found == again.claims_created == again.articles_placed == 0
        assert _relation_keys(qg) == relations


def test_ingest_can_leave_the_passes_for_later(tmp_path: Path) -> None:
    with quotegraph.open(tmp_path / "q.db") as qg:
        report = qg.ingest([sample_corpus_dir()], corpus_passes=False)
        assert report.corpus is None
        assert list(qg.relations()) == []
        assert qg.update_corpus().relations_found > 0


def test_the_pair_model_decides_what_the_stance_pass_stores(tmp_path: Path) -> None:
    from quotegraph.corpus.passes import run_corpus_passes

    from .fake_pairs import FakePairScorer

    with quotegraph.open(tmp_path / "q.db") as qg:
        qg.ingest([sample_corpus_dir()], corpus_passes=False)
        neutral = FakePairScorer({})
        report = run_corpus_passes(qg.store, pair_scorer=neutral)
        assert report.pairs_scored > 0
        assert report.pairs_compared >= report.pairs_scored
        assert len(neutral.asked) >= report.pairs_scored
        # A model that finds every pair neutral leaves only what the deciding rules found.
        rule_words = ("figures:", "opposite states", "same state", "time:", "both deny", "negation")
        assert all(r.relation.evidence.startswith(rule_words) for r in qg.relations())
        assert not any(r.relation.evidence.startswith("same assertion") for r in qg.relations())
