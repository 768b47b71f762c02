"""Writing extractions, runs and failures, and reading them back as typed records."""

from __future__ import annotations

import dataclasses
import gc

import pytest

from quotegraph.errors import QuotegraphError
from quotegraph.store import RunRecord, Store, speaker_id_for
from quotegraph.types import Extraction, Failure

from .builders import article, extraction, figure, statement


def _ingest(store: Store, *extractions: Extraction) -> tuple[int, int, int]:
    run_id = store.begin_run("ingest test")
    return store.write_extractions(run_id, extractions)


def test_round_trip_article_statements_figures(store: Store) -> None:
    ex = extraction("a1")
    assert _ingest(store, ex) == (1, 2, 1)
    assert store.article("a1") == ex.article
    records = list(store.statements(article_id="a1"))
    assert [r.statement for r in records] == list(ex.statements)
    first = records[0]
    assert first.speaker_id == speaker_id_for("Jane Doe", "person")
    assert (first.source_file, first.article_title) == ("a1.txt", "Title of a1")
    assert (first.outlet, first.published) == ("Wire", "2020-03-12")
    assert store.statement("a1#s1") == records[1]
    assert [f.figure for f in store.figures(article_id="a1")] == list(ex.figures)
    assert store.counts() == {
        "articles": 1,
        "statements": 2,
        "speakers": 1,
        "figures": 1,
        "failures": 0,
    }


def test_missing_records_are_none(store: Store) -> None:
    assert store.article("nope") is None
    assert store.statement("nope") is None
    assert store.speaker("nope") is None


def test_article_without_dateline_or_metadata(store: Store) -> None:
    art = article("bare", dateline=None, metadata={}, title=None, published=None, outlet=None)
    _ingest(store, Extraction(art))
    assert store.article("bare") == art


def test_statement_without_speaker_has_null_speaker_id(store: Store) -> None:
    art = article("a2")
    anon = statement(art, 0, "The ministry will act", speaker=None, mention=None, cue_span=None)
    _ingest(store, Extraction(art, (anon,)))
    (rec,) = store.statements()
    assert rec.speaker_id is None
    assert rec.statement == anon
    assert store.counts()["speakers"] == 0


def test_duplicates_are_skipped(store: Store) -> None:
    ex = extraction("a1")
    assert _ingest(store, ex, ex) == (1, 2, 1)
    assert _ingest(store, ex, extraction("a2")) == (1, 2, 1)
    assert store.counts()["articles"] == 2
    assert store.counts()["statements"] == 4


def test_known_article_ids(store: Store) -> None:
    _ingest(store, extraction("a1"), extraction("a2"))
    ids = (f"x{i}" for i in range(1200))  # more than one IN (...) batch
    assert store.known_article_ids([*ids, "a2", "a1"]) == {"a1", "a2"}
    assert store.known_article_ids([]) == set()


def test_failed_batch_rolls_back_entirely(store: Store) -> None:
    good = extraction("a1")
    art = article("a2")
    clash = dataclasses.replace(statement(art, 0, "The ministry will act"), statement_id="a1#s0")
    with pytest.raises(QuotegraphError) as err:
        _ingest(store, good, Extraction(art, (clash,)))
    assert err.value.code == "E033"
    assert store.counts()["articles"] == 0
    assert store.counts()["speakers"] == 0


def test_statement_of_another_article_is_refused(store: Store) -> None:
    art = article("a1")
    stray = statement(article("other"), 0, "The ministry will act")
    with pytest.raises(QuotegraphError) as err:
        _ingest(store, Extraction(art, (stray,)))
    assert err.value.code == "E033"


def test_lone_surrogate_is_e033_not_a_crash(store: Store) -> None:
    with pytest.raises(QuotegraphError) as err:
        _ingest(store, Extraction(article("bad", text="broken \ud800 text")))
    assert err.value.code == "E033"


def test_runs_are_recorded(store: Store) -> None:
    run_id = store.begin_run("ingest corpus/")
    store.finish_run(
        run_id,
        articles_seen=3,
        articles_added=2,
        statements_added=5,
        figures_added=1,
        failures=1,
    )
    (run,) = store.runs()
    assert isinstance(run, RunRecord)
    assert (run.run_id, run.command, run.articles_seen, run.failures) == (
        run_id,
        "ingest corpus/",
        3,
        1,
    )
    assert run.finished_at is not None
    with pytest.raises(QuotegraphError) as err:
        store.finish_run(
            999, articles_seen=0, articles_added=0, statements_added=0, figures_added=0, failures=0
        )
    assert err.value.code == "E044"


def test_failures_table(store: Store) -> None:
    run1 = store.begin_run("ingest one")
    run2 = store.begin_run("ingest two")
    f1 = Failure("x.bin", "E003", "binary", "ingest")
    f2 = Failure("y.txt", "E020", "nlp broke", "nlp")
    assert store.record_failures(run1, [f1]) == 1
    assert store.record_failures(run2, iter([f2])) == 1
    assert store.record_failures(run2, []) == 0
    assert list(store.failures()) == [f1, f2]
    assert list(store.failures(run_id=run2)) == [f2]
    assert store.counts()["failures"] == 2


def _three_outlets(store: Store) -> None:
    _ingest(
        store,
        extraction("c", outlet="Wire", published="2021-01-05T10:00:00"),
        extraction("a", outlet="wire", published="2020-03-12"),
        extraction("b", outlet="Daily", published=None),
    )


def test_article_filters_and_order(store: Store) -> None:
    _three_outlets(store)
    assert [a.article_id for a in store.articles()] == ["b", "a", "c"]
    assert [a.article_id for a in store.articles(outlet="WIRE")] == ["a", "c"]
    assert [a.article_id for a in store.articles(since="2021")] == ["c"]
    assert [a.article_id for a in store.articles(until="2021-01-05")] == ["a", "c"]
    assert [a.article_id for a in store.articles(until="2021-01-04")] == ["a"]
    assert [a.article_id for a in store.articles(limit=1, offset=1)] == ["a"]
    with pytest.raises(QuotegraphError):
        store.articles(limit=-1)


def test_statement_filters(store: Store) -> None:
    _three_outlets(store)
    ids = [r.statement.statement_id for r in store.statements()]
    assert ids == ["b#s0", "b#s1", "a#s0", "a#s1", "c#s0", "c#s1"]
    assert [r.statement.statement_id for r in store.statements(kind="direct")] == [
        "b#s1",
        "a#s1",
        "c#s1",
    ]
    assert len(list(store.statements(outlet="daily"))) == 2
    assert len(list(store.statements(since="2020-03-12", until="2020-12"))) == 2
    assert len(list(store.statements(article_id="c", kind="indirect"))) == 1
    assert len(list(store.statements(limit=4))) == 4


def test_speaker_filter_by_id_name_and_alias(store: Store) -> None:
    _ingest(store, extraction("a1"))
    sid = speaker_id_for("Jane Doe", "person")
    for who in (sid, "Jane Doe", "jane  DOE", "JANE DOE"):
        assert len(list(store.statements(speaker=who))) == 2, who
    # "she" is a pronoun mention, not an alias: it must not match every quoted woman.
    assert list(store.statements(speaker="she")) == []
    assert list(store.statements(speaker="nobody")) == []


def test_figures_listing(store: Store) -> None:
    _ingest(store, extraction("a1"), extraction("a2"))
    assert [f.figure.figure_id for f in store.figures()] == ["a1#f0", "a2#f0"]
    assert len(list(store.figures(limit=1))) == 1
    rec = next(store.figures())
    assert (rec.source_file, rec.article_title) == ("a1.txt", "Title of a1")


def test_iterators_stream_and_can_be_abandoned(store: Store) -> None:
    _ingest(store, *(extraction(f"a{i}") for i in range(5)))
    rows = store.statements()
    next(rows)
    # A half-read iterator must not block writing through the same store.
    _ingest(store, extraction("late"))
    del rows
    assert store.counts()["articles"] == 6


def test_figure_order_within_article(store: Store) -> None:
    art = article("f")
    figs = (figure(art, 0), dataclasses.replace(figure(art, 1), value=12.5))
    _ingest(store, Extraction(art, (), figs))
    assert tuple(f.figure for f in store.figures(article_id="f")) == figs


@pytest.mark.filterwarnings("error::pytest.PytestUnraisableExceptionWarning")
def test_iterator_may_outlive_its_store() -> None:
    store = Store.open(":memory:")
    _ingest(store, extraction("a1"))
    rows = store.statements()
    next(rows)
    store.close()
    del rows
    gc.collect()
